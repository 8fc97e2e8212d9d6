import { PgWriteCounts, writesPerItem, writesText } from './pg-write-counts';

const reading = (commits: number, walBytes: number, tables: PgWriteCounts['tables']): PgWriteCounts => ({ commits, walRecords: commits * 10, walFullPageImages: commits, walBytes, tables });

describe('writesPerItem', () => {
  it('divides each counter by the items and leaves out the tables nothing wrote', () => {
    const before = reading(100, 1_000, { escalations: { inserted: 10, updated: 5, hotUpdated: 0, deleted: 0 }, outbox: { inserted: 3, updated: 0, hotUpdated: 0, deleted: 0 } });
    const after = reading(150, 2_001_000, { escalations: { inserted: 10, updated: 1_005, hotUpdated: 250, deleted: 0 }, outbox: { inserted: 3, updated: 0, hotUpdated: 0, deleted: 1_003 }, ticket_events: { inserted: 1_000, updated: 0, hotUpdated: 0, deleted: 0 } });
    const w = writesPerItem(before, after, 1_000);
    expect(w).toEqual({
      commits: 0.05,
      walRecords: 0.5,
      walFullPageImages: 0.05,
      walBytes: 2_000,
      tables: { escalations: { inserted: 0, updated: 1, hotUpdated: 0.25, deleted: 0 }, outbox: { inserted: 0, updated: 0, hotUpdated: 0, deleted: 1 }, ticket_events: { inserted: 1, updated: 0, hotUpdated: 0, deleted: 0 } },
    });
    expect(writesText(w)).toBe('commits 0.05, WAL 0.5 records (0.05 full-page images) 2,000 bytes; escalations 0 ins, 1 upd (0.25 HOT), 0 del; outbox 0 ins, 0 upd (0 HOT), 1 del; ticket_events 1 ins, 0 upd (0 HOT), 0 del');
  });

  it('refuses no items', () => {
    const r = reading(1, 1, {});
    expect(() => writesPerItem(r, r, 0)).toThrow(/positive/);
  });
});
