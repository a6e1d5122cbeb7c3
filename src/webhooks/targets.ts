import { lookup as lookupAddresses, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may POST: never to loopback, private, link-local, shared, unspecified, reserved or multicast
 * addresses (the PBX host's own services, a cloud's metadata service at 169.254.169.254, the office LAN), unless
 * configuration allows a network (WEBHOOK_ALLOWED_NETWORKS). Checked when a webhook is saved and again on
 * every delivery against the address actually connected to, so a name that later resolves elsewhere (DNS
 * rebinding) is refused too.
 */
export type WebhookTargets = { readonly allowed: BlockList; readonly allowedText: readonly string[] };

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b::', 96]] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

export class WebhookTargetsError extends Error {
  override name = 'WebhookTargetsError';
}

/** The policy from configuration: networks (CIDR) whose receivers are allowed although not public. */
export function webhookTargets(allowedNetworks: readonly string[]): WebhookTargets {
  const allowed = new BlockList();
  for (const network of allowedNetworks) {
    const [address = '', bits = ''] = network.split('/');
    const family = isIP(address);
    const prefix = Number(bits || (family === 6 ? 128 : 32));
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32)) throw new WebhookTargetsError(`${network} is not a network (address/prefix)`);
    allowed.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return { allowed, allowedText: allowedNetworks };
}

export const PUBLIC_ONLY = webhookTargets([]);

/** Whether a webhook may connect to `address` (an IP); an IPv4-mapped IPv6 address is judged as its IPv4 one. */
export function addressAllowed(targets: WebhookTargets, address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  return !NOT_PUBLIC.check(ip, family) || targets.allowed.check(ip, family);
}

export const BLOCKED_MESSAGE = 'is a loopback, private, link-local or otherwise non-public address; webhooks only reach public receivers unless WEBHOOK_ALLOWED_NETWORKS allows it';

/** The host of a URL as an IP when it is one (IPv6 without its brackets), else null. */
export function literalAddress(hostname: string): string | null {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(bare) === 0 ? null : bare;
}

/**
 * What is wrong with a webhook URL's host when it is saved, or null: an address not allowed, or a name that
 * resolves to one. A name that does not resolve now is accepted: the delivery checks it again.
 */
export async function hostProblem(targets: WebhookTargets, hostname: string): Promise<string | null> {
  const literal = literalAddress(hostname);
  if (literal !== null) return addressAllowed(targets, literal) ? null : `${literal} ${BLOCKED_MESSAGE}`;
  const addresses = await new Promise<LookupAddress[]>((resolve) => lookupAddresses(hostname, { all: true }, (error, found) => resolve(error ? [] : found)));
  const blocked = addresses.find(({ address }) => !addressAllowed(targets, address));
  return blocked ? `${hostname} resolves to ${blocked.address}, which ${BLOCKED_MESSAGE}` : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves the name and refuses it when any address is not allowed: the
 * connection then goes to an address this check saw, never one a second resolution returns.
 */
export function guardedLookup(targets: WebhookTargets) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookupAddresses(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      if (addresses.some(({ address }) => !addressAllowed(targets, address))) {
        return callback(Object.assign(new Error(`${hostname} ${BLOCKED_MESSAGE}`), { code: 'EWEBHOOKBLOCKED' }), '');
      }
      const [first] = addresses;
      if (options.all) return callback(null, addresses);
      return callback(null, first?.address ?? '', first?.family);
    });
  };
}
