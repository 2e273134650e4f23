/**
 * Dialling TLCP peers (the network half of the client; the protocol is lib/tlcp). Connection failures are
 * `TlcpUnreachableError`, so callers can tell "could not test" from a protocol answer.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { ManualTlcpClient, tlcpClientOver, type EngineOptions, type TlcpClientOptions, type TlcpSocket } from '../../lib/tlcp/index.ts';

export class TlcpUnreachableError extends Error {
  constructor(readonly host: string, readonly port: number, override readonly cause: Error) {
    super(`TLCP endpoint ${host}:${port} unreachable: ${cause.message}`);
  }
}

export interface Endpoint { host: string; port: number }

/** Parses `host:port`, `[v6]:port` or `tlcp://host:port[/path]`; throws a readable error otherwise. */
export function parseEndpoint(text: string): Endpoint {
  const t = text.trim().replace(/^tlcp:\/\//, '').replace(/\/.*$/, '');
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(t);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 1 && port <= 65535)) throw new Error(`"${text}" is not HOST:PORT (port 1..65535)`);
  return { host: m[1] ?? m[2]!, port };
}

/** Opens a TCP connection; resolves once connected. */
export function dialTcp(ep: Endpoint, timeoutMs = 5000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host: ep.host, port: ep.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new TlcpUnreachableError(ep.host, ep.port, new Error(`no TCP connection within ${timeoutMs} ms`)));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.off('error', onError);
      resolve(sock);
    });
    const onError = (e: Error) => {
      clearTimeout(timer);
      reject(new TlcpUnreachableError(ep.host, ep.port, e));
    };
    sock.once('error', onError);
  });
}

export interface TlcpConnectOptions extends TlcpClientOptions {
  host?: string;
  port?: number;
  connectTimeoutMs?: number;
}

/** Dials and runs the client handshake; resolves with the established socket. */
export async function tlcpConnect(opts: TlcpConnectOptions): Promise<TlcpSocket> {
  const { host, port, connectTimeoutMs, ...rest } = opts;
  const sock = await dialTcp({ host: host ?? '127.0.0.1', port: port ?? 443 }, connectTimeoutMs);
  return tlcpClientOver(sock, rest);
}

/** Dials and wraps the connection in a step-by-step client (nothing is sent until `start()`/`handshake()`). */
export async function manualConnect(opts: Omit<EngineOptions, 'role'> & { host?: string; port?: number; connectTimeoutMs?: number }): Promise<ManualTlcpClient> {
  const { host, port, connectTimeoutMs, ...engineOpts } = opts;
  const sock = await dialTcp({ host: host ?? '127.0.0.1', port: port ?? 443 }, connectTimeoutMs);
  return ManualTlcpClient.over(sock, engineOpts);
}
