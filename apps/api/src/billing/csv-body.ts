import { Injectable, OnModuleInit, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';

const CSV_TYPE = /^text\/csv\s*(?:;|$)/i;
/** The one route that takes CSV (InvoicesController's import). */
export const CSV_ROUTE = /\/invoices\/import$/;

/** What Fastify says for a body type a route does not take (problem+json 415 by the problem filter). */
const unsupported = () => Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 });

/**
 * Lets `text/csv` bodies through to the route that reads them (the invoice import) as the raw
 * stream: Fastify reads nothing itself and so applies no limit of its own; `readCsvBody` applies
 * BILLING_IMPORT_MAX_BYTES while it reads. Every other route still takes JSON only (1 MiB) and
 * answers CSV with a 415. Registered when the app initialises, after configure-app set the JSON parsers.
 */
@Injectable()
export class CsvBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser(CSV_TYPE, (request, payload, done) => (CSV_ROUTE.test(request.routeOptions.url ?? '') ? done(null, payload) : done(unsupported())));
  }
}

/**
 * The CSV text of an import request: 415 unless it is `text/csv`; 413 (naming the limit) when
 * Content-Length says more than `limitBytes`, or as soon as the stream passes it.
 */
export async function readCsvBody(req: { headers: IncomingHttpHeaders; body?: unknown }, limitBytes: number): Promise<string> {
  if (!CSV_TYPE.test(req.headers['content-type'] ?? '')) throw new UnsupportedMediaTypeException('Send the invoices as Content-Type: text/csv (UTF-8)');
  const tooLarge = () => new PayloadTooLargeException(`The CSV is larger than ${limitBytes} bytes (BILLING_IMPORT_MAX_BYTES); split it into several imports`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge();
  if (!(req.body instanceof Readable)) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      req.body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
