import { fileTypeFromBuffer } from 'file-type/core';

/** How much of a file's beginning is read to tell its type (zip-based office documents need more than a magic number). */
export const SNIFF_BYTES = 64 * 1024;

/**
 * What a file is, from its bytes only (the sender's name and type are never believed): what
 * file-type recognises; otherwise `text/plain` for UTF-8 text without NUL characters (HTML, SVG,
 * scripts and every other text are text: an HTML page named `.png` is stored as `text/plain`),
 * otherwise `application/octet-stream`.
 */
export async function sniffContentType(head: Buffer): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  try {
    // `stream: true`: a character cut in two at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/**
 * Types a download is labelled with as they are; anything else (XML, which a browser could render
 * with script, executables, unknown formats) is served as `application/octet-stream`. Downloads are
 * `Content-Disposition: attachment` anyway: this only keeps the label inert.
 */
const INERT_TYPES = [
  /^image\/(?:png|jpeg|gif|webp|bmp|tiff|avif|heic|heif)$/,
  /^application\/(?:pdf|zip|gzip|x-7z-compressed|x-tar|x-rar-compressed|x-bzip2|x-xz|msword|rtf)$/,
  /^application\/vnd\.(?:openxmlformats-officedocument|oasis\.opendocument|ms-excel|ms-powerpoint|ms-outlook)[\w.+-]*$/,
  /^(?:audio|video)\/[\w.+-]+$/,
];

export function servedContentType(stored: string): string {
  if (stored === 'text/plain') return 'text/plain; charset=utf-8';
  return INERT_TYPES.some((type) => type.test(stored)) ? stored : 'application/octet-stream';
}

/** At most this many characters of a file name are kept. */
const NAME_MAX = 255;

/**
 * The name a file is kept under: its last path segment (no folders, `..` or drive letters), without
 * control characters (no header can be injected through it), NFC, at most 255 characters.
 */
export function safeFileName(name: string | undefined | null): string {
  const last = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = last.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '').trim();
  const usable = clean === '.' || clean === '..' ? '' : clean;
  return Array.from(usable || 'attachment').slice(0, NAME_MAX).join('');
}
