import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { RouteConfig } from '@nestjs/platform-fastify';
import { errorCodes } from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { BODY_LIMIT_BYTES } from '../configure-app';

/** Marks a route whose signed body is read as bytes, whatever its Content-Type says. */
export const AnyContentType = () => RouteConfig({ anyContentType: true });

/**
 * A signed callback is its exact bytes, and senders label them as they like (text/plain,
 * application/octet-stream, none at all): the routes marked @AnyContentType() take a body of any
 * other type as raw bytes (`rawBody`; JSON still goes through the JSON parser, which keeps the raw
 * bytes too), within the same 1 MiB. Every other route still answers such a body with a 415,
 * before reading any of it. Registered when the app initialises, after configure-app set the JSON
 * parsers; a parser for a more specific type (another route's) takes precedence over this one.
 */
@Injectable()
export class AnyContentTypeBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser('*')) return;
    fastify.addContentTypeParser('*', rawBodyParser('anyContentType', BODY_LIMIT_BYTES));
  }
}

/**
 * A Fastify content-type parser that keeps the body's bytes as `rawBody` (up to `limit`: a 413
 * beyond) on the routes whose config has `flag` set, and answers 415 on any other route.
 */
export function rawBodyParser(flag: string, limit: number) {
  return (request: FastifyRequest, payload: Readable, done: (error: Error | null, body?: undefined) => void): void => {
    // An unknown route answers 404 as it would without this parser.
    if (request.is404) return done(null, undefined);
    if ((request.routeOptions.config as unknown as Record<string, unknown>)[flag] !== true) return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
    readLimited(payload, Number(request.headers['content-length']), limit).then(
      (bytes) => {
        (request as FastifyRequest & { rawBody?: Buffer }).rawBody = bytes;
        done(null, undefined);
      },
      (error: Error) => done(error, undefined),
    );
  };
}

async function readLimited(stream: Readable, declared: number, limit: number): Promise<Buffer> {
  if (declared > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
