/**
 * TlcpSocket: a Node Duplex carrying application data over a TLCP engine on top of any byte transport
 * (normally a net.Socket), so HTTP/1.1 runs over it unchanged:
 *   http.request({ createConnection: () => tlcpSocket })  ·  httpServer.emit('connection', tlcpSocket)
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { TlcpAlertError } from './errors.ts';
import { TlcpEngine, type CloseCause, type Negotiated, type TranscriptEntry } from './engine.ts';
import type { TlcpSession } from './session.ts';

export interface TlcpSocketEvents {
  /** handshake finished; `negotiated` is set */
  secure: (n: Negotiated) => void;
}

export class TlcpSocket extends Duplex {
  readonly engine: TlcpEngine;
  readonly transport: Duplex;
  private pendingWrites: { chunk: Buffer; cb: (e?: Error | null) => void }[] = [];
  private transportPaused = false;

  constructor(transport: Duplex, engine: TlcpEngine) {
    super({ allowHalfOpen: false });
    this.transport = transport;
    this.engine = engine;
    engine.on('write', (bytes) => {
      if (!transport.destroyed && transport.writable) transport.write(bytes);
    });
    engine.on('data', (bytes) => {
      if (!this.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) && !this.transportPaused) {
        this.transportPaused = true;
        transport.pause();
      }
    });
    engine.on('handshake', (n) => {
      const queued = this.pendingWrites;
      this.pendingWrites = [];
      for (const w of queued) this.writeNow(w.chunk, w.cb);
      this.emit('secure', n);
    });
    engine.on('close', (cause) => this.onEngineClose(cause));
    transport.on('data', (chunk: Buffer) => engine.receive(chunk));
    transport.on('end', () => {
      engine.transportClosed();
      this.push(null);
    });
    transport.on('close', () => {
      if (!engine.closed) engine.transportClosed();
      if (!this.destroyed) {
        if (!engine.handshakeComplete && !this.errored) this.destroy(new Error('TLCP: transport closed before the handshake completed'));
        else this.push(null);
      }
    });
    transport.on('error', (err) => this.destroy(err));
    transport.on('timeout', () => this.emit('timeout'));
  }

  get negotiated(): Negotiated | null {
    return this.engine.negotiated;
  }
  get transcript(): TranscriptEntry[] {
    return this.engine.transcript;
  }
  get session(): TlcpSession | null {
    return this.engine.session;
  }
  get findings(): string[] {
    return this.engine.findings;
  }
  get closeCause(): CloseCause | null {
    return this.engine.closeCause;
  }

  // net.Socket look-alikes used by http
  get remoteAddress(): string | undefined {
    return (this.transport as Socket).remoteAddress;
  }
  get remotePort(): number | undefined {
    return (this.transport as Socket).remotePort;
  }
  get localAddress(): string | undefined {
    return (this.transport as Socket).localAddress;
  }
  get localPort(): number | undefined {
    return (this.transport as Socket).localPort;
  }
  get encrypted(): boolean {
    return true;
  }
  setTimeout(ms: number, cb?: () => void): this {
    (this.transport as Socket).setTimeout?.(ms);
    if (cb) this.once('timeout', cb);
    return this;
  }
  setNoDelay(noDelay?: boolean): this {
    (this.transport as Socket).setNoDelay?.(noDelay);
    return this;
  }
  setKeepAlive(enable?: boolean, delay?: number): this {
    (this.transport as Socket).setKeepAlive?.(enable, delay);
    return this;
  }
  ref(): this {
    (this.transport as Socket).ref?.();
    return this;
  }
  unref(): this {
    (this.transport as Socket).unref?.();
    return this;
  }
  address(): ReturnType<Socket['address']> | {} {
    return (this.transport as Socket).address?.() ?? {};
  }

  override _read(): void {
    if (this.transportPaused) {
      this.transportPaused = false;
      this.transport.resume();
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (!this.engine.handshakeComplete) {
      if (this.engine.closed) return cb(new Error('TLCP: connection closed'));
      this.pendingWrites.push({ chunk, cb });
      return;
    }
    this.writeNow(chunk, cb);
  }

  private writeNow(chunk: Buffer, cb: (e?: Error | null) => void): void {
    try {
      this.engine.write(chunk);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.engine.close();
    this.transport.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    for (const w of this.pendingWrites) w.cb(err ?? new Error('TLCP: socket destroyed'));
    this.pendingWrites = [];
    if (!this.transport.destroyed) this.transport.destroy();
    cb(err);
  }

  private onEngineClose(cause: CloseCause): void {
    if (cause.kind === 'close_notify') {
      this.push(null);
      this.transport.end();
      return;
    }
    if (cause.kind === 'local') return; // transport already ending
    if (cause.kind === 'plaintext_alert_after_ccs' && cause.error.description === 0 && this.engine.negotiated) {
      // GmSSL 3.1.1's unencrypted close_notify: a close, reported in findings, not a failure
      this.push(null);
      this.transport.end();
      return;
    }
    // A fatal alert either way: let the alert bytes flush, then fail the stream.
    this.transport.end();
    const err: TlcpAlertError = cause.error;
    if (!this.destroyed) this.destroy(err);
  }
}
