/** What the end-to-end tests start and create: the real apps, and the records most tests need. */
export * from '@helpdesk/testing';
export * from './test-api';
export * from './test-worker';
export * from './test-mail-in';
export * from './factories';
export * from './sse-client';
