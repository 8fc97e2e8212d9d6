/** A ticket page's address: the id as the console's router reads it. */
const TICKET_PAGE = /^\/tickets\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * The API requests a console page (a request's URL) makes first, for the pages opened most (the
 * inbox without filters, a ticket): exactly the URLs its route loader fetches (apps/console/src/app/route-loaders.ts
 * and auth/session.tsx), so the browser hands the preloaded answers to those fetches instead of
 * asking again. The browser starts them when the document arrives, while it loads and runs the
 * console's script, instead of after. The console asks for the same data whoever is signed in (the
 * session cookie is sent with /api only, so this cannot know); for nobody signed in they are 401s,
 * as the console's own would be.
 */
export function consolePreloads(url: string): string[] {
  const [pathname, search] = url.split('?');
  // With filters in the address the inbox's list is another request: only the default one is known here.
  if (pathname === '/' && !search) return ['/api/v1/session', '/api/v1/tickets?limit=50', '/api/v1/views/names', '/api/v1/customers'];
  const ticket = TICKET_PAGE.exec(pathname);
  if (!ticket) return [];
  const base = `/api/v1/tickets/${ticket[1]}`;
  return ['/api/v1/session', base, `${base}/comments`, `${base}/events`, `${base}/attachments`, `${base}/links`, '/api/v1/customers'];
}

/**
 * The `Link` header preloading `urls` as the console's fetches ask for them: `as=fetch` with
 * `crossorigin` (CORS mode, cookies sent same-origin), which is what `fetch(url, { credentials:
 * 'same-origin' })` matches.
 */
export function preloadLinkHeader(urls: string[]): string {
  return urls.map((url) => `<${url}>; rel=preload; as=fetch; crossorigin`).join(', ');
}
