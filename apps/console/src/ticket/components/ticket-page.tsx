import { getRouteApi, Link } from '@tanstack/react-router';
import { useDeferredValue, useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCapabilities } from '../../auth/session';
import { ErrorMessage, Loading } from '../../ui/feedback';
import { useAttachments } from '../hooks/use-attachments';
import { useTicket } from '../hooks/use-ticket';
import { DiagnosisPanel } from './diagnosis-panel';
import { EscalationsPanel } from './escalations-panel';
import { ReplyBox, type ReplyBoxHandle } from './reply-box';
import { MacroPanel } from './macro-panel';
import { RelationsPanel } from './relations-panel';
import { TagsPanel } from './tags-panel';
import { TicketActions } from './ticket-actions';
import { TicketHeader } from './ticket-header';
import { Timeline } from './timeline';
import { useHotkey } from '../../app/hotkeys';
import { markTicketLive } from '../../app/server-render';

const route = getRouteApi('/tickets/$ticketId');

export function TicketPage() {
  const { t } = useTranslation();
  const { ticketId } = route.useParams();
  const { capabilities } = useCapabilities();
  const { conversation, refresh: refreshTicket } = useTicket(ticketId);
  const attachments = useAttachments(ticketId);
  const refresh = () => {
    refreshTicket();
    void attachments.refresh();
  };
  const reply = useRef<ReplyBoxHandle>(null);
  useHotkey('r', (event) => {
    event.preventDefault();
    reply.current?.focus('public');
  });
  useHotkey('i', (event) => {
    event.preventDefault();
    reply.current?.focus('internal');
  });

  // The header and the timeline are React's (drawn, or taken over from the server's HTML).
  const drawn = Boolean(conversation.data);
  useEffect(() => {
    if (drawn) markTicketLive();
  }, [drawn]);

  if (conversation.isError) return <ErrorMessage error={conversation.error} />;
  if (!conversation.data) return <Loading />;
  const { ticket: data, comments, events } = conversation.data;
  // The API gives triage's working notes only to staff who work this ticket (billing_admin: billing
  // tickets); those who only read it (sales_agent, billing_admin elsewhere) may not comment either.
  const works = data.diagnosis !== undefined;

  return (
    <article className="page ticket" aria-labelledby="ticket-title">
      <p className="breadcrumbs">
        <Link to="/">{t('layout.inbox')}</Link> / {data.number}
      </p>
      <TicketHeader ticket={data} />
      <div className="ticket-columns">
        <div className="ticket-main">
          <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t('timeline.title')}</h2>
            <p className="description">{data.description}</p>
            <Timeline events={events} comments={comments} ticketId={ticketId} attachments={attachments.list.data ?? []} />
          </section>
          {capabilities.comments && works && <ReplyBox ref={reply} ticketId={ticketId} onSent={refresh} />}
        </div>
        <aside className="ticket-side">
          <AfterFirstPaint>
            {capabilities.worksTickets && <TicketActions ticket={data} onChanged={refresh} />}
            {works && <DiagnosisPanel ticket={data} events={events} />}
            <EscalationsPanel events={events} onChanged={refresh} />
            {capabilities.worksTickets && works && <MacroPanel ticket={data} onChanged={refresh} />}
            <TagsPanel ticket={data} onChanged={refresh} canChange={capabilities.worksTickets && works} />
            <RelationsPanel ticket={data} events={events} canChange={capabilities.worksTickets && works} onChanged={refresh} />
          </AfterFirstPaint>
        </aside>
      </div>
    </article>
  );
}

/**
 * What an agent reads first (the header, the timeline, the reply box) is drawn and painted first; the
 * side panels (React Aria's selects and comboboxes, the diagnosis), wrapped in this, in the render
 * React makes right after (a deferred value that starts false), whether the ticket came with the page
 * or after a click in the inbox.
 */
function AfterFirstPaint({ children }: { children: ReactNode }) {
  const drawn = useDeferredValue(true, false);
  return drawn ? children : null;
}
