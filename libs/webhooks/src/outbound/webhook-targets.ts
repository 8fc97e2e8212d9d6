import { Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import { AppConfig } from '@helpdesk/config';
import { refusalOfAny, resolveAll, ResolveAll } from './guarded-lookup';

/**
 * Why `url` cannot be a webhook target, or null: not http(s), or a host that is (or resolves to)
 * an address the client would refuse. A name that does not resolve now is let through: the
 * client checks again, after resolving, every time it connects.
 */
export async function webhookTargetProblem(url: string, allowPrivate: boolean, resolve: ResolveAll = resolveAll): Promise<string | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http(s) URL';
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((done) => resolve(host, { all: true }, (error, found) => done(error ? [] : found.map((a) => a.address))));
  return refusalOfAny(parsed.hostname, addresses, allowPrivate)?.message.replace(/^refused: /, 'is refused: ') ?? null;
}

/** The save-time check of webhook URLs with this deployment's WEBHOOK_ALLOW_PRIVATE. */
@Injectable()
export class WebhookTargets {
  constructor(private readonly config: AppConfig) {}

  problem(url: string): Promise<string | null> {
    return webhookTargetProblem(url, this.config.webhookAllowPrivate);
  }
}
