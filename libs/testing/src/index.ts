export * from './test-stack';
export * from './test-api';
export * from './factories';
export * from './test-worker';
export * from './eventually';
