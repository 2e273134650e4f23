import { connect } from 'node:net';
import { request } from 'node:http';
import { inspectTls, type TlsInspection } from './tls.ts';

/** What answers on an open port, found by talking to it (never by its number alone). */
export type Protocol = 'telnet' | 'ftp' | 'ssh' | 'http' | 'tls' | 'tlcp' | 'banner' | 'unknown';
export interface ServiceFacts {
  host: string;
  port: number;
  protocol: Protocol;
  /** plain HTTP answering with a login form or a redirect to a login page */
  adminHttp?: boolean;
  banner?: string;
  httpStatus?: number;
  tls?: TlsInspection;
  tlcp?: TlcpFacts;
}
export interface TlcpFacts {
  handshake: boolean;
  suite?: string;
  version?: string;
  peerVerified?: boolean;
  certificates?: number;
  error?: string;
  /** the TLCP probe module could not be loaded */
  unavailable?: string;
}

function grabBanner(host: string, port: number, waitMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    let got = Buffer.alloc(0);
    const done = () => { clearTimeout(t); s.destroy(); resolve(got.length ? got : undefined); };
    const t = setTimeout(done, waitMs);
    s.on('data', (d: Buffer) => { got = Buffer.concat([got, d]); if (got.length > 256) done(); });
    s.once('error', done);
    s.once('end', done);
  });
}

const MAX_BODY = 65536;

/**
 * One GET within a hard deadline (Node's `timeout` is an idle timeout: a server trickling bytes would never hit
 * it). The first 64 KiB of the body are enough to recognise a login page; then the connection is dropped.
 */
function httpGet(host: string, port: number, timeoutMs: number, path = '/'): Promise<{ status: number; location?: string; body: string } | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    let req: ReturnType<typeof request> | undefined;
    const done = (v: { status: number; location?: string; body: string } | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      req?.destroy();
      resolve(v);
    };
    // what arrived so far (status line and headers, part of the body) is the answer when the deadline hits
    let answer: (() => { status: number; location?: string; body: string }) | undefined;
    const deadline = setTimeout(() => done(answer?.()), timeoutMs);
    try {
      req = request({ host, port, path, method: 'GET', timeout: timeoutMs, headers: { 'user-agent': 'gmeval-net-probe' } }, (res) => {
        let body = '';
        answer = () => ({ status: res.statusCode ?? 0, location: res.headers.location, body });
        res.setEncoding('utf8');
        res.on('data', (d: string) => { body += d.slice(0, MAX_BODY - body.length); if (body.length >= MAX_BODY) done(answer!()); });
        res.on('end', () => done(answer!()));
        res.on('error', () => done(answer!()));
        res.on('aborted', () => done(answer!()));
      });
    } catch {
      return done(undefined); // a path the HTTP client refuses (a server's odd Location header)
    }
    req.on('timeout', () => done(answer?.()));
    req.on('error', () => done(answer?.()));
    req.end();
  });
}

async function httpLooksAdmin(host: string, port: number, first: { status: number; location?: string; body: string }, timeoutMs: number): Promise<boolean> {
  const form = (b: string) => /type=["']?password/i.test(b);
  if (form(first.body)) return true;
  if (first.location && /login|signin|auth/i.test(first.location)) {
    let path: string;
    try {
      path = first.location.startsWith('/') ? first.location : new URL(first.location).pathname;
    } catch {
      return false; // an unparseable Location header: no login page to look at
    }
    const next = (await httpGet(host, port, timeoutMs, path))?.body ?? '';
    return form(next) || /login/i.test(path);
  }
  return false;
}

/** Identifies the protocol on one open port; TLS ports are inspected in depth, TLCP through probes/tlcp. */
export async function identifyService(host: string, port: number, o: { timeoutMs?: number; tlcp?: (host: string, port: number) => Promise<TlcpFacts> } = {}): Promise<ServiceFacts> {
  const timeoutMs = o.timeoutMs ?? 1500;
  const banner = await grabBanner(host, port, 300);
  if (banner) {
    const text = banner.toString('latin1');
    const shown = text.replace(/[^\x20-\x7e]/g, '.').slice(0, 120);
    if (banner[0] === 0xff) return { host, port, protocol: 'telnet', banner: shown };
    if (/^SSH-/.test(text)) return { host, port, protocol: 'ssh', banner: shown };
    if (/^220[ -].*ftp/i.test(text) || /^220[ -]/.test(text)) return { host, port, protocol: 'ftp', banner: shown };
    if (/login:|username:|password:/i.test(text)) return { host, port, protocol: 'telnet', banner: shown };
    return { host, port, protocol: 'banner', banner: shown };
  }
  // the server waits for the client: ask in each language at once, on separate connections
  const [http, tls, tlcp] = await Promise.all([
    httpGet(host, port, timeoutMs),
    inspectTls(host, port, timeoutMs),
    o.tlcp ? o.tlcp(host, port) : Promise.resolve(undefined),
  ]);
  if (tlcp?.handshake) return { host, port, protocol: 'tlcp', tlcp };
  if (tls.versions.some((v) => v.accepted)) return { host, port, protocol: 'tls', tls, ...(tlcp ? { tlcp } : {}) };
  if (http && http.status > 0) return { host, port, protocol: 'http', httpStatus: http.status, adminHttp: await httpLooksAdmin(host, port, http, timeoutMs), ...(tlcp ? { tlcp } : {}) };
  return { host, port, protocol: 'unknown', ...(tlcp ? { tlcp } : {}) };
}
