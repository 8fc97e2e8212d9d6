export * from './run-headless-app';
export * from './shutdown-deadline';
export * from './health-http-server';
