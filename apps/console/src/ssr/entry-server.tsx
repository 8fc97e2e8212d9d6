/**
 * The first screen of the inbox and of a ticket's page, rendered by the api
 * (apps/api/src/console/server-render.ts) inside index.html's `#root` with the console's own
 * components, from answers the api gives it (the same routes the console would ask, answered
 * in-process for the caller). Built with `vite build --ssr` into dist/console-ssr; never loaded by
 * the browser. The browser's main.tsx seeds its query cache with the same answers (the data block)
 * and hydrates this page instead of drawing it again.
 */
import { dehydrate, type QueryClient } from '@tanstack/react-query';
import { createMemoryHistory, defaultParseSearch } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { api, type Schemas } from '../api/client';
import { createQueryClient } from '../api/query-client';
import { App } from '../app/app';
import { createConsoleRouter } from '../app/router';
import { sessionQuery } from '../auth/session';
import { agentsQuery, customersQuery } from '../directory/hooks/use-directory';
import { viewNamesQuery } from '../inbox/hooks/use-views';
import { INBOX_PAGE_SIZE, inboxQueryOptions } from '../inbox/inbox-query';
import { inboxSearch, listQuery, type InboxFilters } from '../inbox/inbox-search';
import i18n, { i18nReady, LANGUAGES, type Language } from '../i18n/i18n';
import { supportPlansQuery } from '../ticket/hooks/use-business-calendars';
import { conversationQuery } from '../ticket/hooks/use-ticket';
import { SERVER_TIME_ZONE } from '../ui/time-zone';
import { dataBlock, textsOf, type AnswerTexts } from './data-block';

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

/**
 * The console routes a ticket page's first render reads, as the browser would ask for them: what its header and
 * timeline draw. The ticket's links and the macros are drawn only by side panels React draws after it has taken the
 * page over (ticket-page.tsx's AfterFirstPaint): the browser asks for them then (route-loaders.ts's loadTicket, at
 * its start), so the page's HTML does not wait for two more answers, nor carry them.
 */
export interface TicketRequests {
  session: string;
  /** The ticket, its comments and its events (one request). */
  conversation: string;
  attachments: string;
  customers: string;
  /** The plans (the header's plan). */
  plans: string;
  /** Refused (403) to all but the admin roles. */
  agents: string;
}

/** Their answers; session and conversation are there (else no render), a part the api could not get is null and the browser asks for it. */
export interface TicketAnswers {
  session: Schemas['SessionResponseDto'];
  conversation: Schemas['TicketConversationDto'];
  attachments: Array<Schemas['AttachmentResponseDto']> | null;
  customers: Array<Schemas['CustomerResponseDto']> | null;
  plans: Array<Schemas['SupportPlanResponseDto']> | null;
  agents: Array<Schemas['AgentResponseDto']> | null;
}

export type { AnswerTexts };

export interface RenderedPage {
  /** What goes inside `#root`. */
  html: string;
  /** The data block's JSON (TanStack Query's dehydrated cache, the language and the times' zone), not yet escaped for HTML. */
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

/** A ticket page's requests for the ticket `id` (the page's address's, as typed: a bad one is the API's 400 or 404, and no render). */
export function ticketRequests(id: string): TicketRequests {
  const ticket = `/api/v1/tickets/${encodeURIComponent(id)}`;
  return {
    session: '/api/v1/session',
    conversation: `${ticket}/conversation`,
    attachments: `${ticket}/attachments`,
    customers: '/api/v1/customers',
    plans: '/api/v1/support-plans',
    agents: '/api/v1/agents',
  };
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

function seedTicket(client: QueryClient, id: string, answers: TicketAnswers): void {
  const path = { params: { path: { id } } };
  client.setQueryData(sessionQuery.queryKey, answers.session);
  client.setQueryData(conversationQuery(id).queryKey, answers.conversation);
  if (answers.attachments) client.setQueryData(api.queryOptions('get', '/api/v1/tickets/{id}/attachments', path).queryKey, answers.attachments);
  if (answers.customers) client.setQueryData(customersQuery().queryKey, answers.customers);
  if (answers.plans) client.setQueryData(supportPlansQuery().queryKey, answers.plans);
  if (answers.agents) client.setQueryData(agentsQuery().queryKey, answers.agents);
}

/**
 * The inbox at `url` (`/` and its search) for the signed-in caller, in `language`.
 * Throws when it cannot render the inbox as the browser would (the api then sends the plain page).
 */
export function renderInbox(url: string, language: Language, answers: InboxAnswers, texts: AnswerTexts = {}): Promise<RenderedPage> {
  const [, search = ''] = url.split('?');
  return renderPage(url, '/', language, (client) => seed(client, filtersOf(search ? `?${search}` : ''), answers), textsOf(answers, texts));
}

/**
 * The ticket page at `url` (`/tickets/<id>`) for the signed-in caller, in `language`: its header and
 * its whole timeline (the page draws every entry at once), the reply box for those who may reply; the
 * side panels are drawn by the browser right after it takes the page over, as they are after a click.
 * Throws when it cannot render the page as the browser would (the api then sends the plain page).
 */
export function renderTicket(url: string, language: Language, answers: TicketAnswers, texts: AnswerTexts = {}): Promise<RenderedPage> {
  const id = decodeURIComponent(url.split('?')[0].slice('/tickets/'.length));
  if (answers.conversation.ticket.id !== id) throw new Error(`The server render of ${url} was given ticket ${answers.conversation.ticket.id}`);
  return renderPage(url, '/tickets/$ticketId', language, (client) => seedTicket(client, id, answers), textsOf(answers, texts));
}

/**
 * The page at `url`, which must be the route `routeId`, from the cache `seed` fills. Synchronous from
 * the language switch to the string: requests rendered concurrently cannot see each other's language.
 */
async function renderPage(url: string, routeId: '/' | '/tickets/$ticketId', language: Language, seed: (client: QueryClient) => void, texts: ReadonlyMap<unknown, string>): Promise<RenderedPage> {
  await ready;
  const client = createQueryClient();
  seed(client);
  const router = createConsoleRouter({ history: createMemoryHistory({ initialEntries: [url] }) });
  await router.load();
  const match = router.state.matches.at(-1);
  if (match?.routeId !== routeId || match.status !== 'success') throw new Error(`The server render matched ${match?.routeId ?? 'nothing'} (${match?.status ?? '-'}) for ${url}`);
  // Every language's strings are loaded, so the switch is immediate; nothing awaits between it and the render.
  void i18n.changeLanguage(language);
  if (i18n.language !== language) throw new Error(`The server render could not switch to ${language}`);
  const html = renderToString(
    <StrictMode>
      <App client={client} router={router} />
    </StrictMode>,
  );
  // A component that throws inside a Suspense boundary does not fail renderToString: React leaves that
  // boundary to the browser (`<!--$!-->`). Such a page would not be the page's content: the plain page instead.
  if (html.includes('<!--$!-->')) throw new Error(`The server render of ${url} failed in a component (React left it to the browser)`);
  return { html, data: dataBlock(language, SERVER_TIME_ZONE, dehydrate(client), texts) };
}
