import { MacrosController } from './macros.controller';
import { TicketBulkController } from './ticket-bulk.controller';
import { TicketRelationsController } from './ticket-relations.controller';

/** The agent workbench's routes for acting on tickets (bulk changes, macros, merge and links). */
export const WORKBENCH_CONTROLLERS = [TicketBulkController, TicketRelationsController, MacrosController];
