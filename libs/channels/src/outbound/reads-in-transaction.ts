/**
 * Reads that the messages composed in one transaction share (a customer's plan, a template): each
 * made once for all of them, in that transaction. Only for one transaction: a later one reads again,
 * so an admin's edit is seen by the next batch.
 */
export class ReadsInTransaction {
  private readonly made = new Map<string, Promise<unknown>>();

  has(key: string): boolean {
    return this.made.has(key);
  }

  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let made = this.made.get(key) as Promise<T> | undefined;
    if (!made) {
      made = read();
      this.made.set(key, made);
    }
    return made;
  }
}
