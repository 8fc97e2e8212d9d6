import { useSyncExternalStore } from 'react';

/** The zone the api's server render draws dates and times in (apps/console/src/ssr/entry-server.tsx), named in its data block. */
export const SERVER_TIME_ZONE = 'UTC';

/** The zone the page React is taking over was drawn in (the data block's; main.tsx). */
let drawnIn: string | undefined;

export function setDrawnTimeZone(zone: string | undefined): void {
  drawnIn = zone;
}

const unchanging = () => () => undefined;

/**
 * The zone a component draws its dates and times in (formatDateTime's `zone`; undefined: the browser's
 * own): on the server SERVER_TIME_ZONE; in the browser, while React takes over the server's HTML, the
 * zone it was drawn in (no hydration mismatch), and right after (React draws a store's value again when
 * it differs from the hydrated one) and on every page React draws itself, the browser's own.
 */
export function useTimeZone(): string | undefined {
  return useSyncExternalStore(
    unchanging,
    () => (import.meta.env.SSR ? SERVER_TIME_ZONE : undefined),
    () => (import.meta.env.SSR ? SERVER_TIME_ZONE : drawnIn),
  );
}
