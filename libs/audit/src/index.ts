export * from './request-context';
export * from './redact';
export * from './audit.service';
export * from './audit.module';
