/**
 * Profile configuration for TLCP: `tlcp-channel` objects (what the GB/T 38636 features probe) and the http
 * adapter's `transport: tlcp` (how the API is reached over TLCP). Resolved once by the runner into plain strings,
 * so the result survives cucumber's parallel workers; secrets (client keys) stay in memory only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { connect as netConnect } from 'node:net';
import type { Duplex } from 'node:stream';
import { InputError } from '../../lib/errors.ts';
import { TlcpEngine, TlcpSocket, certificatesFromPem, type TlcpCredentials, type TlcpSession } from '../../lib/tlcp/index.ts';
import { parseEndpoint } from './dial.ts';
import { clientCredentialsFromPem } from './run.ts';

/** A PEM source: an endpoint name (its value a PEM `data:` URL), inline PEM, a file path, or a secret reference. */
export type PemRef = string | { file: string } | { provisioned: string } | { env: string };

export interface TlcpChannelOptions {
  /** `host:port`, or the name of a target endpoint holding it */
  endpoint?: string;
  trustAnchors?: PemRef;
  /** the client double certificate: certs PEM [sign, enc, CA…], keys PEM [sign, enc] */
  clientCertificate?: { certs: PemRef; keys: PemRef };
  /** suites the server must accept, hex (e.g. e013) */
  expectedSuites?: string[];
  clientAuth?: 'required' | 'optional' | 'any';
  /** the channel is (also) the remote-management channel: GB/T 39786 unit 6.3.2 is checked on it */
  management?: boolean;
  /** GM/T 0015 edition for the certificate lints */
  lintEdition?: '2012' | '2023';
}

export interface ResolvedTlcpChannel {
  objectId: string;
  host: string;
  port: number;
  trustAnchorsPem?: string;
  clientCertsPem?: string;
  /** secret */
  clientKeysPem?: string;
  expectedSuites?: number[];
  clientAuth: 'required' | 'optional' | 'any';
  management: boolean;
  lintEdition: '2012' | '2023';
}

export interface ResolveContext { file: string; dir: string; endpoints: Record<string, string>; provisioned: Record<string, string> }

export function resolvePem(ref: PemRef | undefined, where: string, c: ResolveContext): string | undefined {
  if (ref === undefined) return undefined;
  let text: string | undefined;
  if (typeof ref === 'string') {
    const ep = c.endpoints[ref];
    if (ep !== undefined) text = decodeDataUrl(ep);
    else if (ref.includes('-----BEGIN')) text = ref;
    else {
      const f = resolve(c.dir, ref);
      if (!existsSync(f)) throw new InputError(`${where}: "${ref}" is neither a target endpoint (have: ${Object.keys(c.endpoints).join(', ') || 'none'}) nor a file (${f})`);
      text = readFileSync(f, 'utf8');
    }
  } else if ('file' in ref) {
    const f = resolve(c.dir, ref.file);
    if (!existsSync(f)) throw new InputError(`${where}.file: ${f} not found`);
    text = readFileSync(f, 'utf8');
  } else if ('env' in ref) {
    text = process.env[ref.env];
    if (text === undefined) throw new InputError(`${where}.env: environment variable ${ref.env} is not set`);
  } else {
    text = c.provisioned[ref.provisioned];
    if (text === undefined) throw new InputError(`${where}.provisioned: "${ref.provisioned}" is only provisioned when gmeval starts the reference platform`);
  }
  if (!text.includes('-----BEGIN')) throw new InputError(`${where}: no PEM block`);
  return text;
}

function decodeDataUrl(v: string): string {
  const m = /^data:[^;,]*(;base64)?,(.*)$/s.exec(v);
  if (!m) return v;
  return m[1] ? Buffer.from(m[2]!, 'base64').toString('utf8') : decodeURIComponent(m[2]!);
}

