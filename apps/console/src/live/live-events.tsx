import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, fetchClient, type Schemas } from '../api/client';
import { useCapabilities } from '../auth/session';

/** The stream's events and the data each carries (documented on GET /api/v1/queues/stream). */
export interface LiveEventData {
  stats: Schemas['QueueStatsDto'];
  'ticket.created': Schemas['LiveTicketCreatedDto'];
  'ticket.escalated': Schemas['LiveTicketEscalatedDto'];
  'sla.breached': Schemas['LiveSlaBreachedDto'];
  'escalation.failed': Schemas['LiveEscalationFailedDto'];
  /**
   * Not sent by the API: the stream opened again after it had dropped. Events published while it was
   * down are not replayed, so whatever the stream keeps current is asked for again.
   */
  reconnected: Record<string, never>;
}
export type LiveEventType = keyof LiveEventData;
const STREAM_EVENT_TYPES: Exclude<LiveEventType, 'reconnected'>[] = ['stats', 'ticket.created', 'ticket.escalated', 'sla.breached', 'escalation.failed'];

/** live: the stream is open; connecting: (re)opening it; off: this role may not watch it. */
export type LiveStatus = 'live' | 'connecting' | 'off';

type Listener = (type: LiveEventType, data: unknown) => void;

interface LiveEvents {
  status: LiveStatus;
  subscribe: (listener: Listener) => () => void;
}

const LiveContext = createContext<LiveEvents>({ status: 'off', subscribe: () => () => undefined });

const MAX_BACKOFF_MS = 30_000;

/**
 * One EventSource per tab on GET /api/v1/queues/stream, for the roles that may watch it. A browser's
 * EventSource cannot send a header, so each connection spends a single-use stream token (POST
 * /queues/stream-tokens); since the browser's own reconnect would reuse a spent one, every
 * reconnect is done here with a fresh token and a growing pause; once open again it tells its
 * listeners `reconnected`, since what happened meanwhile was not sent to this tab. The `stats` events
 * keep the GET /queues/stats query up to date, so the dashboard never polls while the stream is open.
 */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const { capabilities } = useCapabilities();
  const queryClient = useQueryClient();
  const listeners = useRef(new Set<Listener>());
  const [status, setStatus] = useState<LiveStatus>('off');
  const enabled = capabilities.admin;

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;
    let openedBefore = false;
    const statsKey = api.queryOptions('get', '/api/v1/queues/stats').queryKey;

    const emit = (type: LiveEventType, data: unknown) => {
      if (type === 'stats') queryClient.setQueryData(statsKey, data as LiveEventData['stats']);
      for (const listener of listeners.current) listener(type, data);
    };

    const retry = () => {
      source?.close();
      source = null;
      if (stopped) return;
      setStatus('connecting');
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures++);
      timer = setTimeout(() => void open(), delay);
    };

    const open = async () => {
      setStatus('connecting');
      const { data } = await fetchClient.POST('/api/v1/queues/stream-tokens').catch(() => ({ data: undefined }));
      if (stopped) return;
      if (!data) return retry();
      source = new EventSource(`/api/v1/queues/stream?token=${encodeURIComponent(data.token)}`);
      source.onopen = () => {
        failures = 0;
        setStatus('live');
        if (openedBefore) {
          void queryClient.invalidateQueries({ queryKey: statsKey });
          emit('reconnected', {});
        }
        openedBefore = true;
      };
      source.onerror = retry;
      for (const type of STREAM_EVENT_TYPES) {
        source.addEventListener(type, (event) => {
          try {
            emit(type, JSON.parse((event as MessageEvent<string>).data));
          } catch {
            // A malformed event is skipped; the next stats event comes within seconds.
          }
        });
      }
    };

    void open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
      setStatus('off');
    };
  }, [enabled, queryClient]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const value = useMemo(() => ({ status, subscribe }), [status, subscribe]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext).status;
}

/** Calls `handler` for each live event of the given types while the component is mounted. */
export function useLiveEvents(types: LiveEventType[], handler: <T extends LiveEventType>(type: T, data: LiveEventData[T]) => void): void {
  const { subscribe } = useContext(LiveContext);
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  const key = types.join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    return subscribe((type, data) => {
      if (wanted.has(type)) latest.current(type, data as never);
    });
  }, [subscribe, key]);
}
