import { RequestMethod } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { problemErrorMiddleware } from '@helpdesk/http';
import { assignRequestId } from './request-id';

export const API_PREFIX = 'api/v1';

/** Everything main.ts and the e2e tests both need on top of AppModule. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // No ETag: hashing every JSON body (a ticket page is tens of kB) for a header no client here uses.
  app.set('etag', false);
  app.use(assignRequestId);
  app.useBodyParser('json', { limit: '1mb', type: ['application/json', 'application/*+json'] });
  // Body-parser failures (malformed JSON, over 1 MiB) become problems before any route runs.
  app.use(problemErrorMiddleware);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'admin/queues', method: RequestMethod.ALL },
      { path: 'admin/queues/{*path}', method: RequestMethod.ALL },
    ],
  });
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Helpdesk API')
      .setDescription('Helpdesk for cloud reseller partners: intake, triage and vendor escalation. Errors are application/problem+json (RFC 9457).')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
