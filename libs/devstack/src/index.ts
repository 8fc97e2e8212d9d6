export * from './free-port';
export * from './app-runtime';
export * from './embedded-postgres';
export * from './local-redis';
export * from './leftover-process';
export * from './launcher-state';
export * from './mail-catcher';
export * from './smtp-receiver';
