import { DataSource } from 'typeorm';
import { dataSourceOptions, prepared, queryPrepared } from '@helpdesk/database';
import { createTestDatabase, dropTestDatabase } from '../support';

describe('prepared statements (hot paths)', () => {
  let database: { name: string; url: string };
  let dataSource: DataSource;
  const readAll = prepared('test_read_gadgets', 'SELECT * FROM gadgets WHERE id <= $1 ORDER BY id');

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection, so every call below meets the statement prepared by the first one.
    dataSource = new DataSource(dataSourceOptions({ url: database.url, poolSize: 1, applicationName: 'prepared-test' }));
    await dataSource.initialize();
    await dataSource.query(`CREATE TABLE gadgets (id int PRIMARY KEY, name text NOT NULL)`);
    await dataSource.query(`INSERT INTO gadgets VALUES (1, 'one'), (2, 'two'), (3, 'three')`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropTestDatabase(database.name);
  });

  it('prepares a statement once per connection and binds new values to it', async () => {
    expect(await queryPrepared(dataSource.manager, readAll, [1])).toEqual([{ id: 1, name: 'one' }]);
    expect(await queryPrepared(dataSource.manager, readAll, [2])).toEqual([{ id: 1, name: 'one' }, { id: 2, name: 'two' }]);
    const held = await dataSource.query(`SELECT name FROM pg_prepared_statements WHERE name = $1`, [readAll.name]);
    expect(held).toEqual([{ name: readAll.name }]);
  });

  it('still answers after a migration changed the columns the prepared statement returns', async () => {
    await queryPrepared(dataSource.manager, readAll, [1]);
    await dataSource.query(`ALTER TABLE gadgets ADD COLUMN colour text NOT NULL DEFAULT 'grey'`);
    // PostgreSQL refuses the stale plan (cached plan must not change result type): the same SQL runs unprepared.
    expect(await queryPrepared(dataSource.manager, readAll, [1])).toEqual([{ id: 1, name: 'one', colour: 'grey' }]);
  });

  it('runs inside the caller transaction, which a rollback undoes', async () => {
    const insert = prepared('test_insert_gadget', 'INSERT INTO gadgets (id, name) VALUES ($1, $2) RETURNING id');
    await expect(
      dataSource.transaction(async (manager) => {
        expect(await queryPrepared(manager, insert, [10, 'ten'])).toEqual([{ id: 10 }]);
        const seen = await manager.query(`SELECT count(*)::int AS n FROM gadgets WHERE id = 10`);
        expect(seen[0].n).toBe(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const after = await dataSource.query(`SELECT count(*)::int AS n FROM gadgets WHERE id = 10`);
    expect(after[0].n).toBe(0);
  });

  it('passes SQL errors through with their PostgreSQL code', async () => {
    const dup = prepared('test_insert_dup', 'INSERT INTO gadgets (id, name) VALUES ($1, $2)');
    await expect(queryPrepared(dataSource.manager, dup, [1, 'again'])).rejects.toMatchObject({ code: '23505' });
  });
});
