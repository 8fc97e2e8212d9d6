export * from './test-stack';
export * from './eventually';
