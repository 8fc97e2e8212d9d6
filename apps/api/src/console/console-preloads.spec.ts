import { consolePreloads, preloadLinkHeader } from './console-preloads';

describe('the Link header of a console page', () => {
  const entry = { scripts: ['/assets/index-1.js'], styles: ['/assets/index-1.css'] };

  it('names the entry script and its stylesheet first, then the API requests, then the page\'s modules', () => {
    const header = preloadLinkHeader({ entry, requests: ['/api/v1/session', '/api/v1/tickets?limit=50'], modules: ['/assets/en-1.js', '/assets/inbox-1.js'] });
    expect(header.split(', ')).toEqual([
      '</assets/index-1.js>; rel=modulepreload; crossorigin',
      '</assets/index-1.css>; rel=preload; as=style; crossorigin',
      '</api/v1/session>; rel=preload; as=fetch; crossorigin',
      '</api/v1/tickets?limit=50>; rel=preload; as=fetch; crossorigin',
      '</assets/en-1.js>; rel=modulepreload; crossorigin',
      '</assets/inbox-1.js>; rel=modulepreload; crossorigin',
    ]);
  });

  it("asks for the inbox's session and list before its modules, and for the sidebar's and the customers' names after them", () => {
    const inbox = consolePreloads('/', 'en-GB');
    expect(inbox).toEqual({ requests: ['/api/v1/session', '/api/v1/tickets?limit=50'], modules: ['src/i18n/en.json', 'src/inbox/components/inbox-page.tsx'], later: ['/api/v1/views/names', '/api/v1/customers'] });
    const header = preloadLinkHeader({ entry, requests: inbox.requests, modules: ['/assets/en-1.js', '/assets/inbox-1.js'], later: inbox.later });
    expect(header.split(', ').slice(2)).toEqual([
      '</api/v1/session>; rel=preload; as=fetch; crossorigin',
      '</api/v1/tickets?limit=50>; rel=preload; as=fetch; crossorigin',
      '</assets/en-1.js>; rel=modulepreload; crossorigin',
      '</assets/inbox-1.js>; rel=modulepreload; crossorigin',
      '</api/v1/views/names>; rel=preload; as=fetch; crossorigin',
      '</api/v1/customers>; rel=preload; as=fetch; crossorigin',
    ]);
  });

  it("asks for a ticket's session and its ticket with comments and timeline (one request), then its strings and chunk, then what fills the page in after its first render", () => {
    const id = '5b0e6f8e-1d2a-4c1e-9d7a-3f1f2b3c4d5e';
    const base = `/api/v1/tickets/${id}`;
    expect(consolePreloads(`/tickets/${id}`, 'es-ES')).toEqual({
      requests: ['/api/v1/session', `${base}/conversation`],
      modules: ['src/i18n/es.json', 'src/ticket/components/ticket-page.tsx'],
      later: [`${base}/attachments`, `${base}/links`, '/api/v1/customers', '/api/v1/support-plans'],
    });
    expect(consolePreloads(`/tickets/${id}/x`)).toEqual({ requests: [], modules: ['src/i18n/en.json'] });
  });

  it('is empty when there is nothing to preload (a build without a manifest, a page without requests)', () => {
    expect(preloadLinkHeader({ requests: [] })).toBe('');
    expect(preloadLinkHeader({ entry, requests: [] })).toBe('</assets/index-1.js>; rel=modulepreload; crossorigin, </assets/index-1.css>; rel=preload; as=style; crossorigin');
  });

  it("asks for the inbox's strings before its chunk, in the browser's language", () => {
    expect(consolePreloads('/', 'es-ES,es;q=0.9').modules).toEqual(['src/i18n/es.json', 'src/inbox/components/inbox-page.tsx']);
    expect(consolePreloads('/', 'en-GB').modules).toEqual(['src/i18n/en.json', 'src/inbox/components/inbox-page.tsx']);
    expect(consolePreloads('/?status=open').requests).toEqual([]);
  });
});
