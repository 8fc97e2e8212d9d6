export * from './root-logger';
export * from './pretty-line';
