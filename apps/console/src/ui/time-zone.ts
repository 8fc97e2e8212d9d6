import { useSyncExternalStore } from 'react';

/** The zone the api's server render draws dates and times in (apps/console/src/ssr/entry-server.tsx), named in its data block. */
export const SERVER_TIME_ZONE = 'UTC';

/** The zone the page React is taking over was drawn in (the data block's; main.tsx). */
let drawnIn: string | undefined;

export function setDrawnTimeZone(zone: string | undefined): void {
  drawnIn = zone;
}

const unchanging = () => () => undefined;

let own: string | undefined;
/** The browser's own zone by name (Intl's; read once). */
function browserTimeZone(): string | undefined {
  own ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
  return own;
}

/**
 * The zone a component draws its dates and times in (formatDateTime's `zone`): on the server
 * SERVER_TIME_ZONE; in the browser, while React takes over the server's HTML, the zone it was drawn in
 * (no hydration mismatch), and right after and on every page React draws itself, the browser's own.
 * React draws the component again after the hydration only when the two differ (a browser in UTC draws
 * a long timeline once, not twice).
 */
export function useTimeZone(): string | undefined {
  return useSyncExternalStore(
    unchanging,
    () => (import.meta.env.SSR ? SERVER_TIME_ZONE : browserTimeZone()),
    () => (import.meta.env.SSR ? SERVER_TIME_ZONE : (drawnIn ?? browserTimeZone())),
  );
}
