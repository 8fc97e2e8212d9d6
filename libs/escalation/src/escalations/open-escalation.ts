import { DomainError, DomainErrorCode } from '@helpdesk/http';
import { CLOSED_ESCALATION_STATUSES } from './escalation.view';

/**
 * An open escalation (SQL condition on `alias`), written out as literals: PostgreSQL can then use
 * the partial unique index `escalations_open_ticket_key (ticket_id) WHERE status NOT IN
 * ('resolved','rejected')` in a generic plan too. With the statuses as a parameter, the generic plan
 * of a prepared statement cannot prove the index's predicate and scans every escalation.
 */
export const isOpenSql = (alias: string): string => `${alias}.status NOT IN (${CLOSED_ESCALATION_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** A second open escalation of a ticket, refused by the `escalations_open_ticket_key` index: 409. */
export async function mapOpenEscalationConflict<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const pg = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
    const code = pg.driverError?.code ?? pg.code;
    const constraint = pg.driverError?.constraint ?? pg.constraint;
    if (code === '23505' && constraint === 'escalations_open_ticket_key') {
      throw new DomainError(DomainErrorCode.Conflict, 'The ticket already has an open escalation');
    }
    throw error;
  }
}
