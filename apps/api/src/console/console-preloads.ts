import type { ConsoleEntry } from './console-chunks';

/** A ticket page's address: the id as the console's router reads it. */
const TICKET_PAGE = /^\/tickets\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The console's page modules (apps/console/src/app/router.tsx), as the build's manifest names them. */
const INBOX_MODULE = 'src/inbox/components/inbox-page.tsx';
const TICKET_MODULE = 'src/ticket/components/ticket-page.tsx';

export interface ConsolePreloads {
  /** The API requests the page makes first. */
  requests: string[];
  /** The console modules it loads first (its page's chunk, the language's strings), by source path. */
  modules: string[];
  /** API requests its first render does not wait for: asked after the modules, which it does wait for. */
  later?: string[];
}

/**
 * What a console page (a request's URL) asks for first, for the pages opened most (the inbox
 * without filters, a ticket): exactly the URLs its route loader fetches (apps/console/src/app/route-loaders.ts
 * and auth/session.tsx), so the browser hands the preloaded answers to those fetches instead of
 * asking again, and the page's own chunk, which the console's router would ask for only once the
 * entry script has run. The browser starts them when the document arrives, while it loads and runs
 * the console's script, instead of after. The console asks for the same data whoever is signed in
 * (the session cookie is sent with /api only, so this cannot know); for nobody signed in they are
 * 401s, as the console's own would be.
 *
 * Every page also loads one language's strings (apps/console/src/i18n/i18n.ts): the one chosen
 * before (kept in the browser, unknown here) or else the browser's own, which is what
 * `Accept-Language` names first.
 */
export function consolePreloads(url: string, acceptLanguage = ''): ConsolePreloads {
  const [pathname, search] = url.split('?');
  const language = /^\s*es\b/i.test(acceptLanguage) ? 'src/i18n/es.json' : 'src/i18n/en.json';
  // With filters in the address the inbox's list is another request: only the default one is known here.
  // The strings first: the console draws nothing before they are in; the inbox's chunk is needed once the session is known.
  // The rows wait for the session, the list, the strings and the chunks; the sidebar's names and the customers' names
  // come after them: over HTTP/1.1's six connections the chunks (answered in milliseconds) no longer wait for a
  // connection behind those two API answers.
  if (pathname === '/' && !search) return { requests: ['/api/v1/session', '/api/v1/tickets?limit=50'], modules: [language, INBOX_MODULE], later: ['/api/v1/views/names', '/api/v1/customers'] };
  const ticket = TICKET_PAGE.exec(pathname);
  if (!ticket) return { requests: [], modules: [language] };
  const base = `/api/v1/tickets/${ticket[1]}`;
  // The session and the ticket with its comments and timeline (one answer: the page is drawn once, with all three)
  // first, then the strings and the page's chunks (nothing is drawn before they are all in, and they are answered in
  // milliseconds), and only then what fills the page in after its first render: the attachments, the links (a side
  // panel), the customers' names and the plans (the header's plan name and SLA calendar; every staff role's ticket
  // page asks for them).
  return {
    requests: ['/api/v1/session', `${base}/conversation`],
    modules: [language, TICKET_MODULE],
    later: [`${base}/attachments`, `${base}/links`, '/api/v1/customers', '/api/v1/support-plans'],
  };
}

/**
 * The `Link` header of a console page, in the order the browser should ask (over HTTP/1.1 it has six
 * connections to the API and sends what waits for one in this order, the more important first):
 * - the `entry` script as a module script (`rel=modulepreload`, as Vite's own `<link rel="modulepreload"
 *   crossorigin>`: fetched and compiled, run when imported) and its stylesheets. Without this the page's
 *   `<script type="module">`, which Chromium fetches at low priority, waits behind every preload below,
 *   and nothing runs until it is in;
 * - the API `requests` as the console's fetches ask for them (`as=fetch` with `crossorigin`: CORS mode,
 *   cookies sent same-origin, which is what `fetch(url, { credentials: 'same-origin' })` matches);
 * - the page's script `modules`, which the entry script asks for only once it runs;
 * - the `later` API requests, which the page's first render does not wait for.
 */
export function preloadLinkHeader({ entry = { scripts: [], styles: [] }, requests, modules = [], later = [] }: { entry?: ConsoleEntry; requests: string[]; modules?: string[]; later?: string[] }): string {
  const fetches = (urls: string[]) => urls.map((url) => `<${url}>; rel=preload; as=fetch; crossorigin`);
  return [
    ...entry.scripts.map((file) => `<${file}>; rel=modulepreload; crossorigin`),
    ...entry.styles.map((file) => `<${file}>; rel=preload; as=style; crossorigin`),
    ...fetches(requests),
    ...modules.map((file) => `<${file}>; rel=modulepreload; crossorigin`),
    ...fetches(later),
  ].join(', ');
}
