import createFetchClient from 'openapi-fetch';
import createQueryClient from 'openapi-react-query';
import type { components, paths } from './schema';

/** The API's documented shapes, by schema name (generated: `npm run console:api`). */
export type Schemas = components['schemas'];

/**
 * The one HTTP client of the console, typed from the API's OpenAPI document. The console is served
 * from the API's origin, so every path is relative to it.
 */
export const fetchClient = createFetchClient<paths>({ baseUrl: window.location.origin });

/** TanStack Query hooks over the typed client: `api.useQuery('get', '/api/v1/tickets', …)`. */
export const api = createQueryClient(fetchClient);

let bearer: string | null = null;
let sessionEnded: () => void = () => undefined;

fetchClient.use({
  onRequest({ request }) {
    if (bearer && !request.headers.has('Authorization')) request.headers.set('Authorization', `Bearer ${bearer}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && bearer) sessionEnded();
    return response;
  },
});

/** The credentials every request carries from now on, and what to do when the API stops taking them. */
export function setCredentials(token: string | null, onSessionEnded: () => void = () => undefined): void {
  bearer = token;
  sessionEnded = onSessionEnded;
}
