import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '@helpdesk/config';
import { rawBodyParser } from '../escalation/callback-body';

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
    fastify.addContentTypeParser('message/rfc822', rawBodyParser('rfc822', this.config.INBOUND_EMAIL_MAX_BYTES));
  }
}
