import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** libs/ in the sources, dist/libs/ when built (the build copies the `.sql` files beside the compiled code). */
const LIBS_ROOT = join(__dirname, '..', '..');

/**
 * A database function as the context that owns it keeps it: the text of a `.sql` file under libs/
 * (`intake/src/tickets/triage-write.sql`, …), for a migration to run. The file says
 * `CREATE OR REPLACE`, so a later migration loads the file again when it changes.
 */
export function contextSql(path: string): string {
  return readFileSync(join(LIBS_ROOT, path), 'utf8');
}
