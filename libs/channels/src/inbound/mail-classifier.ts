/** Why an inbound message makes nothing: an answering machine, a delivery report, or our own mail come back. */
export type NotForTicket = 'auto_reply' | 'bounce' | 'loop';

/** The headers a classification reads (lower-case names, as mailparser keys them), and the sender. */
export interface MailFacts {
  header(name: string): string | undefined;
  from: string;
  messageId?: string;
  contentType?: string;
}

const BOUNCE_SENDERS = /^(mailer-daemon|postmaster|mail-daemon|bounces?)(\+[^@]*)?@/i;
const AUTO_PRECEDENCE = /^(bulk|junk|list|auto_reply)$/i;

/**
 * Whether a message must not become a ticket or a comment, and why (RFC 3834 and common practice):
 * - a loop: it carries our own `X-Helpdesk-Notification` header or a Message-ID of our mail domain;
 * - a bounce: from mailer-daemon/postmaster, or a delivery status report (multipart/report;
 *   report-type=delivery-status, RFC 3464);
 * - an auto-reply: `Auto-Submitted` other than `no`, `Precedence: bulk|junk|list|auto_reply`,
 *   `X-Autoreply`, `X-Autorespond`, or Microsoft's `X-Auto-Response-Suppress: All|OOF|AutoReply`.
 * Answering any of them could start a mail loop, so they are recorded and nothing else.
 */
export function notForTicket(mail: MailFacts, mailDomain: string): NotForTicket | null {
  const ownDomain = `@${mailDomain.toLowerCase()}>`;
  if (mail.header('x-helpdesk-notification') !== undefined || (mail.messageId ?? '').toLowerCase().endsWith(ownDomain)) return 'loop';

  if (BOUNCE_SENDERS.test(mail.from)) return 'bounce';
  const contentType = (mail.contentType ?? '').toLowerCase();
  if (contentType.startsWith('multipart/report') && /report-type\s*=\s*"?delivery-status/.test(contentType)) return 'bounce';

  const autoSubmitted = mail.header('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_reply';
  if (AUTO_PRECEDENCE.test(mail.header('precedence')?.trim() ?? '')) return 'auto_reply';
  if (mail.header('x-autoreply') !== undefined || mail.header('x-autorespond') !== undefined) return 'auto_reply';
  if (/\b(all|oof|autoreply)\b/i.test(mail.header('x-auto-response-suppress') ?? '')) return 'auto_reply';
  return null;
}
