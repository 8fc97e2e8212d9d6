import fastifyMultipart from '@fastify/multipart';
import { NestFastifyApplication, RouteConfig } from '@nestjs/platform-fastify';
import { errorCodes, FastifyInstance, FastifyRequest } from 'fastify';
import { join, resolve } from 'node:path';
import { AppConfig } from '@helpdesk/config';
import { ContentTooLarge, FileContent, NewAttachment, safeFileName, spoolContent } from '@helpdesk/attachments';
import { DomainError, DomainErrorCode, FieldError, RequestValidationException } from '@helpdesk/http';

/** Marks a route that reads a `multipart/form-data` body (itself, as a stream). */
export const MultipartBody = () => RouteConfig({ multipart: true });

/** What an upload's form says: the comment (when it has a body), the files (spooled, not yet stored). */
export interface UploadForm {
  body?: string;
  visibility: 'public' | 'internal';
  files: Array<Extract<NewAttachment, { content: FileContent }>>;
}

const BODY_MAX = 20_000;
/** Room for the form's text fields and part headers beside the files, when Content-Length is checked up front. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * @fastify/multipart parses nothing by itself: a route marked @MultipartBody() reads its parts
 * as streams (readUploadForm); any other route answers multipart with the 415 it gives every body
 * that is not JSON. Registered by configure-app before the routes.
 */
export async function registerMultipart(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyMultipart);
  (app.getHttpAdapter().getInstance() as FastifyInstance).addHook('preValidation', (request, _reply, done) => {
    const marked = (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.multipart === true;
    if (request.isMultipart() && !request.is404 && !marked) return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE());
    done();
  });
}

/** The limits go with the refusal (`maxBytes`, `maxFiles`), so that a client can tell people what fits in their own words. */
const tooLarge = (message: string, config: AppConfig) =>
  new DomainError(DomainErrorCode.PayloadTooLarge, message, { errors: [{ field: 'files', message }], maxBytes: config.ATTACHMENT_MAX_BYTES, maxFiles: config.ATTACHMENT_MAX_FILES });

/**
 * Reads an upload (`files` parts, `body` and `visibility` fields) one part at a time, each file
 * streamed into a spool file under ATTACHMENT_DIR and refused (413 naming `files`) as soon as it
 * passes ATTACHMENT_MAX_BYTES or the form carries more than ATTACHMENT_MAX_FILES; a request whose
 * Content-Length already says more than that is refused before any of it is read. On any refusal
 * the files spooled so far are removed.
 */
export async function readUploadForm(request: FastifyRequest, config: AppConfig): Promise<UploadForm> {
  if (!request.isMultipart()) {
    throw new DomainError(DomainErrorCode.UnsupportedMediaType, 'Send the files as Content-Type: multipart/form-data (parts: files, body, visibility)');
  }
  const maxBytes = config.ATTACHMENT_MAX_BYTES;
  const maxFiles = config.ATTACHMENT_MAX_FILES;
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxFiles * maxBytes + FORM_OVERHEAD_BYTES) {
    throw tooLarge(`The upload is ${declared} bytes: at most ${maxFiles} files (ATTACHMENT_MAX_FILES) of ${maxBytes} bytes (ATTACHMENT_MAX_BYTES) each`, config);
  }
  const spoolDir = join(resolve(config.ATTACHMENT_DIR), '.uploads');
  const files: UploadForm['files'] = [];
  const fields: Record<string, string> = {};
  try {
    const parts = request.parts({ limits: { fileSize: maxBytes + 1, files: maxFiles, fields: 2, fieldSize: BODY_MAX * 4, parts: maxFiles + 2 } });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'files') throw invalid(part.fieldname, 'unknown file part; send files as "files"');
        const fileName = safeFileName(part.filename);
        const content = await spoolContent(part.file, spoolDir, maxBytes).catch((error: unknown) => {
          if (error instanceof ContentTooLarge || codeOf(error) === 'FST_REQ_FILE_TOO_LARGE') {
            throw tooLarge(`"${fileName}" is larger than ${maxBytes} bytes (ATTACHMENT_MAX_BYTES)`, config);
          }
          throw error;
        });
        files.push({ fileName, declaredType: part.mimetype || null, content });
      } else {
        if (part.fieldname !== 'body' && part.fieldname !== 'visibility') throw invalid(part.fieldname, 'unknown field; the form takes files, body and visibility');
        if (part.valueTruncated) throw invalid(part.fieldname, `must be at most ${BODY_MAX} characters`);
        fields[part.fieldname] = String(part.value);
      }
    }
    return { ...validFields(fields), files: nonEmpty(files) };
  } catch (error) {
    await Promise.all(files.map((f) => f.content.release()));
    throw translated(error, config);
  }
}

function validFields(fields: Record<string, string>): Omit<UploadForm, 'files'> {
  const errors: FieldError[] = [];
  const { body, visibility } = fields;
  if (body !== undefined && (body.length > BODY_MAX || !/\S/.test(body) || body.includes('\u0000'))) {
    errors.push({ field: 'body', message: `must be 1 to ${BODY_MAX} characters, not blank, without NUL characters (or left out)` });
  }
  if (visibility !== 'public' && visibility !== 'internal') errors.push({ field: 'visibility', message: 'visibility must be one of: public, internal' });
  if (errors.length > 0) throw new RequestValidationException(errors);
  return { body, visibility: visibility as UploadForm['visibility'] };
}

function nonEmpty(files: UploadForm['files']): UploadForm['files'] {
  if (files.length === 0) throw invalid('files', 'send at least one file');
  return files;
}

const invalid = (field: string, message: string) => new RequestValidationException([{ field, message }]);

function codeOf(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** Busboy's and @fastify/multipart's errors as problems naming the field. */
function translated(error: unknown, config: AppConfig): unknown {
  switch (codeOf(error)) {
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return tooLarge(`At most ${config.ATTACHMENT_MAX_FILES} files per upload (ATTACHMENT_MAX_FILES)`, config);
    case 'FST_FIELDS_LIMIT':
      return invalid('body', 'send body and visibility once each');
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(`A file is larger than the limit (ATTACHMENT_MAX_BYTES)`, config);
    default:
      if (error instanceof DomainError || error instanceof RequestValidationException) return error;
      // Busboy's parse errors (a missing boundary, a form cut short) are the client's: a 400.
      if (error instanceof Error && /multipart|boundary|unexpected end|malformed/i.test(error.message)) {
        return new RequestValidationException([{ field: 'files', message: `not a readable multipart/form-data body: ${error.message}` }]);
      }
      return error;
  }
}
