import { lookup as dnsLookup, LookupAddress, LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressKind } from './address-policy';

/** Resolves a host name to all its addresses (node:dns `lookup` with `all: true`, or a stand-in in tests). */
export type ResolveAll = (hostname: string, options: LookupAllOptions, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export const resolveAll: ResolveAll = (hostname, options, callback) => dnsLookup(hostname, options, callback);

/** A webhook target that is not allowed; its message names the kind of address, not the address. */
export class WebhookTargetRefused extends Error {
  readonly code = 'EWEBHOOKTARGET';
  /** `kind`: the address's kind (addressKind's key: `loopback`, `private`, `metadata`…). */
  constructor(
    readonly host: string,
    readonly kind: string,
    description: string,
  ) {
    super(`refused: the webhook target ${host} is ${description} (only public addresses are allowed unless WEBHOOK_ALLOW_PRIVATE=true)`);
    this.name = 'WebhookTargetRefused';
  }
}

/** The refusal for the first address of `addresses` that may not be reached, or null. */
export function refusalOfAny(host: string, addresses: readonly string[], allowPrivate: boolean): WebhookTargetRefused | null {
  for (const address of addresses) {
    const refused = addressKind(address, allowPrivate);
    if (refused !== null) return new WebhookTargetRefused(host, refused.kind, refused.description);
  }
  return null;
}

/**
 * The `lookup` of a webhook connection: resolves the name, refuses it when ANY of its addresses
 * is not allowed (a name mixing public and private addresses is refused), and hands the socket
 * exactly the addresses it checked. The socket connects to what was checked, so a name that
 * resolves differently a moment later (DNS rebinding) cannot slip past.
 */
export function guardedLookup(allowPrivate: boolean, resolve: ResolveAll = resolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: options.family, hints: options.hints, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
      const refused = refusalOfAny(hostname, addresses.map((a) => a.address), allowPrivate);
      if (refused) return callback(refused, '', 0);
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
