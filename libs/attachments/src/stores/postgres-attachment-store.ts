import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { CHUNK_BYTES, FileContent } from '../file-content';
import { AttachmentStore } from './attachment-store';

/**
 * Contents in `attachment_chunks`: written in the transaction of the attachment's row (and so of
 * its comment), a chunk of at most 256 KiB per row, and read back one chunk per query, so neither
 * an upload nor a download holds a whole file in memory.
 */
@Injectable()
export class PostgresAttachmentStore extends AttachmentStore {
  readonly kind = 'postgres' as const;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async put(manager: EntityManager, attachmentId: string, content: FileContent): Promise<void> {
    let n = 0;
    for await (const chunk of rechunk(content.chunks())) {
      await manager.query(`INSERT INTO attachment_chunks (attachment_id, n, data) VALUES ($1, $2, $3)`, [attachmentId, n++, chunk]);
    }
  }

  async open(attachmentId: string): Promise<Readable> {
    const dataSource = this.dataSource;
    return Readable.from(
      (async function* () {
        for (let n = 0; ; n++) {
          const [row]: Array<{ data: Buffer }> = await dataSource.query(`SELECT data FROM attachment_chunks WHERE attachment_id = $1 AND n = $2`, [attachmentId, n]);
          if (!row) return;
          yield row.data;
        }
      })(),
      { objectMode: false },
    );
  }

  /** The rows went with the rolled-back transaction. */
  async discard(): Promise<void> {}
}

/** Pieces of exactly CHUNK_BYTES (the last one shorter), whatever sizes the source yields. */
async function* rechunk(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    pending.push(piece);
    pendingBytes += piece.length;
    while (pendingBytes >= CHUNK_BYTES) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, CHUNK_BYTES);
      pending = [all.subarray(CHUNK_BYTES)];
      pendingBytes = all.length - CHUNK_BYTES;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}
