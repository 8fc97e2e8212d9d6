import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { useDirectory } from '../../directory/hooks/use-directory';
import { formatDateTime } from '../../ui/format';
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
  const { t } = useTranslation();
  // One directory subscription for the whole timeline, not one per entry.
  const { agentName } = useDirectory();
  const entries = useMemo(
    () =>
      [
        ...events.filter((event) => !shownOnComment(event)).map((event): Entry => ({ kind: 'event', at: event.at, event })),
        ...comments.map((comment): Entry => ({ kind: 'comment', at: comment.createdAt, comment })),
      ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
    [events, comments],
  );
  const names: Names = useMemo(
    () => ({
      agentName,
      // The public timeline (what staff who only read a ticket get) names staff instead of giving their id.
      actorName: (actor) => (actor.kind === 'system' ? t('timeline.system') : actor.kind === 'customer' ? t('timeline.customer') : (actor.name ?? agentName(actor.id) ?? t('timeline.staff'))),
    }),
    [agentName, t],
  );
  const filesOf = (pick: (a: Attachment) => boolean) => (ticketId && attachments.length > 0 ? <AttachmentList ticketId={ticketId} attachments={attachments.filter(pick)} /> : null);

  return (
    <ol className="timeline">
      {entries.map((entry) =>
        entry.kind === 'comment' ? (
          <CommentEntry key={entry.comment.id} comment={entry.comment} names={names} files={filesOf((a) => a.commentId === entry.comment.id)} />
        ) : (
          <EventEntry key={entry.event.id} event={entry.event} names={names} files={entry.event.type === 'attached' ? filesOf((a) => attachedBy(entry.event, a)) : null} />
        ),
      )}
    </ol>
  );
}

interface Names {
  actorName: (actor: Schemas['ActorDto'] & { name?: string | null }) => string;
  agentName: (id: string | null | undefined) => string | null;
}

/** Whether an `attached` event recorded this file. */
function attachedBy(event: Event, attachment: Attachment): boolean {
  const recorded = (event.data as { attachments?: Array<{ id?: unknown }> }).attachments ?? [];
  return recorded.some((r) => r.id === attachment.id);
}

function CommentEntry({ comment, names: { actorName }, files }: { comment: Comment; names: Names; files: ReactNode }) {
  const { t } = useTranslation();
  const internal = comment.visibility === 'internal';
  return (
    <li className={`timeline-entry comment ${internal ? 'internal' : 'public'}`}>
      <div className="entry-meta">
        <span className={`visibility-badge ${comment.visibility}`}>{internal ? t('reply.internalNote') : t('reply.publicReply')}</span>
        <strong>{actorName(comment.author)}</strong>
        <time dateTime={comment.createdAt}>{formatDateTime(comment.createdAt)}</time>
      </div>
      <p className="comment-body">{comment.body}</p>
      {files}
    </li>
  );
}

function EventEntry({ event, names: { actorName, agentName }, files }: { event: Event; names: Names; files: ReactNode }) {
  const { t } = useTranslation();
  const data = event.data as Record<string, unknown>;
  const value = (v: unknown) => {
    if (v === null || v === undefined || v === '') return t('timeline.none');
    const text = String(v);
    if (event.type === 'status_changed') return t(`status.${text}`);
    if (event.type === 'category_changed') return t(`category.${text}`);
    if (event.type === 'product_changed') return t(`product.${text}`);
    if (event.type === 'assigned') return agentName(text) ?? text;
    return text;
  };
  const detail = t(`timeline.events.${event.type}`, {
    defaultValue: t('timeline.events.other', { type: event.type }),
    from: value(data.from),
    to: value(data.to),
    tier: data.tier ? t(`tier.${String(data.tier)}`) : '',
    target: data.target ? t(`sla.target.${String(data.target)}`) : '',
    vendorCaseId: data.vendorCaseId ?? '',
    error: data.error ?? data.detail ?? '',
    channel: data.channel ? t(`channel.${String(data.channel)}`) : '',
    number: data.number ?? '',
    name: data.name ?? '',
    added: Array.isArray(data.added) && data.added.length ? data.added.join(', ') : t('timeline.none'),
    removed: Array.isArray(data.removed) && data.removed.length ? data.removed.join(', ') : t('timeline.none'),
  });
  return (
    <li className={`timeline-entry event event-${event.type}`}>
      <div className="entry-meta">
        <strong>{actorName(event.actor)}</strong>
        <time dateTime={event.at}>{formatDateTime(event.at)}</time>
      </div>
      <p>{detail}</p>
      {files}
    </li>
  );
}
