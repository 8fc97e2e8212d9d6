export * from './sla/business-calendar';
export * from './sla/sla-breach-hooks';
export * from './triage.module';
