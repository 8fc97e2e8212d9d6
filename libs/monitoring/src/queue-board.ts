// The API's entry to the queue board (`@helpdesk/monitoring/board`): Bull Board loads its UI
// server, templates and Redis statistics (with lodash), which the worker never serves — so it
// stays out of the lib's index, which the worker imports.
export * from './board/queue-board.module';
