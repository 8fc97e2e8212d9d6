export * from './problem';
export * from './domain-error';
export * from './validation';
export * from './problem-details.filter';
export * from './uuid-param.pipe';
export * from './database-errors';
export * from './header-token';
export * from './validation-metadata-cache';
