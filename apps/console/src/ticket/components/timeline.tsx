import type { TFunction } from 'i18next';
import { memo, useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';
import i18n from '../../i18n/i18n';
import { formatDateTime } from '../../ui/format';
import { useTimeZone } from '../../ui/time-zone';
import type { Attachment } from '../hooks/use-attachments';
import { AttachmentList } from './attachments';

type Event = Schemas['TicketEventDto'];
type Comment = Schemas['CommentResponseDto'];

type Entry = { kind: 'event'; at: string; event: Event } | { kind: 'comment'; at: string; comment: Comment };

/** Each comment is shown once, as itself: its `commented` event adds nothing to it. */
const SHOWN_AS_COMMENT = new Set(['commented']);

/** A comment's files are shown on it; an `attached` event stays only for files attached to the ticket itself. */
const shownOnComment = (event: Event) => SHOWN_AS_COMMENT.has(event.type) || (event.type === 'attached' && Boolean((event.data as { commentId?: unknown }).commentId));

/** One timeline, oldest first: the ticket's events and its comments (internal notes set apart), each with its files. */
export function Timeline({ events, comments, ticketId, attachments = [] }: { events: Event[]; comments: Comment[]; ticketId?: string; attachments?: Attachment[] }) {
  const { t, i18n } = useTranslation();
  // One directory subscription for the whole timeline, not one per entry.
  const { agentName } = useDirectory();
  // The entries' times: in the server render's zone while React takes its HTML over, then drawn again in the browser's (ui/time-zone.ts).
  const zone = useTimeZone();
  const entries = useMemo(
    () =>
      [
        ...events.filter((event) => !shownOnComment(event)).map((event): Entry => ({ kind: 'event', at: event.at, event })),
        ...comments.map((comment): Entry => ({ kind: 'comment', at: comment.createdAt, comment })),
      ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    [events, comments],
  );
  // What every entry shares is worked out once here, not once per entry: a long conversation is
  // hundreds of comments, and the entries are memoised on these values and on their own names
  // (strings), so a later answer — the agents' names, the files — draws again only the entries it changes.
  const words: Words = useMemo(
    () => ({
      language: i18n.language,
      zone,
      internalNote: t('reply.internalNote'),
      publicReply: t('reply.publicReply'),
      t,
    }),
    [t, i18n.language, zone],
  );
  const actorName = useCallback(
    (actor: Schemas['ActorDto'] & { name?: string | null }) => (actor.kind === 'system' ? t('timeline.system') : actor.kind === 'customer' ? (actor.name ?? t('timeline.customer')) : (actor.name ?? agentName(actor.id) ?? t('timeline.staff'))),
    [agentName, t],
  );
  /** An assignment's agents by name (the only events whose text names agents by id). */
  const assignedName = (event: Event, key: 'from' | 'to') => {
    const id = (event.data as Record<string, unknown>)[key];
    return event.type === 'assigned' && id ? (agentName(String(id)) ?? undefined) : undefined;
  };
  const files = useMemo(() => filesByEntry(attachments, events), [attachments, events]);

  return (
    <ol className="timeline">
      {entries.map((entry) =>
        entry.kind === 'comment' ? (
          <CommentEntry key={entry.comment.id} comment={entry.comment} words={words} who={actorName(entry.comment.author)} ticketId={ticketId} files={files.get(entry.comment.id)} />
        ) : (
          <EventEntry
            key={entry.event.id}
            event={entry.event}
            words={words}
            who={actorName(entry.event.actor)}
            fromName={assignedName(entry.event, 'from')}
            toName={assignedName(entry.event, 'to')}
            ticketId={ticketId}
            files={files.get(entry.event.id)}
          />
        ),
      )}
    </ol>
  );
}

interface Words {
  language: string;
  /** The zone the times are drawn in (time-zone.ts): a new one draws the entries again. */
  zone: string | undefined;
  internalNote: string;
  publicReply: string;
  t: TFunction;
}

/** The files each entry shows, by comment id or by `attached` event id (computed once per answer, so the entries keep their props). */
function filesByEntry(attachments: Attachment[], events: Event[]): Map<string, Attachment[]> {
  const files = new Map<string, Attachment[]>();
  if (attachments.length === 0) return files;
  const add = (id: string, attachment: Attachment) => files.set(id, [...(files.get(id) ?? []), attachment]);
  for (const attachment of attachments) if (attachment.commentId) add(attachment.commentId, attachment);
  for (const event of events) {
    if (event.type !== 'attached' || shownOnComment(event)) continue;
    for (const attachment of attachments) if (attachedBy(event, attachment)) add(event.id, attachment);
  }
  return files;
}

/** Whether an `attached` event recorded this file. */
function attachedBy(event: Event, attachment: Attachment): boolean {
  const recorded = (event.data as { attachments?: Array<{ id?: unknown }> }).attachments ?? [];
  return recorded.some((r) => r.id === attachment.id);
}

const CommentEntry = memo(function CommentEntry({ comment, words, who, ticketId, files }: { comment: Comment; words: Words; who: string; ticketId?: string; files?: Attachment[] }) {
  const internal = comment.visibility === 'internal';
  return (
    <li className={`timeline-entry comment ${internal ? 'internal' : 'public'}`}>
      <div className="entry-meta">
        <span className={`visibility-badge ${comment.visibility}`}>{internal ? words.internalNote : words.publicReply}</span>
        <strong>{who}</strong>
        <time dateTime={comment.createdAt}>{formatDateTime(comment.createdAt, words.zone)}</time>
      </div>
      <p className="comment-body">{comment.body}</p>
      {ticketId && files && <AttachmentList ticketId={ticketId} attachments={files} />}
    </li>
  );
});

const EventEntry = memo(function EventEntry({
  event,
  words,
  who,
  fromName,
  toName,
  ticketId,
  files,
}: {
  event: Event;
  words: Words;
  who: string;
  fromName?: string;
  toName?: string;
  ticketId?: string;
  files?: Attachment[];
}) {
  const { t } = words;
  const data = event.data as Record<string, unknown>;
  const value = (v: unknown, name?: string) => {
    if (v === null || v === undefined || v === '') return t('timeline.none');
    const text = String(v);
    if (event.type === 'status_changed') return t(`status.${text}`);
    if (event.type === 'category_changed') return t(`category.${text}`);
    if (event.type === 'product_changed') return t(`product.${text}`);
    if (event.type === 'assigned') return name ?? text;
    return text;
  };
  const list = (v: unknown) => (Array.isArray(v) && v.length ? v.join(', ') : t('timeline.none'));
  const key = `timeline.events.${event.type}`;
  const detail = i18n.exists(key)
    ? t(key, {
        from: value(data.from, fromName),
        to: value(data.to, toName),
        tier: data.tier ? t(`tier.${String(data.tier)}`) : '',
        target: data.target ? t(`sla.target.${String(data.target)}`) : '',
        vendorCaseId: data.vendorCaseId ?? '',
        error: data.error ?? data.detail ?? '',
        channel: data.channel ? t(`channel.${String(data.channel)}`) : '',
        number: data.number ?? '',
        name: data.name ?? '',
        added: list(data.added),
        removed: list(data.removed),
      })
    : t('timeline.events.other', { type: event.type });
  return (
    <li className={`timeline-entry event event-${event.type}`}>
      <div className="entry-meta">
        <strong>{who}</strong>
        <time dateTime={event.at}>{formatDateTime(event.at, words.zone)}</time>
      </div>
      <p>{detail}</p>
      {ticketId && files && <AttachmentList ticketId={ticketId} attachments={files} />}
    </li>
  );
});
