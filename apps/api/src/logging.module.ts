import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '@helpdesk/config';

import { requestIdOf } from './request-id';

/** JSON logs carrying the request id that is also returned as X-Request-Id. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: (req: IncomingMessage, res: ServerResponse) => requestIdOf(req, res),
          redact: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token'],
          // EventSource stream tickets travel in the query string: keep them out of the logged URL.
          serializers: {
            req: (req: { url?: string }) => {
              if (req.url) req.url = req.url.replace(/([?&]token=)[^&]*/g, '$1[Redacted]');
              return req;
            },
          },
          customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
