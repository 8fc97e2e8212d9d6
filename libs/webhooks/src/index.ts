export * from './secrets/webhook-secret';
export * from './secrets/rotating-secret';
export * from './signing/standard-webhooks';
export * from './outbound/address-policy';
export * from './outbound/guarded-lookup';
export * from './outbound/webhook-client';
export * from './outbound/webhook-targets';
export * from './webhooks.module';
