import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@helpdesk/config';
import { createRootLogger } from '@helpdesk/logging';
import { AppModule } from './app.module';
import { BODY_LIMIT_BYTES, configureApp } from './configure-app';
import { serveConsole } from './console/serve-console';
import { requestIdOf } from './request-id';
import { REQUEST_LOG_REDACT, REQUEST_LOG_SERIALIZERS, RequestLog } from './request-log';

export interface CreateApiOptions {
  /** `false` silences Nest's own logger until the app's pino logger takes over (tests). */
  logger?: false;
  abortOnError?: boolean;
  /** Nest's preview mode: the module graph without any provider instantiated (nothing connects), for the OpenAPI document. */
  preview?: boolean;
}

/** The api as main.ts and the e2e tests run it: AppModule on Fastify, configured, not yet listening. */
export async function createApi(config: AppConfig, options: CreateApiOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: createRootLogger(config, { name: 'api', redact: REQUEST_LOG_REDACT, serializers: REQUEST_LOG_SERIALIZERS }),
    logController: new RequestLog(),
    genReqId: requestIdOf,
    bodyLimit: BODY_LIMIT_BYTES,
    // A client that sends its headers or its body slowly (slow loris) is cut off: headers within
    // HTTP_HEADERS_TIMEOUT_MS, the whole request within HTTP_REQUEST_TIMEOUT_MS (408). Node checks
    // every `connectionsCheckingInterval`, so that decides how late past the deadline that happens.
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    http: { headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS, requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    // X-Forwarded-* are believed only from a proxy on this machine.
    trustProxy: 'loopback',
    // `/api/v1/agents/` is `/api/v1/agents`, as clients of the API have always had it.
    routerOptions: { ignoreTrailingSlash: true },
    // While stopping, requests are answered by graceful-stop.ts (problem+json, Retry-After), also
    // during the server's own close.
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    // Only JSON is parsed (configure-app.ts), with the raw bytes kept for signed callbacks.
    bodyParser: false,
    rawBody: true,
    bufferLogs: options.logger !== false,
    ...options,
  });
  await configureApp(app, config, { preview: options.preview });
  await serveConsole(app, config.CONSOLE_DIR, config.CONSOLE_RENDER_TIMEOUT_MS);
  return app;
}
