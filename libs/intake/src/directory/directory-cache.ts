import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@helpdesk/config';
import { RedisBroadcast } from '@helpdesk/queue';

/** The lists every staff page reads whole, whoever reads them (their routes answer every staff role alike). */
export type DirectoryList = 'customers' | 'support-plans';
const LISTS: readonly DirectoryList[] = ['customers', 'support-plans'];

/** The channel on which every api process hears that a list changed. */
export const directoryChangesChannel = (queuePrefix: string): string => `${queuePrefix}:intake:directory-changes`;

/**
 * The customers' and the support plans' lists, kept in each api process until one changes anywhere:
 * their services' writes (CustomersService, SupportPlansService, the only writers of those tables) call
 * `changed` once committed, which drops the list here and in every api process before it returns
 * (RedisBroadcast), so the next page anywhere reads it afresh. A process that does not hear every change
 * (not yet subscribed, Redis away) keeps nothing and reads the database each time.
 */
@Injectable()
export class DirectoryCache implements OnModuleDestroy {
  private readonly lists = new Map<DirectoryList, Promise<unknown>>();
  private readonly changes: RedisBroadcast<{ list: DirectoryList }>;

  constructor(config: AppConfig) {
    this.changes = new RedisBroadcast<{ list: DirectoryList }>({
      redisUrl: config.REDIS_URL,
      channel: directoryChangesChannel(config.QUEUE_PREFIX),
      name: 'helpdesk-directory-changes',
      parse: ({ list }) => (LISTS.includes(list as DirectoryList) ? { list: list as DirectoryList } : null),
    });
    // null: messages may have been missed (the subscription started or came back), or one this version cannot read.
    this.changes.onMessage((change) => (change ? this.lists.delete(change.list) : this.lists.clear()));
  }

  /** Whether lists are kept now (this process hears every change). */
  get live(): boolean {
    return this.changes.live;
  }

  /** `list`, kept from an earlier `load` while nothing changed it; the value is shared: callers never change it. */
  get<T>(list: DirectoryList, load: () => Promise<T>): Promise<T> {
    this.changes.listen();
    if (!this.changes.live) return load();
    const kept = this.lists.get(list) as Promise<T> | undefined;
    if (kept) return kept;
    const loading = load();
    // A change heard while it loads drops it (it may have read the rows before that change).
    this.lists.set(list, loading);
    loading.catch(() => {
      if (this.lists.get(list) === loading) this.lists.delete(list);
    });
    return loading;
  }

  /** After a committed change of `list`: dropped here and in every api process (see the class). */
  changed(list: DirectoryList): Promise<void> {
    return this.changes.publish({ list });
  }

  async onModuleDestroy(): Promise<void> {
    await this.changes.close();
  }
}
