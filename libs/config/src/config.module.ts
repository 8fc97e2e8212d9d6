import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { AppConfig, validateConfig } from './app-config';

/**
 * Loads `.env` (when present) through @nestjs/config, fails start-up on an invalid environment,
 * and provides the typed, validated `AppConfig`.
 */
@Global()
@Module({
  imports: [NestConfigModule.forRoot({ validate: validateConfig, ignoreEnvFile: false })],
  providers: [{ provide: AppConfig, useFactory: () => validateConfig(process.env) }],
  exports: [AppConfig],
})
export class ConfigModule {}
