/**
 * TLCP over an already connected byte stream (DESIGN.md §2: lib/ opens no connections). The caller dials or
 * accepts the transport (probes/tlcp for clients, reference-platform/tlcp-listener for servers) and hands it here.
 */
import type { Duplex } from 'node:stream';
import { TlcpEngine, type EngineOptions, type TlcpCredentials, type TranscriptEntry } from './engine.ts';
import { TlcpSocket } from './socket.ts';
import type { TlcpSession, TlcpSessionCache } from './session.ts';

export interface TlcpClientOptions extends Omit<EngineOptions, 'role' | 'clientCredentials' | 'serverCredentials'> {
  /** client double certificate (sign + enc) for client authentication and ECDHE */
  clientCerts?: TlcpCredentials;
  session?: TlcpSession;
  /** handshake timeout, default 15 s */
  timeoutMs?: number;
  /** receives the transcript when the connection ends (evidence) */
  onTranscript?: (t: TranscriptEntry[]) => void;
}

/**
 * Runs the client handshake over `transport` (connected, or a net.Socket still connecting) and resolves with the
 * established TlcpSocket; rejects with the alert (TlcpAlertError) or the transport error.
 */
export function tlcpClientOver(transport: Duplex, opts: TlcpClientOptions): Promise<TlcpSocket> {
  const { clientCerts, timeoutMs, onTranscript, ...rest } = opts;
  const engine = new TlcpEngine({ ...rest, role: 'client', ...(clientCerts ? { clientCredentials: clientCerts } : {}) });
  const ts = new TlcpSocket(transport, engine);
  if (onTranscript) ts.once('close', () => onTranscript(engine.transcript));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ts.destroy(new Error(`TLCP handshake timed out after ${timeoutMs ?? 15000} ms`));
    }, timeoutMs ?? 15000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    ts.once('error', fail);
    ts.once('secure', () => {
      clearTimeout(timer);
      ts.off('error', fail);
      resolve(ts);
    });
    const start = () => engine.start();
    if ((transport as Duplex & { connecting?: boolean }).connecting) transport.once('connect', start);
    else start();
  });
}

export interface TlcpServerOptions extends Omit<EngineOptions, 'role' | 'serverCredentials' | 'clientCredentials' | 'session'> {
  signCert: Uint8Array;
  signKey: TlcpCredentials['signKey'];
  encCert: Uint8Array;
  encKey: TlcpCredentials['encKey'];
  /** CA certificates sent after the pair (optional) */
  chain?: Uint8Array[];
  sessionCache?: TlcpSessionCache;
  /** handshake timeout, default 30 s */
  handshakeTimeoutMs?: number;
}

export interface TlcpAcceptHandlers {
  /** the handshake completed */
  secure(s: TlcpSocket): void;
  /** the handshake failed (alert sent or received, transport error, timeout) */
  failed?(err: Error, s: TlcpSocket): void;
}

/** Serves one accepted transport: runs the server handshake and reports success or failure. Never throws. */
export function tlcpServeOver(transport: Duplex, opts: TlcpServerOptions, on: TlcpAcceptHandlers): TlcpSocket {
  const { signCert, signKey, encCert, encKey, chain, handshakeTimeoutMs, ...rest } = opts;
  const engine = new TlcpEngine({ ...rest, role: 'server', serverCredentials: { signCert, signKey, encCert, encKey, ...(chain ? { chain } : {}) } });
  const ts = new TlcpSocket(transport, engine);
  const timer = setTimeout(() => ts.destroy(new Error('TLCP handshake timed out')), handshakeTimeoutMs ?? 30000);
  const onError = (err: Error) => {
    clearTimeout(timer);
    on.failed?.(err, ts);
  };
  ts.once('error', onError);
  ts.once('secure', () => {
    clearTimeout(timer);
    ts.off('error', onError);
    ts.on('error', () => {
      /* post-handshake errors belong to the application's handler; never crash the server */
    });
    on.secure(ts);
  });
  return ts;
}
