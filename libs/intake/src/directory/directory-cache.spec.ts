import type { AppConfig } from '@helpdesk/config';
import { DirectoryCache } from './directory-cache';

describe('DirectoryCache without Redis', () => {
  it('keeps nothing while it cannot hear every change: each list is read again', async () => {
    // Nothing listens on port 1: the subscription never starts.
    const cache = new DirectoryCache({ REDIS_URL: 'redis://127.0.0.1:1', QUEUE_PREFIX: 'directory-spec' } as AppConfig);
    try {
      let loads = 0;
      const load = async () => [{ id: 'c1', name: `Northwind ${++loads}` }];
      expect(await cache.get('customers', load)).toEqual([{ id: 'c1', name: 'Northwind 1' }]);
      expect(await cache.get('customers', load)).toEqual([{ id: 'c1', name: 'Northwind 2' }]);
      // A change still answers (unconfirmed, logged) and the next read is the table's.
      await cache.changed('customers');
      expect(await cache.get('customers', load)).toEqual([{ id: 'c1', name: 'Northwind 3' }]);
    } finally {
      await cache.onModuleDestroy();
    }
  });
});
