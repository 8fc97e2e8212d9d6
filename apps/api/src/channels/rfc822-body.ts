import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import { errorCodes } from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppConfig } from '@helpdesk/config';
import { readLimited } from '../escalation/callback-body';

/** Marks a route that takes a raw e-mail (`message/rfc822`) as its body. */
export const Rfc822Body = () => RouteConfig({ rfc822: true });

/**
 * `message/rfc822` bodies are read as bytes (`rawBody`), up to INBOUND_EMAIL_MAX_BYTES (a 413
 * beyond), on the routes marked @Rfc822Body(); any other route answers them with a 415.
 */
@Injectable()
export class Rfc822BodyParser implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser('message/rfc822')) return;
    const limit = this.config.INBOUND_EMAIL_MAX_BYTES;
    fastify.addContentTypeParser('message/rfc822', (request, payload, done) => {
      if (request.is404) return done(null, undefined);
      if ((request.routeOptions.config as { rfc822?: boolean }).rfc822 !== true) return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
      readLimited(payload, Number(request.headers['content-length']), limit).then(
        (bytes) => {
          (request as FastifyRequest & { rawBody?: Buffer }).rawBody = bytes;
          done(null, undefined);
        },
        (error: Error) => done(error, undefined),
      );
    });
  }
}
