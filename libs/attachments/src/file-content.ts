import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES, sniffContentType } from './content-type';

/** The size of the pieces contents are written and read in (the PostgreSQL store's chunks). */
export const CHUNK_BYTES = 256 * 1024;

/** A file's bytes, measured and hashed, ready for a store; `release` frees what holds them (a spool file). */
export interface FileContent {
  size: number;
  sha256: string;
  contentType: string;
  chunks(): AsyncIterable<Buffer>;
  release(): Promise<void>;
}

/** A file went past the size limit while it was read (nothing of it is kept). */
export class ContentTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`larger than ${limitBytes} bytes`);
  }
}

/** A file already in memory (an e-mail's attachment: mailparser has decoded it). */
export async function bufferContent(bytes: Buffer): Promise<FileContent> {
  return {
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    contentType: await sniffContentType(bytes.subarray(0, SNIFF_BYTES)),
    async *chunks() {
      for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
    },
    release: async () => undefined,
  };
}

/**
 * Streams an upload into a spool file under `dir`, hashing it, keeping its first bytes to sniff,
 * and failing with ContentTooLarge as soon as it passes `maxBytes` (the spool file is then removed
 * and the rest of the upload is not read). Only one piece of the stream is in memory at a time.
 */
export async function spoolContent(source: Readable, dir: string, maxBytes: number): Promise<FileContent> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${randomUUID()}.upload`);
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let headBytes = 0;
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new ContentTooLarge(maxBytes));
      hash.update(chunk);
      if (headBytes < SNIFF_BYTES) {
        head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
        headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
      }
      done(null, chunk);
    },
  });
  const release = () => unlink(path).catch(() => undefined);
  try {
    await pipeline(source, meter, createWriteStream(path, { flags: 'wx' }));
  } catch (error) {
    await release();
    throw error;
  }
  return {
    size,
    sha256: hash.digest('hex'),
    contentType: await sniffContentType(Buffer.concat(head)),
    chunks: () => createReadStream(path, { highWaterMark: CHUNK_BYTES }),
    release,
  };
}
