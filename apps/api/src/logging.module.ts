import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';

/**
 * Nest's logs through the pino logger Fastify already has (create-api.ts builds it with the
 * request serializers and redaction): one logger, and a log made while handling a request carries
 * that request's `reqId`.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [HttpAdapterHost],
      useFactory: (host: HttpAdapterHost) => ({ pinoHttp: { logger: host.httpAdapter.getInstance().log }, useExisting: true }),
    }),
  ],
})
export class LoggingModule {}
