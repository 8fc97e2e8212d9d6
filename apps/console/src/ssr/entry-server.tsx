/**
 * The inbox's first screen, rendered by the api (apps/api/src/console/server-render.ts) inside
 * index.html's `#root` with the console's own components, from answers the api gives it (the same
 * routes the console would ask, answered in-process for the caller). Built with `vite build --ssr`
 * into dist/console-ssr; never loaded by the browser. The browser's main.tsx seeds its query cache
 * with the same answers (the data block) and hydrates these rows instead of drawing them again.
 */
import { dehydrate, type QueryClient } from '@tanstack/react-query';
import { createMemoryHistory, defaultParseSearch } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import type { Schemas } from '../api/client';
import { createQueryClient } from '../api/query-client';
import { App } from '../app/app';
import { createConsoleRouter } from '../app/router';
import { sessionQuery } from '../auth/session';
import { agentsQuery, customersQuery } from '../directory/hooks/use-directory';
import { viewNamesQuery } from '../inbox/hooks/use-views';
import { INBOX_PAGE_SIZE, inboxQueryOptions } from '../inbox/inbox-query';
import { inboxSearch, listQuery, type InboxFilters } from '../inbox/inbox-search';
import i18n, { i18nReady, LANGUAGES, type Language } from '../i18n/i18n';

/** The console routes the inbox's first render reads, as the browser would ask for them. */
export interface InboxRequests {
  session: string;
  list: string;
  viewNames: string;
  customers: string;
  /** Refused (403) to all but the admin roles, whose list shows assignees by name. */
  agents: string;
}

/** Their answers (the api's JSON bodies); a part the api could not get is null and the browser asks for it. */
export interface InboxAnswers {
  session: Schemas['SessionResponseDto'];
  list: Schemas['TicketPageDto'];
  viewNames: Array<Schemas['UncountedViewDto']> | null;
  customers: Array<Schemas['CustomerResponseDto']> | null;
  agents: Array<Schemas['AgentResponseDto']> | null;
}

export interface RenderedInbox {
  /** What goes inside `#root`. */
  html: string;
  /** The data block's JSON (TanStack Query's dehydrated cache and the language), not yet escaped for HTML. */
  data: string;
}

function filtersOf(search: string): InboxFilters {
  return inboxSearch(defaultParseSearch(search));
}

/** The list's request for the inbox at `search` (`?status=open&view=…`), as fetchInboxPage makes it. */
export function inboxRequests(search: string): InboxRequests {
  const filters = filtersOf(search);
  const query = new URLSearchParams();
  const page = { limit: INBOX_PAGE_SIZE };
  const params: Record<string, unknown> = filters.view ? page : { ...listQuery(filters), ...page };
  for (const [key, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) query.append(key, String(one));
  }
  const list = filters.view ? `/api/v1/views/${encodeURIComponent(filters.view)}/tickets?${query}` : `/api/v1/tickets?${query}`;
  return { session: '/api/v1/session', list, viewNames: '/api/v1/views/names', customers: '/api/v1/customers', agents: '/api/v1/agents' };
}

const ready = i18nReady.then(() => i18n.loadLanguages([...LANGUAGES]));

/** Loads both languages' strings once; the api awaits it before its first render. */
export function prepare(): Promise<void> {
  return ready;
}

function seed(client: QueryClient, filters: InboxFilters, answers: InboxAnswers): void {
  client.setQueryData(sessionQuery.queryKey, answers.session);
  client.setQueryData(inboxQueryOptions(filters).queryKey, { pages: [answers.list], pageParams: [null] });
  if (answers.viewNames) client.setQueryData(viewNamesQuery().queryKey, answers.viewNames);
  if (answers.customers) client.setQueryData(customersQuery().queryKey, answers.customers);
  if (answers.agents) client.setQueryData(agentsQuery().queryKey, answers.agents);
}

/**
 * The inbox at `url` (`/` and its search) for the signed-in caller, in `language`. Synchronous from
 * the language switch to the string: requests rendered concurrently cannot see each other's language.
 * Throws when it cannot render the inbox as the browser would (the api then sends the plain page).
 */
export async function renderInbox(url: string, language: Language, answers: InboxAnswers): Promise<RenderedInbox> {
  await ready;
  const client = createQueryClient();
  const [, search = ''] = url.split('?');
  seed(client, filtersOf(search ? `?${search}` : ''), answers);
  const router = createConsoleRouter({ history: createMemoryHistory({ initialEntries: [url] }) });
  await router.load();
  const match = router.state.matches.at(-1);
  if (match?.routeId !== '/' || match.status !== 'success') throw new Error(`The server render matched ${match?.routeId ?? 'nothing'} (${match?.status ?? '-'}) for ${url}`);
  // Every language's strings are loaded, so the switch is immediate; nothing awaits between it and the render.
  void i18n.changeLanguage(language);
  if (i18n.language !== language) throw new Error(`The server render could not switch to ${language}`);
  const html = renderToString(
    <StrictMode>
      <App client={client} router={router} />
    </StrictMode>,
  );
  // A component that throws inside a Suspense boundary does not fail renderToString: React leaves that
  // boundary to the browser (`<!--$!-->`). Such a page would not be the inbox's rows: the plain page instead.
  if (html.includes('<!--$!-->')) throw new Error(`The server render of ${url} failed in a component (React left it to the browser)`);
  return { html, data: JSON.stringify({ language, queries: dehydrate(client) }) };
}
