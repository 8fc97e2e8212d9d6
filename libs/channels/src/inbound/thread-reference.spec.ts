import { notificationMessageId, threadReference } from './thread-reference';

const TICKET = '3f2b8c1e-9d4a-4b7e-8f00-123456789abc';

describe('threadReference', () => {
  it('finds the ticket of one of our notifications in In-Reply-To or References', () => {
    const ours = notificationMessageId(TICKET, 'comment:42', 'helpdesk.test');
    expect(ours).toBe(`<hd.${TICKET}.comment-42@helpdesk.test>`);
    expect(threadReference({ inReplyTo: ours, references: [], subject: 'Re: hello' }, 'helpdesk.test')).toEqual({ ticketId: TICKET });
    expect(threadReference({ references: ['<other@x.example>', ours], subject: 'Re: hello' }, 'helpdesk.test')).toEqual({ ticketId: TICKET });
  });

  it('ignores look-alike ids of another domain and falls back to [HD-000123] in the subject', () => {
    const foreign = `<hd.${TICKET}.x@evil.example>`;
    expect(threadReference({ inReplyTo: foreign, references: [], subject: 'Re: [HD-000123] Outlook' }, 'helpdesk.test')).toEqual({ ticketNumber: 123 });
    expect(threadReference({ inReplyTo: foreign, references: [], subject: 'Re: Outlook' }, 'helpdesk.test')).toBeNull();
  });
});
