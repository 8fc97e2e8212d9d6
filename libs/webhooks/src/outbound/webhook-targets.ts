import { Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import { AppConfig } from '@helpdesk/config';
import { DomainError, FieldErrorCode } from '@helpdesk/http';
import { refusalOfAny, resolveAll, ResolveAll } from './guarded-lookup';

/**
 * Why a URL cannot be a webhook target: the English message, and its reason for a screen to say in
 * its own words — `url` (not an absolute URL), `scheme` (not http or https), or the kind of address
 * its host is or resolves to (addressKind's key) — with the host ('' when there is none).
 */
export interface WebhookTargetProblem {
  message: string;
  reason: string;
  host: string;
}

/**
 * Why `url` cannot be a webhook target, or null: not http(s), or a host that is (or resolves to)
 * an address the client would refuse. A name that does not resolve now is let through: the
 * client checks again, after resolving, every time it connects.
 */
export async function webhookTargetProblem(url: string, allowPrivate: boolean, resolve: ResolveAll = resolveAll): Promise<WebhookTargetProblem | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { message: 'must be an absolute http(s) URL', reason: 'url', host: '' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { message: 'must be an http(s) URL', reason: 'scheme', host: parsed.hostname };
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((done) => resolve(host, { all: true }, (error, found) => done(error ? [] : found.map((a) => a.address))));
  const refused = refusalOfAny(parsed.hostname, addresses, allowPrivate);
  return refused && { message: refused.message.replace(/^refused: /, 'is refused: '), reason: refused.kind, host: parsed.hostname };
}

/** The save-time check of webhook URLs with this deployment's WEBHOOK_ALLOW_PRIVATE. */
@Injectable()
export class WebhookTargets {
  constructor(private readonly config: AppConfig) {}

  /** Refuses (400 naming `field`, code `webhookTarget` with its reason and host) a URL that may not be a webhook target. */
  async assertTarget(url: string, field = 'webhookUrl'): Promise<void> {
    const problem = await webhookTargetProblem(url, this.config.webhookAllowPrivate);
    if (problem) throw DomainError.invalid(field, problem.message, FieldErrorCode.WebhookTarget, { reason: problem.reason, host: problem.host });
  }
}
