export * from './data-source-options';
export * from './database.module';
export * from './outbox/outbox-message.entity';
export * from './outbox/outbox.service';
export * from './outbox/outbox-relay.service';
export * from './outbox/outbox.module';
export * from './pagination/keyset-cursor';
export * from './prepared-statement';
