export * from './run-headless-app';
export * from './shutdown-deadline';
