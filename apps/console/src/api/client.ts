import createFetchClient from 'openapi-fetch';
import createQueryClient from 'openapi-react-query';
import type { components, paths } from './schema';

/** The API's documented shapes, by schema name (generated: `npm run console:api`). */
export type Schemas = components['schemas'];

/**
 * The one HTTP client of the console, typed from the API's OpenAPI document. The console is served
 * from the API's origin, so every path is relative to it, and the browser sends the HttpOnly
 * session cookie with each request (the console never sees it).
 */
export const fetchClient = createFetchClient<paths>({
  // The api's server render (src/ssr/entry-server.tsx) imports this module but never fetches: it has no window.
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
  credentials: 'same-origin',
});

/** TanStack Query hooks over the typed client: `api.useQuery('get', '/api/v1/tickets', …)`. */
export const api = createQueryClient(fetchClient);

/** Methods that change nothing: the API asks for the CSRF token on every other one. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

let csrfToken: string | null = null;
let sessionEnded: () => void = () => undefined;

fetchClient.use({
  onRequest({ request }) {
    if (csrfToken && !SAFE_METHODS.has(request.method)) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
  onResponse({ response, request }) {
    // A 401 means the session ended (expired, signed out elsewhere, token revoked): back to sign-in.
    if (response.status === 401 && csrfToken && !request.url.endsWith('/api/v1/session')) sessionEnded();
    return response;
  },
});

/**
 * The signed-in session's CSRF token (kept in memory only; the API hands it out again with
 * GET /api/v1/session after a reload), and what to do when the API stops taking the session.
 */
export function setSession(token: string | null, onSessionEnded: () => void = () => undefined): void {
  csrfToken = token;
  sessionEnded = onSessionEnded;
}
