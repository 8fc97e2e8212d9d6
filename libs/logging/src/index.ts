export * from './root-logger';
export * from './pretty-line';
export * from './logs-written';
