import fastifyCookie from '@fastify/cookie';
import { ConsoleLogger, RequestMethod } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig } from '@helpdesk/config';
import { registerMultipart } from './attachments/multipart-body';
import { EdgeGate } from './edge/edge-gate';
import { queryAndParamsRule } from './edge/input-hook';
import { jsonBodyParser } from './edge/json-body';
import { recordRouteAccess } from './edge/route-access';
import { safeHeaders } from './edge/safe-headers';
import { documentRoles } from './openapi-roles';
import { FieldErrorDto, ProblemDto } from './dto/problem.dto';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * JSON bodies: `application/json` and the `application/*+json` family (merge-patch and the like).
 * Fastify tests a RegExp against the whole header, parameters (`; charset=utf-8`) included.
 */
const JSON_TYPES: Array<string | RegExp> = ['application/json', /^application\/[a-z0-9!#$&^_.-]+\+json\s*(?:;|$)/i];

/**
 * Everything on top of AppModule and the Fastify adapter (create-api.ts). The config is passed in
 * rather than taken from the app: the preview app that only serves the OpenAPI document to
 * `npm run console:api` builds no provider, so it has no config, no edge gate and no pino logger
 * (its warnings go to stderr through Nest's own logger).
 */
export async function configureApp(app: NestFastifyApplication, config: AppConfig, options: { preview?: boolean } = {}): Promise<NestFastifyApplication> {
  app.useLogger(options.preview ? new ConsoleLogger({ logLevels: ['warn', 'error', 'fatal'] }) : app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addHook('onRequest', (request, reply, done) => {
    // On the Node.js response, so that responses written past Fastify (the SSE stream) carry it too.
    reply.raw.setHeader('X-Request-Id', request.id);
    done();
  });

  // Only JSON is read; any other body is a 415 (json-body.ts: nesting, NUL and prototype keys).
  fastify.removeAllContentTypeParsers();
  const parseJson = jsonBodyParser(fastify.getDefaultJsonParser('ignore', 'ignore'));
  for (const type of JSON_TYPES) app.useBodyParser(type, { bodyLimit: BODY_LIMIT_BYTES }, parseJson);

  // The web console's session cookie (auth's guard and the session routes read and set it).
  await app.register(fastifyCookie);
  // Attachment uploads: multipart, read only by the routes marked for it (attachments/multipart-body.ts).
  await registerMultipart(app);
  // Helmet's headers on every response, its middleware built once (@fastify/helmet built it again,
  // the CSP's directives parsed again, for each request: ≈ 15 KiB allocated per request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        // The api is also reached over plain HTTP (localhost, behind a TLS-terminating proxy):
        // upgrading its own assets to https would break the docs and the queue board there.
        upgradeInsecureRequests: null,
        // No page of the API (docs, queue board) is ever shown inside another site's frame.
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    // Set by safeHeaders, and only over HTTPS.
    strictTransportSecurity: false,
  });
  fastify.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined)));

  // After Helmet's hook, so that the answers given here carry the security headers too.
  fastify.addHook('onRequest', safeHeaders);
  recordRouteAccess(fastify, app.get(ModulesContainer), app.get(Reflector));
  if (!options.preview) fastify.addHook('onRequest', app.get(EdgeGate).hook);
  fastify.addHook('onRequest', queryAndParamsRule);

  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: 'admin/queues', method: RequestMethod.ALL },
      { path: 'admin/queues/{*path}', method: RequestMethod.ALL },
    ],
  });
  if (!config.apiDocs) return app;

  // Built on the first request for the docs or their JSON, not at start: an API that serves
  // tickets does not hold the document (≈ 1 MiB of objects) nor the garbage of building it.
  const buildDocument = () => {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Helpdesk API')
        .setDescription('Helpdesk for cloud reseller partners: intake, triage and vendor escalation. Errors are application/problem+json (RFC 9457).')
        .setVersion('1')
        .addBearerAuth()
        .build(),
      { extraModels: [ProblemDto, FieldErrorDto] },
    );
    documentRoles(app, document);
    return document;
  };
  SwaggerModule.setup('api/docs', app, buildDocument, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
