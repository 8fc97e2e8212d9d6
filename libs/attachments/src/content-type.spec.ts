import { safeFileName, servedContentType, sniffContentType } from './content-type';

describe('sniffContentType: what the bytes are, never what the name says', () => {
  it('recognises binary formats by their signature', async () => {
    expect(await sniffContentType(Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n', 'latin1'))).toBe('application/pdf');
    expect(await sniffContentType(Buffer.from('ffd8ffe000104a46494600', 'hex'))).toBe('image/jpeg');
  });

  it('calls every text text/plain, HTML and SVG included, and anything else application/octet-stream', async () => {
    expect(await sniffContentType(Buffer.from('<!doctype html><script>alert(1)</script>'))).toBe('text/plain');
    expect(await sniffContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBe('text/plain');
    expect(await sniffContentType(Buffer.from('año,importe\n2026,10\n'))).toBe('text/plain');
    expect(await sniffContentType(Buffer.from([0x00, 0x01, 0x02, 0xff]))).toBe('application/octet-stream');
    expect(await sniffContentType(Buffer.from([0xc3, 0x28, 0x41]))).toBe('application/octet-stream');
  });

  it('is not fooled by a multi-byte character cut at the end of the sample', async () => {
    expect(await sniffContentType(Buffer.from('añ', 'utf8').subarray(0, 2))).toBe('text/plain');
  });
});

describe('servedContentType', () => {
  it('labels inert types as they are and everything that could render as application/octet-stream', () => {
    expect(servedContentType('image/png')).toBe('image/png');
    expect(servedContentType('application/pdf')).toBe('application/pdf');
    expect(servedContentType('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(servedContentType('text/plain')).toBe('text/plain; charset=utf-8');
    for (const risky of ['text/html', 'application/xml', 'image/svg+xml', 'application/x-msdownload', 'application/vnd.ms-htmlhelp']) {
      expect([risky, servedContentType(risky)]).toEqual([risky, 'application/octet-stream']);
    }
  });
});

describe('safeFileName', () => {
  it('keeps the last path segment, without control characters (no header injection), NFC, at most 255 characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\ana\\informe.pdf')).toBe('informe.pdf');
    expect(safeFileName('a.txt\r\nSet-Cookie: x=1')).toBe('a.txtSet-Cookie: x=1');
    expect(safeFileName('n\u0303o.txt')).toBe('ño.txt');
    expect(Array.from(safeFileName(`${'é'.repeat(300)}.txt`))).toHaveLength(255);
  });

  it('names a file with no usable name "attachment"', () => {
    for (const name of [undefined, null, '', '   ', '..', 'dir/', '\u0000\u0001']) expect(safeFileName(name)).toBe('attachment');
  });
});
