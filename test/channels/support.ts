import { randomBytes } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { bearer, TestApi } from '../support';

export const MAIL_DOMAIN = 'helpdesk.test';

export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** A raw RFC 5322 message (CRLF line ends), headers in the given order. */
export function rawMail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ Date: new Date().toUTCString(), 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}\r\n`;
}

export const messageId = (tag = 'm') => `<${tag}.${randomBytes(6).toString('hex')}@mail.customer.example>`;

/** Hands `raw` to an SMTP server as a sending MTA would; resolves with the server's reply, rejects with its error (`responseCode`). */
export async function sendSmtp(port: number, raw: string | Buffer, from = 'sender@customer.example'): Promise<string> {
  const transport = createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 10_000 });
  try {
    const info = await transport.sendMail({ envelope: { from, to: [`support@${MAIL_DOMAIN}`] }, raw });
    return info.response;
  } finally {
    transport.close();
  }
}

export async function addContact(api: TestApi, customerId: string, body: { name: string; email: string; locale: 'es' | 'en' }): Promise<{ id: string }> {
  const res = await api.http.post(`/api/v1/customers/${customerId}/contacts`).set(bearer(api.adminToken)).send(body);
  if (res.status !== 201) throw new Error(`contact: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
