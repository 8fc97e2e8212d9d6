import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The web console's sign-in sessions (auth owns them): a staff token exchanged once for a session
 * cookie. Only the SHA-256 of the session id is stored, so a read of the table signs nobody in; a
 * session lives until it expires, is signed out, or its token is revoked (the row goes with it).
 */
export class ConsoleSessions1764003000000 implements MigrationInterface {
  name = 'ConsoleSessions1764003000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_sessions (
        id_hash text PRIMARY KEY,
        token_id uuid NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    // The sessions a revocation or deactivation ends; the expired ones a sign-in clears away.
    await q.query(`CREATE INDEX console_sessions_token_idx ON console_sessions (token_id)`);
    await q.query(`CREATE INDEX console_sessions_expires_idx ON console_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_sessions`);
  }
}
