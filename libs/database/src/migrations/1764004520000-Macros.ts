import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Macros (canned responses), owned by the macros context: a body per language, the visibility of
 * the comment they write, the ticket changes they make, personal (only the owner sees and uses it)
 * or shared (made by admin_agent or global_admin, every ticket worker uses it). Names are unique among the shared ones and among
 * each agent's personal ones, case-insensitively.
 */
export class Macros1764004520000 implements MigrationInterface {
  name = 'Macros1764004520000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE macros (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        scope text NOT NULL CHECK (scope IN ('personal', 'shared')),
        visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
        owner_id uuid NOT NULL REFERENCES agents(id),
        bodies jsonb NOT NULL,
        actions jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX macros_shared_name_key ON macros (lower(name)) WHERE scope = 'shared'`);
    await q.query(`CREATE UNIQUE INDEX macros_personal_name_key ON macros (owner_id, lower(name)) WHERE scope = 'personal'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE macros`);
  }
}
