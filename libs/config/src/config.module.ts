import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { AppConfig, validateConfig } from './app-config';

/**
 * Loads `.env` (when present) through @nestjs/config and provides the typed `AppConfig`,
 * validated when the app is created (an invalid environment fails start-up with every bad
 * variable named).
 */
@Global()
@Module({
  imports: [NestConfigModule.forRoot({ ignoreEnvFile: false })],
  providers: [{ provide: AppConfig, useFactory: () => validateConfig(process.env) }],
  exports: [AppConfig],
})
export class ConfigModule {}
