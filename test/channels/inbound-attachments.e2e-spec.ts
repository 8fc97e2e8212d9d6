/**
 * E-mail in keeps a message's files (issue #15) through the attachment store, with the limits of
 * uploads: a file over them is recorded as refused with the reason, and the mail is still a ticket.
 */
import { INestApplicationContext } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { freePort } from '../../libs/devstack/src/free-port';
import { bearer, createCustomer, createPlan, eventually, startTestApi, startTestMailIn, startTestWorker, TestApi, testStack } from '../support';
import { addContact, MAIL_DOMAIN, messageId, sendSmtp } from './support';

const MAX_BYTES = 32 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const PDF = Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1');

type Attachment = { id: string; commentId: string | null; fileName: string; contentType: string | null; size: number | null; sha256: string | null; status: string; refusedReason: string | null; source: string };

describe('e-mail in: attachments', () => {
  let api: TestApi;
  let worker: INestApplicationContext;
  let listener: INestApplicationContext;
  let smtpPort: number;
  let contoso: { id: string; token: string };

  const mail = (mid: string, subject: string, attachments: Array<{ filename: string; content: Buffer; contentType?: string }>) =>
    new MailComposer({ from: 'Marta López <marta@contoso-mail.example>', to: `support@${MAIL_DOMAIN}`, subject, messageId: mid, text: 'Adjunto la factura.', attachments }).compile().build();
  const processed = (mid: string) =>
    eventually(
      () => api.dataSource.query(`SELECT status, ticket_id, comment_id FROM inbound_messages WHERE message_id = $1`, [mid]) as Promise<Array<{ status: string; ticket_id: string; comment_id: string | null }>>,
      (rows) => rows.length === 1 && rows[0].status !== 'received',
      20_000,
      `inbound ${mid}`,
    );
  const attachmentsOf = async (ticketId: string) => (await api.http.get(`/api/v1/tickets/${ticketId}/attachments`).set(bearer(contoso.token))).body as Attachment[];

  beforeAll(async () => {
    smtpPort = await freePort();
    const env = { MAIL_DOMAIN, ATTACHMENT_MAX_BYTES: String(MAX_BYTES), ATTACHMENT_MAX_FILES: '2' };
    api = await startTestApi({ env });
    const plan = await createPlan(api);
    contoso = await createCustomer(api, plan.id, 'Contoso Attachments');
    await addContact(api, contoso.id, { name: 'Marta López', email: 'marta@contoso-mail.example', locale: 'es' });
    worker = await startTestWorker({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, ...env });
    listener = await startTestMailIn({ DATABASE_URL: api.database.url, REDIS_URL: testStack().redisUrl, QUEUE_PREFIX: api.queuePrefix, INBOUND_SMTP_PORT: String(smtpPort), ...env });
  });
  afterAll(async () => {
    await listener?.close();
    await worker?.close();
    await api?.close();
  });

  it("keeps a new mail's files with its ticket, and records the one over the limit as refused, the mail still a ticket", async () => {
    const mid = messageId('files');
    const big = randomBytes(MAX_BYTES + 1);
    const raw = await mail(mid, 'Factura duplicada', [
      { filename: 'factura.pdf', content: PDF, contentType: 'application/pdf' },
      { filename: 'captura.png', content: big, contentType: 'image/png' },
    ]);
    expect(await sendSmtp(smtpPort, raw)).toMatch(/^250 /);
    const [row] = await processed(mid);
    expect(row.status).toBe('ticket');

    const files = await attachmentsOf(row.ticket_id);
    expect(files.map((f) => [f.fileName, f.status, f.source, f.commentId])).toEqual([
      ['factura.pdf', 'stored', 'email', null],
      ['captura.png', 'refused', 'email', null],
    ]);
    expect(files[0]).toMatchObject({ contentType: 'application/pdf', size: PDF.length, sha256: sha256(PDF) });
    expect(files[1]).toMatchObject({ contentType: null, size: null, sha256: null, refusedReason: `${big.length} bytes, larger than ${MAX_BYTES} (ATTACHMENT_MAX_BYTES)` });

    const got = await api.http
      .get(`/api/v1/tickets/${row.ticket_id}/attachments/${files[0].id}`)
      .set(bearer(contoso.token))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(sha256(got.body as Buffer)).toBe(sha256(PDF));
    const refused = await api.http.get(`/api/v1/tickets/${row.ticket_id}/attachments/${files[1].id}`).set(bearer(contoso.token));
    expect(refused.status).toBe(404);
    expect(refused.body.detail).toContain('was refused');
  });

  it("keeps a reply's files on its comment, those past ATTACHMENT_MAX_FILES recorded as refused", async () => {
    const first = messageId('thread');
    await sendSmtp(smtpPort, await mail(first, 'Problema con Teams', []));
    const [ticketRow] = await processed(first);
    const [{ number }] = await api.dataSource.query(`SELECT number FROM tickets WHERE id = $1`, [ticketRow.ticket_id]);

    const reply = messageId('reply');
    const subject = `Re: [HD-${String(number).padStart(6, '0')}] Problema con Teams`;
    await sendSmtp(smtpPort, await mail(reply, subject, [1, 2, 3].map((i) => ({ filename: `log${i}.txt`, content: Buffer.from(`line ${i}\n`) }))));
    const [row] = await processed(reply);
    expect(row.status).toBe('comment');
    const files = await attachmentsOf(row.ticket_id);
    expect(files.map((f) => [f.fileName, f.status, f.commentId, f.contentType])).toEqual([
      ['log1.txt', 'stored', row.comment_id, 'text/plain'],
      ['log2.txt', 'stored', row.comment_id, 'text/plain'],
      ['log3.txt', 'refused', row.comment_id, null],
    ]);
    expect(files[2].refusedReason).toBe('more than 2 files in one message (ATTACHMENT_MAX_FILES)');
  });
});
