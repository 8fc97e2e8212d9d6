export * from './macro';
export * from './macro-template';
export * from './macros.service';
export * from './macro-apply.service';
export * from './macros.module';
