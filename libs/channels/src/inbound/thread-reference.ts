/** The ticket an inbound reply belongs to, as its headers or its subject name it. */
export type ThreadReference = { ticketId: string } | { ticketNumber: number };

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SUBJECT_NUMBER = /\[HD-(\d{1,12})\]/i;

/**
 * The Message-ID of a notification about `ticketId` (see message-id), which a customer's reply
 * names in In-Reply-To / References: `<hd.<ticket id>.<event key>@<mail domain>>`.
 */
export function notificationMessageId(ticketId: string, eventKey: string, mailDomain: string): string {
  return `<hd.${ticketId}.${eventKey.replace(/[^A-Za-z0-9._-]/g, '-')}@${mailDomain}>`;
}

/**
 * Which ticket a message replies to: first a Message-ID of one of our notifications in
 * In-Reply-To or References (most recent first), then `[HD-000123]` in the subject. Whether the
 * sender may write on that ticket is the caller's to check.
 */
export function threadReference(mail: { inReplyTo?: string; references: readonly string[]; subject: string }, mailDomain: string): ThreadReference | null {
  const ours = new RegExp(`^<hd\\.(${UUID})\\.[^@>]*@${mailDomain.replace(/[.]/g, '\\.')}>$`, 'i');
  const ids = [mail.inReplyTo, ...[...mail.references].reverse()].filter((id): id is string => typeof id === 'string');
  for (const id of ids) {
    const match = ours.exec(id.trim());
    if (match) return { ticketId: match[1].toLowerCase() };
  }
  const number = SUBJECT_NUMBER.exec(mail.subject);
  return number ? { ticketNumber: Number(number[1]) } : null;
}
