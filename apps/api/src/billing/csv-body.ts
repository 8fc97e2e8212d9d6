import { PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/**
 * The CSV body of an import, read here rather than by a global body parser: JSON bodies stay
 * limited to 1 MiB for every other route, while this route reads up to `limitBytes`
 * (BILLING_IMPORT_MAX_BYTES) of `text/csv` — refused before reading when Content-Length says more,
 * and as soon as the stream passes it otherwise. A platform that already parsed the body into a
 * string or Buffer (a text parser with its own limit) hands it over as it is.
 */
export async function readCsvBody(req: IncomingMessage & { body?: unknown; raw?: IncomingMessage }, limitBytes: number): Promise<string> {
  const type = req.headers['content-type'] ?? '';
  if (!/^text\/csv(\s*;|$)/i.test(type)) throw new UnsupportedMediaTypeException('Send the invoices as Content-Type: text/csv (UTF-8)');
  const tooLarge = () => new PayloadTooLargeException(`The CSV is larger than ${limitBytes} bytes (BILLING_IMPORT_MAX_BYTES); split it into several imports`);
  if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) {
    const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : req.body;
    if (Buffer.byteLength(text) > limitBytes) throw tooLarge();
    return text;
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge();
  const stream = req.raw ?? req;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
