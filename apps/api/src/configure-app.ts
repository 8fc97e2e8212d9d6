import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import { RequestMethod } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyBodyParser } from 'fastify';
import { Logger } from 'nestjs-pino';
import { documentRoles } from './openapi-roles';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * JSON bodies: `application/json` and the `application/*+json` family (merge-patch and the like).
 * Fastify tests a RegExp against the whole header, parameters (`; charset=utf-8`) included.
 */
const JSON_TYPES: Array<string | RegExp> = ['application/json', /^application\/[a-z0-9!#$&^_.-]+\+json\s*(?:;|$)/i];

/** Everything on top of AppModule and the Fastify adapter (create-api.ts). */
export async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addHook('onRequest', (request, reply, done) => {
    // On the Node.js response, so that responses written past Fastify (the SSE stream) carry it too.
    reply.raw.setHeader('X-Request-Id', request.id);
    done();
  });

  // Only JSON is read; any other body is a 415. An empty body counts as none (as if no
  // Content-Type had been sent), so a bodiless POST from a client that always sends the header works.
  fastify.removeAllContentTypeParsers();
  const json = fastify.getDefaultJsonParser('error', 'error');
  const parseJson: FastifyBodyParser<Buffer> = (request, body, done) => (body.length === 0 ? done(null, undefined) : json(request, body.toString('utf8'), done));
  for (const type of JSON_TYPES) app.useBodyParser(type, { bodyLimit: BODY_LIMIT_BYTES }, parseJson);

  // The web console's session cookie (auth's guard and the session routes read and set it).
  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        // The api is also reached over plain HTTP (localhost, behind a TLS-terminating proxy):
        // upgrading its own assets to https would break the docs and the queue board there.
        upgradeInsecureRequests: null,
      },
    },
  });

  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'admin/queues', method: RequestMethod.ALL },
      { path: 'admin/queues/{*path}', method: RequestMethod.ALL },
    ],
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Helpdesk API')
      .setDescription('Helpdesk for cloud reseller partners: intake, triage and vendor escalation. Errors are application/problem+json (RFC 9457).')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  documentRoles(app, document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