export function resolveTlcpChannel(objectId: string, index: number, o: TlcpChannelOptions, c: ResolveContext): ResolvedTlcpChannel {
  const where = `${c.file}: objects[${index}].options`;
  const raw = o.endpoint ?? 'tlcp';
  const value = c.endpoints[raw] ?? raw;
  let ep;
  try {
    ep = parseEndpoint(value);
  } catch (e) {
    throw new InputError(`${where}.endpoint: ${(e as Error).message}${c.endpoints[raw] ? '' : ` (and no target endpoint named "${raw}")`}`);
  }
  const suites = (o.expectedSuites ?? []).map((s) => {
    const n = Number.parseInt(String(s).replace(/^0x/i, ''), 16);
    if (!/^(0x)?[0-9a-f]{1,4}$/i.test(String(s))) throw new InputError(`${where}.expectedSuites: "${s}" is not a hexadecimal suite id`);
    return n;
  });
  const out: ResolvedTlcpChannel = {
    objectId, host: ep.host, port: ep.port, clientAuth: o.clientAuth ?? 'any', management: !!o.management, lintEdition: o.lintEdition ?? '2012',
    ...(suites.length ? { expectedSuites: suites } : {}),
  };
  const anchors = resolvePem(o.trustAnchors, `${where}.trustAnchors`, c);
  if (anchors) out.trustAnchorsPem = anchors;
  if (o.clientCertificate) {
    out.clientCertsPem = resolvePem(o.clientCertificate.certs, `${where}.clientCertificate.certs`, c);
    out.clientKeysPem = resolvePem(o.clientCertificate.keys, `${where}.clientCertificate.keys`, c);
    try {
      clientCredentialsFromPem(out.clientCertsPem!, out.clientKeysPem!);
    } catch (e) {
      throw new InputError(`${where}.clientCertificate: ${(e as Error).message}`);
    }
  }
  return out;
}

export function channelCredentials(ch: { clientCertsPem?: string; clientKeysPem?: string }): TlcpCredentials | undefined {
  return ch.clientCertsPem && ch.clientKeysPem ? clientCredentialsFromPem(ch.clientCertsPem, ch.clientKeysPem) : undefined;
}

export function channelAnchors(ch: { trustAnchorsPem?: string }): Uint8Array[] | undefined {
  return ch.trustAnchorsPem ? certificatesFromPem(ch.trustAnchorsPem) : undefined;
}

/** The http adapter's `transport: tlcp` block. */
export interface TlcpTransportOptions { trustAnchors?: PemRef; clientCertificate?: { certs: PemRef; keys: PemRef }; suites?: string[] }
export interface ResolvedTlcpTransport { trustAnchorsPem?: string; clientCertsPem?: string; clientKeysPem?: string; suites?: number[] }

export function resolveTlcpTransport(name: string, o: TlcpTransportOptions | undefined, c: ResolveContext): ResolvedTlcpTransport {
  const where = `${c.file}: adapters.${name}.tlcp`;
  const out: ResolvedTlcpTransport = {};
  const anchors = resolvePem(o?.trustAnchors, `${where}.trustAnchors`, c);
  if (!anchors) throw new InputError(`${where}.trustAnchors: transport tlcp needs the trust anchors of the server's certificates`);
  out.trustAnchorsPem = anchors;
  if (o?.clientCertificate) {
    out.clientCertsPem = resolvePem(o.clientCertificate.certs, `${where}.clientCertificate.certs`, c);
    out.clientKeysPem = resolvePem(o.clientCertificate.keys, `${where}.clientCertificate.keys`, c);
  }
  if (o?.suites) out.suites = o.suites.map((s) => Number.parseInt(String(s).replace(/^0x/i, ''), 16));
  return out;
}

/**
 * `createConnection` for node:http over TLCP to the URL's host and port. The server's certificates must chain to
 * the trust anchors; deviations the TLCP features judge (key usage, ServerKeyExchange signature) are tolerated here
 * and recorded in the socket's findings, so the API can still be evaluated on a channel with a TLCP defect.
 */
export function tlcpConnectionFactory(t: ResolvedTlcpTransport): (opts: { host?: string | null; hostname?: string | null; port?: number | string | null }) => Duplex {
  const creds = channelCredentials(t);
  const anchors = channelAnchors(t);
  // one session per host:port, resumed by id (an HTTP exchange per connection would otherwise cost a full handshake)
  const sessions = new Map<string, TlcpSession>();
  return (opts) => {
    const host = opts.hostname ?? opts.host ?? '127.0.0.1';
    const port = Number(opts.port ?? 443);
    const key = `${host}:${port}`;
    const sock = netConnect({ host, port });
    const session = sessions.get(key);
    const engine = new TlcpEngine({
      role: 'client', transcript: false, tolerate: { serverKeyExchangeSignature: true },
      ...(t.suites ? { suites: t.suites } : {}), ...(anchors ? { trustedCerts: anchors } : {}), ...(creds ? { clientCredentials: creds } : {}),
      ...(session ? { session } : {}),
    });
    const ts = new TlcpSocket(sock, engine);
    ts.once('secure', () => {
      if (engine.session?.id.length) sessions.set(key, engine.session);
    });
    ts.once('error', () => sessions.delete(key));
    sock.once('connect', () => engine.start());
    return ts;
  };
}
