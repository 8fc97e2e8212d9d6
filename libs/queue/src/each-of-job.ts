/**
 * The items of one job that carries several (the tickets or the acknowledgements of an arrival batch
 * of mail), each done by `work`, all at once. Throws when any failed — after the others are done, so
 * that the job's retry finds them done and redoes only the rest — with how many of how many and the
 * first failure: `<n> of <m> <failed> (<item>: <its error>)`. Else the results, in the items' order.
 */
export async function eachOfJob<T, R>(items: readonly T[], work: (item: T) => Promise<R>, failed: string): Promise<R[]> {
  const results = await Promise.allSettled(items.map((item) => work(item)));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [{ item: items[i], reason: r.reason as unknown }] : []));
  if (failures.length > 0) {
    const [first] = failures;
    const reason = first.reason instanceof Error ? first.reason.message : String(first.reason);
    throw new Error(`${failures.length} of ${items.length} ${failed} (${String(first.item)}: ${reason})`);
  }
  return results.map((r) => (r as PromiseFulfilledResult<R>).value);
}
