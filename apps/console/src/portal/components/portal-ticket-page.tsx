import { useQueryClient } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api/client';
import { AttachControl, AttachmentList } from '../../ticket/components/attachments';
import { useAttachments, useUpload, type Attachment } from '../../ticket/hooks/use-attachments';
import { ErrorMessage, QueryState } from '../../ui/feedback';
import { TextField } from '../../ui/fields';
import { formatDateTime } from '../../ui/format';
import { PortalLink } from './portal-link';
import { PublicStatus } from './public-status';
import { UploadProblem } from './upload-problem';

type Event = Schemas['TicketEventDto'];
type Comment = Schemas['CommentResponseDto'];

/**
 * One ticket as its customer follows it: the public timeline (with the public comments and their
 * files, as downloads) and a reply box that takes files too. The API lists a customer only the
 * public files of its own tickets.
 */
export function PortalTicketPage() {
  const { t } = useTranslation();
  const { ticketId } = useParams({ strict: false }) as { ticketId: string };
  const path = { params: { path: { id: ticketId } } };
  const ticket = api.useQuery('get', '/api/v1/tickets/{id}', path);
  const events = api.useQuery('get', '/api/v1/tickets/{id}/events', path);
  const comments = api.useQuery('get', '/api/v1/tickets/{id}/comments', path);
  const attachments = useAttachments(ticketId);
  const files = attachments.list.data ?? [];

  return (
    <section className="page portal-page" aria-labelledby="portal-ticket-title">
      <p>
        <PortalLink to="/tickets">{t('portal.ticket.back')}</PortalLink>
      </p>
      <QueryState query={ticket}>
        {(tk) => (
          <>
            <h1 id="portal-ticket-title">
              <span className="ticket-number">{tk.number}</span> {tk.subject}
            </h1>
            <dl className="facts">
              <div>
                <dt>{t('ticket.status')}</dt>
                <dd>
                  <PublicStatus status={tk.status} />
                </dd>
              </div>
              <div>
                <dt>{t('ticket.created')}</dt>
                <dd>{formatDateTime(tk.createdAt)}</dd>
              </div>
            </dl>
            <div className="panel">
              <p className="prose">{tk.description}</p>
              <AttachmentList ticketId={ticketId} attachments={files.filter((a) => !a.commentId)} />
            </div>
          </>
        )}
      </QueryState>
      <section className="panel" aria-labelledby="portal-timeline-title">
        <h2 id="portal-timeline-title">{t('timeline.title')}</h2>
        <QueryState query={events}>{(list) => <PublicTimeline ticketId={ticketId} events={list} comments={comments.data ?? []} files={files} />}</QueryState>
      </section>
      <ReplyBox ticketId={ticketId} />
    </section>
  );
}

function PublicTimeline({ ticketId, events, comments, files }: { ticketId: string; events: Event[]; comments: Comment[]; files: Attachment[] }) {
  const { t } = useTranslation();
  const byId = new Map(comments.map((c) => [c.id, c]));
  const who = (event: Event) => {
    const name = (event.actor as { name?: string | null }).name;
    return event.actor.kind === 'staff' ? (name ?? t('portal.ticket.support')) : event.actor.kind === 'customer' ? (name ?? t('portal.ticket.you')) : t('timeline.system');
  };
  return (
    <ol className="timeline">
      {events.map((event) => {
        const comment = event.type === 'commented' ? byId.get(String(event.data.commentId)) : undefined;
        return (
          <li key={event.id} className={`timeline-entry ${comment ? `comment comment-${event.actor.kind}` : 'event'}`}>
            <div className="entry-meta">
              <strong>{who(event)}</strong>
              <time dateTime={event.at}>{formatDateTime(event.at)}</time>
            </div>
            {comment ? (
              <>
                <p className="prose">{comment.body}</p>
                <AttachmentList ticketId={ticketId} attachments={files.filter((a) => a.commentId === comment.id)} />
              </>
            ) : (
              <p>
                {event.type === 'status_changed'
                  ? t('portal.ticket.statusChanged', { status: t(`portal.status.${String(event.data.to)}`, { defaultValue: String(event.data.to) }) })
                  : event.type === 'created'
                    ? t('portal.ticket.created', { channel: t(`channel.${String(event.data.channel)}`) })
                    : t('portal.ticket.commented')}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function ReplyBox({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const sent = () => {
    setBody('');
    setFiles([]);
    void queryClient.invalidateQueries();
  };
  const reply = api.useMutation('post', '/api/v1/tickets/{id}/comments', { onSuccess: sent });
  // With files, the reply and its files are one upload (one transaction on the API's side).
  const { upload, send } = useUpload(ticketId, sent);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    if (files.length > 0) send({ body, visibility: 'public', files });
    else reply.mutate({ params: { path: { id: ticketId } }, body: { body, visibility: 'public' } });
  };
  return (
    <section className="panel" aria-labelledby="portal-reply-title">
      <h2 id="portal-reply-title">{t('portal.ticket.reply')}</h2>
      <Form onSubmit={submit} validationBehavior="aria">
        <TextField label={t('portal.ticket.message')} value={body} onChange={setBody} multiline rows={4} name="reply" description={t('portal.ticket.replyHelp')} />
        <AttachControl files={files} onChange={setFiles} />
        <ErrorMessage error={reply.error} />
        <UploadProblem error={upload.error} />
        <Button type="submit" className="button primary" isDisabled={reply.isPending || upload.isPending || !body.trim()}>
          {t('portal.ticket.send')}
        </Button>
      </Form>
    </section>
  );
}
