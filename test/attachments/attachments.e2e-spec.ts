/**
 * Attachments (issue #12): multipart uploads with a comment or onto a ticket, in the comment's
 * transaction, the type sniffed from the bytes, limits enforced while the upload streams in, and
 * downloads that can never render in the browser; who sees what follows comments.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { bearer, createAgent, createCustomer, createPlan, startTestApi, TestApi, ticketBody } from '../support';

const MAX_BYTES = 1024 * 1024;
const MAX_FILES = 3;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** A real 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1e0f8e70000000049454e44ae426082', 'hex');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');

type File = { name: string; bytes: Buffer; type?: string };
type Attachment = { id: string; ticketId: string; commentId: string | null; fileName: string; contentType: string; declaredType: string | null; size: number; sha256: string; visibility: string; status: string };

/** The bytes of a response, whatever its type. */
function binary(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('attachments', () => {
  let api: TestApi;
  let fsApi: TestApi;
  let fsDir: string;
  let customer: { id: string; token: string };
  let other: { id: string; token: string };
  let agent: { id: string; token: string };
  let sales: { id: string; token: string };

  const newTicket = async (on = api, who = customer) => (await on.http.post('/api/v1/tickets').set(bearer(who.token)).send(ticketBody(undefined, { subject: `Printer ${randomUUID().slice(0, 8)}` }))).body as { id: string };
  const upload = (ticketId: string, token: string, files: File[], fields: Record<string, string> = { visibility: 'public' }, on = api) => {
    let req = on.http.post(`/api/v1/tickets/${ticketId}/attachments`).set(bearer(token));
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    for (const f of files) req = req.attach('files', f.bytes, { filename: f.name, contentType: f.type ?? 'application/octet-stream' });
    return req;
  };
  const list = (ticketId: string, token: string, on = api) => on.http.get(`/api/v1/tickets/${ticketId}/attachments`).set(bearer(token));
  const download = (ticketId: string, id: string, token: string, on = api) => on.http.get(`/api/v1/tickets/${ticketId}/attachments/${id}`).set(bearer(token)).buffer(true).parse(binary);
  const counts = async (ticketId: string) => {
    const [row] = await api.dataSource.query(
      `SELECT (SELECT count(*) FROM ticket_comments WHERE ticket_id = $1)::int AS comments, (SELECT count(*) FROM ticket_attachments WHERE ticket_id = $1)::int AS attachments,
              (SELECT count(*) FROM ticket_events WHERE ticket_id = $1)::int AS events, (SELECT count(*) FROM attachment_chunks)::int AS chunks`,
      [ticketId],
    );
    return row as { comments: number; attachments: number; events: number; chunks: number };
  };

  beforeAll(async () => {
    const env = { ATTACHMENT_MAX_BYTES: String(MAX_BYTES), ATTACHMENT_MAX_FILES: String(MAX_FILES) };
    api = await startTestApi({ env });
    const plan = await createPlan(api);
    customer = await createCustomer(api, plan.id);
    other = await createCustomer(api, plan.id);
    agent = await createAgent(api, ['helpdesk_agent']);
    sales = await createAgent(api, ['sales_agent']);
    fsDir = mkdtempSync(join(tmpdir(), 'helpdesk-attachments-'));
    fsApi = await startTestApi({ database: api.database, env: { ...env, ATTACHMENT_STORE: 'filesystem', ATTACHMENT_DIR: fsDir, BOOTSTRAP_ADMIN_TOKEN: api.adminToken } });
  });
  afterAll(async () => {
    await fsApi?.close({ keepDatabase: true });
    await api?.close();
    if (fsDir) rmSync(fsDir, { recursive: true, force: true });
  });

  describe.each([
    ['PostgreSQL', () => api],
    ['the filesystem', () => fsApi],
  ])('round trip through %s', (store, on) => {
    it('uploads files with a new comment and downloads the same bytes, hashed, as a download that never renders', async () => {
      const ticket = await newTicket(on());
      const big = randomBytes(MAX_BYTES - 10); // several 256 KiB chunks
      const res = await upload(ticket.id, agent.token, [{ name: 'trace.bin', bytes: big }, { name: 'screen.png', bytes: PNG, type: 'image/png' }], { body: 'Logs attached', visibility: 'public' }, on());
      expect(res.status).toBe(201);
      expect(res.body.comment).toMatchObject({ ticketId: ticket.id, body: 'Logs attached', visibility: 'public' });
      const [bin, png] = res.body.attachments as Attachment[];
      expect(bin).toMatchObject({ ticketId: ticket.id, commentId: res.body.comment.id, fileName: 'trace.bin', contentType: 'application/octet-stream', size: big.length, sha256: sha256(big), status: 'stored', visibility: 'public' });
      expect(png).toMatchObject({ fileName: 'screen.png', contentType: 'image/png', size: PNG.length, sha256: sha256(PNG) });

      const listed = (await list(ticket.id, customer.token, on())).body as Attachment[];
      expect(listed.map((a) => [a.id, a.fileName, a.size, a.sha256, a.commentId])).toEqual([
        [bin.id, 'trace.bin', big.length, sha256(big), res.body.comment.id],
        [png.id, 'screen.png', PNG.length, sha256(PNG), res.body.comment.id],
      ]);

      const got = await download(ticket.id, bin.id, customer.token, on());
      expect(got.status).toBe(200);
      expect(sha256(got.body as Buffer)).toBe(sha256(big));
      expect(got.headers).toMatchObject({
        'content-type': 'application/octet-stream',
        'content-disposition': 'attachment; filename="trace.bin"',
        'content-length': String(big.length),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "sandbox; default-src 'none'",
        etag: `"${sha256(big)}"`,
      });
      const image = await download(ticket.id, png.id, agent.token, on());
      expect(Buffer.compare(image.body as Buffer, PNG)).toBe(0);
      expect(image.headers['content-type']).toBe('image/png');

      const stored: Array<{ store: string; chunks: number }> = await api.dataSource.query(
        `SELECT store, (SELECT count(*) FROM attachment_chunks c WHERE c.attachment_id = a.id)::int AS chunks FROM ticket_attachments a WHERE id = $1`,
        [bin.id],
      );
      if (store === 'PostgreSQL') {
        expect(stored).toEqual([{ store: 'postgres', chunks: 4 }]);
      } else {
        expect(stored).toEqual([{ store: 'filesystem', chunks: 0 }]);
        expect(existsSync(join(fsDir, bin.id.slice(0, 2), bin.id))).toBe(true);
      }
      const events = (await api.http.get(`/api/v1/tickets/${ticket.id}/events`).set(bearer(agent.token))).body as Array<{ type: string; data: Record<string, unknown> }>;
      expect(events.find((e) => e.type === 'attached')?.data).toMatchObject({ commentId: res.body.comment.id, attachments: [{ id: bin.id, fileName: 'trace.bin' }, { id: png.id, fileName: 'screen.png' }] });
    });
  });

  it('attaches to the ticket itself without a body; a customer attaches publicly to their own ticket only', async () => {
    const ticket = await newTicket();
    const res = await upload(ticket.id, customer.token, [{ name: 'invoice.pdf', bytes: Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1') }]);
    expect(res.status).toBe(201);
    expect(res.body.comment).toBeNull();
    expect(res.body.attachments[0]).toMatchObject({ commentId: null, contentType: 'application/pdf', uploadedBy: { kind: 'customer', name: null } });
    expect(res.body.attachments[0].uploadedBy.id).toBeUndefined();

    const internal = await upload(ticket.id, customer.token, [{ name: 'x.txt', bytes: Buffer.from('x') }], { visibility: 'internal' });
    expect(internal.status).toBe(403);
    expect(internal.body.errors).toEqual([{ field: 'visibility', message: 'must be public for a customer', code: 'publicOnly', params: {} }]);
    expect((await upload(ticket.id, other.token, [{ name: 'x.txt', bytes: Buffer.from('x') }])).status).toBe(404);
    expect((await upload(ticket.id, sales.token, [{ name: 'x.txt', bytes: Buffer.from('x') }])).status).toBe(403);
  });

  it('stores an HTML page named .png as what it is (text/plain) and serves it as a text download, never as HTML', async () => {
    const ticket = await newTicket();
    const res = await upload(ticket.id, customer.token, [{ name: 'cat.png', bytes: HTML, type: 'image/png' }], { body: 'see picture', visibility: 'public' });
    expect(res.status).toBe(201);
    const [file] = res.body.attachments as Attachment[];
    expect(file).toMatchObject({ fileName: 'cat.png', contentType: 'text/plain', declaredType: 'image/png', sha256: sha256(HTML) });
    const got = await download(ticket.id, file.id, agent.token);
    expect(got.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(got.headers['content-disposition']).toBe('attachment; filename="cat.png"');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-security-policy']).toContain('sandbox');
    expect(Buffer.compare(got.body as Buffer, HTML)).toBe(0);
  });

  it('encodes any file name as RFC 6266 says (no header can be injected) and keeps only its last path segment', async () => {
    const ticket = await newTicket();
    const res = await upload(ticket.id, agent.token, [{ name: '../../etc/Factura año 2026.txt', bytes: Buffer.from('hola') }], { visibility: 'internal' });
    expect(res.status).toBe(201);
    const [file] = res.body.attachments as Attachment[];
    expect(file.fileName).toBe('Factura año 2026.txt');
    const got = await download(ticket.id, file.id, agent.token);
    expect(got.headers['content-disposition']).toBe(`attachment; filename="Factura a?o 2026.txt"; filename*=UTF-8''Factura%20a%C3%B1o%202026.txt`);
  });

  it('refuses a file over ATTACHMENT_MAX_BYTES with a 413 naming it, writing nothing: no comment, no row, no event', async () => {
    const ticket = await newTicket();
    const before = await counts(ticket.id);
    const res = await upload(ticket.id, agent.token, [{ name: 'ok.txt', bytes: Buffer.from('fine') }, { name: 'huge.bin', bytes: randomBytes(MAX_BYTES + 1) }], { body: 'two files', visibility: 'public' });
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'files', message: `"huge.bin" is larger than ${MAX_BYTES} bytes (ATTACHMENT_MAX_BYTES)`, code: 'invalid', params: {} }]);
    // The limits go with the refusal, for a client to tell people what fits.
    expect(res.body).toMatchObject({ maxBytes: MAX_BYTES, maxFiles: MAX_FILES });
    expect(await counts(ticket.id)).toEqual(before);
  });

  it('refuses more than ATTACHMENT_MAX_FILES files with a 413 naming files, writing nothing', async () => {
    const ticket = await newTicket();
    const before = await counts(ticket.id);
    const files = Array.from({ length: MAX_FILES + 1 }, (_, i) => ({ name: `f${i}.txt`, bytes: Buffer.from(`file ${i}`) }));
    const res = await upload(ticket.id, agent.token, files, { body: 'many', visibility: 'public' });
    expect(res.status).toBe(413);
    expect(res.body.errors).toEqual([{ field: 'files', message: `At most ${MAX_FILES} files per upload (ATTACHMENT_MAX_FILES)`, code: 'invalid', params: {} }]);
    expect(await counts(ticket.id)).toEqual(before);
  });

  it('answers a bad form with a 400 naming the field, and anything but multipart with a 415', async () => {
    const ticket = await newTicket();
    const noFiles = await upload(ticket.id, agent.token, [], { body: 'no files', visibility: 'public' });
    expect([noFiles.status, noFiles.body.errors]).toEqual([400, [{ field: 'files', message: 'send at least one file', code: 'invalid', params: {} }]]);
    const noVisibility = await upload(ticket.id, agent.token, [{ name: 'a.txt', bytes: Buffer.from('a') }], {});
    expect([noVisibility.status, noVisibility.body.errors?.[0]?.field]).toEqual([400, 'visibility']);
    const blank = await upload(ticket.id, agent.token, [{ name: 'a.txt', bytes: Buffer.from('a') }], { body: '   ', visibility: 'public' });
    expect([blank.status, blank.body.errors?.[0]?.field]).toEqual([400, 'body']);
    const wrongPart = await api.http.post(`/api/v1/tickets/${ticket.id}/attachments`).set(bearer(agent.token)).field('visibility', 'public').attach('file', Buffer.from('a'), 'a.txt');
    expect([wrongPart.status, wrongPart.body.errors?.[0]?.field]).toEqual([400, 'file']);
    const json = await api.http.post(`/api/v1/tickets/${ticket.id}/attachments`).set(bearer(agent.token)).send({ visibility: 'public' });
    expect(json.status).toBe(415);
    // Multipart anywhere else is the 415 of every body that is not JSON.
    const elsewhere = await api.http.post(`/api/v1/tickets/${ticket.id}/comments`).set(bearer(agent.token)).field('body', 'x').field('visibility', 'public');
    expect(elsewhere.status).toBe(415);
    expect(await counts(ticket.id)).toMatchObject({ comments: 0, attachments: 0 });
  });

  it("hides internal attachments from customers and from staff who only read the ticket, and another customer's altogether", async () => {
    const ticket = await newTicket();
    const pub = (await upload(ticket.id, agent.token, [{ name: 'public.txt', bytes: Buffer.from('for you') }], { body: 'Here you go', visibility: 'public' })).body.attachments[0] as Attachment;
    const internal = (await upload(ticket.id, agent.token, [{ name: 'internal.txt', bytes: Buffer.from('between us') }], { body: 'Vendor notes', visibility: 'internal' })).body.attachments[0] as Attachment;

    expect(((await list(ticket.id, customer.token)).body as Attachment[]).map((a) => a.fileName)).toEqual(['public.txt']);
    expect(((await list(ticket.id, sales.token)).body as Attachment[]).map((a) => a.fileName)).toEqual(['public.txt']);
    expect(((await list(ticket.id, agent.token)).body as Attachment[]).map((a) => a.fileName)).toEqual(['public.txt', 'internal.txt']);
    expect((await download(ticket.id, internal.id, customer.token)).status).toBe(404);
    expect((await download(ticket.id, internal.id, sales.token)).status).toBe(404);
    expect((await download(ticket.id, pub.id, sales.token)).status).toBe(200);

    // Another customer: the ticket does not exist for them, nor does its file through their own ticket.
    expect((await list(ticket.id, other.token)).status).toBe(404);
    expect((await download(ticket.id, pub.id, other.token)).status).toBe(404);
    const theirs = await newTicket(api, other);
    expect((await download(theirs.id, pub.id, other.token)).status).toBe(404);
  });

  it('shows the attachments of a merged ticket from its target, as its comments are', async () => {
    const target = await newTicket();
    const duplicate = await newTicket();
    const file = (await upload(duplicate.id, customer.token, [{ name: 'dup.png', bytes: PNG }], { body: 'same problem', visibility: 'public' })).body.attachments[0] as Attachment;
    for (const status of ['triaged', 'in_progress']) expect((await api.http.patch(`/api/v1/tickets/${duplicate.id}`).set(bearer(agent.token)).send({ status })).status).toBe(200);
    expect((await api.http.post(`/api/v1/tickets/${duplicate.id}/merge`).set(bearer(agent.token)).send({ targetId: target.id })).status).toBe(200);

    expect(((await list(target.id, customer.token)).body as Attachment[]).map((a) => [a.fileName, a.ticketId])).toEqual([['dup.png', duplicate.id]]);
    const got = await download(target.id, file.id, customer.token);
    expect(Buffer.compare(got.body as Buffer, PNG)).toBe(0);
    // The merged (closed) ticket takes no more files.
    expect((await upload(duplicate.id, agent.token, [{ name: 'late.txt', bytes: Buffer.from('late') }])).status).toBe(409);
  });

  it('refuses an upload without a token before reading its body: a 401 while the client is still sending', async () => {
    const ticket = await newTicket();
    const url = new URL(`${api.url}/api/v1/tickets/${ticket.id}/attachments`);
    const declared = 25 * 1024 * 1024;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(declared) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
      // Only the first 64 KiB are ever sent: the answer must come without the rest.
      req.write(Buffer.concat([Buffer.from('--x\r\nContent-Disposition: form-data; name="files"; filename="a.bin"\r\n\r\n'), Buffer.alloc(64 * 1024)]));
    });
    expect(status).toBe(401);
    expect(await counts(ticket.id)).toMatchObject({ attachments: 0 });
  });
});
