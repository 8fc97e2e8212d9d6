/**
 * A TanStack Query `refetchInterval` that follows a record until it has settled: every `ms` while
 * there is no answer yet or `busy(answer)` holds, then no more polling. The pages that follow a
 * queued change (mail filed again, a mail sent again, a dunning run) all poll this way; `busy`
 * names the record's type (`(run: Schemas['DunningRunViewDto']) => …`).
 */
export function pollWhile<T>(busy: (data: T) => boolean, ms: number): (query: { state: { data: T | undefined } }) => number | false {
  return (query) => (query.state.data === undefined || busy(query.state.data) ? ms : false);
}
