import { useCallback, useEffect, useRef } from 'react';

/**
 * `run` at once on the first call, then at most once per `gapMs`: the calls in between make a single
 * run at the end of the gap. A burst of live events (the SLA monitor announces every ticket it
 * finds breached, one event each) then costs the API one request per gap, not one per event.
 */
export function useCoalesced(run: () => void, gapMs: number): () => void {
  const latest = useRef(run);
  const lastRun = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    latest.current = run;
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current !== undefined) return;
    const wait = lastRun.current + gapMs - Date.now();
    const fire = () => {
      timer.current = undefined;
      lastRun.current = Date.now();
      latest.current();
    };
    if (wait <= 0) fire();
    else timer.current = setTimeout(fire, wait);
  }, [gapMs]);
}

/**
 * `run` at once when none is running; asked while one runs, once more right after it (however many
 * times it was asked meanwhile). A change announced live is then fetched as soon as the API can
 * answer, and a burst of announcements costs one request at a time, never a pile of them.
 */
export function useOneAtATime(run: () => Promise<unknown>): () => void {
  const latest = useRef(run);
  const running = useRef(false);
  const again = useRef(false);
  useEffect(() => {
    latest.current = run;
  });
  const start = useCallback((): void => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    void (async () => {
      do {
        again.current = false;
        await latest.current().catch(() => undefined);
      } while (again.current);
      running.current = false;
    })();
  }, []);
  return start;
}
