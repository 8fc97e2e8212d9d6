import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Intake (`ticket_search`): the search documents are never compressed. A row over ≈ 2 kB (most:
 * both documents together) made PostgreSQL try pglz on each document before moving it out of line,
 * and the attempt never paid: a tsvector is sorted lexemes with their positions, and of 3,000
 * documents of the benches' bodies none was stored compressed. The attempt was ≈ 2–3 % of a
 * comment's insert (bench/README.md, "Search documents' PostgreSQL cost"). The documents go out of
 * line exactly as before; rows stored earlier stay as they are (a compressed one is still read).
 */
export class TicketSearchDocumentStorage1764005510000 implements MigrationInterface {
  name = 'TicketSearchDocumentStorage1764005510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_search ALTER COLUMN public_doc SET STORAGE EXTERNAL, ALTER COLUMN staff_doc SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ticket_search ALTER COLUMN public_doc SET STORAGE EXTENDED, ALTER COLUMN staff_doc SET STORAGE EXTENDED`);
  }
}
