export * from './test-stack';
export * from './test-api';
