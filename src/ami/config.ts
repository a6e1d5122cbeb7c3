import { AmiConfigError } from './errors.js';
import { assertSafeText } from './guard.js';

/** Where and as whom to log in to one Asterisk's AMI. */
export type AmiServerConfig = {
  /** A name for logs and errors. */
  name: string;
  host: string;
  port: number;
  username: string;
  secret: string;
};

export const DEFAULT_AMI_PORT = 5038;

const HOST = /^[A-Za-z0-9.:_-]+$/;

/** The connection settings of a PbxServer row (or anything shaped like one). */
export function amiConfigFromPbxServer(server: Pick<AmiServerConfig, 'name' | 'host' | 'port' | 'username' | 'secret'>): AmiServerConfig {
  return checked({ name: server.name, host: server.host, port: server.port, username: server.username, secret: server.secret });
}

/** Reads `ami://user:secret@host:port` (port 5038 when absent; user and secret percent-decoded). */
export function parseAmiUrl(text: string): AmiServerConfig {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    // Never echo the text: it holds the secret.
    throw new AmiConfigError('AMI URL is not a URL: expected ami://user:secret@host:port');
  }
  if (url.protocol !== 'ami:') throw new AmiConfigError(`AMI URL must start with ami:// (got ${url.protocol}//)`);
  if (url.pathname !== '' && url.pathname !== '/') throw new AmiConfigError('AMI URL must not have a path');
  if (url.search !== '' || url.hash !== '') throw new AmiConfigError('AMI URL must not have a query or a fragment');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? DEFAULT_AMI_PORT : Number(url.port);
  return checked({ name: `${host}:${port}`, host, port, username: decode(url.username, 'user'), secret: decode(url.password, 'secret') });
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AmiConfigError(`AMI URL ${what} has a broken %-escape`);
  }
}

function checked(config: AmiServerConfig): AmiServerConfig {
  if (config.host === '' || !HOST.test(config.host)) throw new AmiConfigError(`AMI host ${JSON.stringify(config.host)} is not a host name or an IP address`);
  if (!Number.isInteger(config.port) || config.port < 1 || config.port > 65_535) throw new AmiConfigError(`AMI port ${config.port} is not between 1 and 65535`);
  if (config.username === '') throw new AmiConfigError('AMI username is missing');
  if (config.secret === '') throw new AmiConfigError('AMI secret is missing');
  // Both go into the Login action verbatim, through the package rather than our own action path.
  assertSafeText('Username', config.username);
  assertSafeText('Secret', config.secret);
  return config;
}
