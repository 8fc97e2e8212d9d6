import { TicketBulkController } from './ticket-bulk.controller';
import { TicketRelationsController } from './ticket-relations.controller';

/** The agent workbench's routes for acting on tickets (bulk changes, macros, attachments, merge and links). */
export const WORKBENCH_CONTROLLERS = [TicketBulkController, TicketRelationsController];
