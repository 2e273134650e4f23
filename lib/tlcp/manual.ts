/**
 * A step-by-step TLCP client for conformance probing: the real client engine plus hooks to tamper with what it
 * sends, raw record injection, and an event queue to read what the server did (alert, data, close, silence).
 */
import type { Duplex } from 'node:stream';
import { alertName } from './constants.ts';
import { TlcpEngine, type CloseCause, type EngineOptions, type Negotiated } from './engine.ts';

export type ManualEvent =
  | { kind: 'handshake'; negotiated: Negotiated }
  | { kind: 'alert'; level: number; description: number; name: string }
  | { kind: 'data'; bytes: Uint8Array }
  | { kind: 'engine_closed'; cause: CloseCause }
  | { kind: 'transport_closed' }
  | { kind: 'timeout' };


export class ManualTlcpClient {
  readonly engine: TlcpEngine;
  readonly transport: Duplex;
  readonly events: ManualEvent[] = [];
  private waiters: (() => void)[] = [];
  transportClosed = false;

  private constructor(transport: Duplex, engine: TlcpEngine) {
    this.transport = transport;
    this.engine = engine;
    engine.on('write', (b) => {
      if (!transport.destroyed && transport.writable) transport.write(b);
    });
    engine.on('handshake', (n) => this.push({ kind: 'handshake', negotiated: n }));
    engine.on('alert', (a) => this.push({ kind: 'alert', ...a }));
    engine.on('data', (bytes) => this.push({ kind: 'data', bytes }));
    engine.on('close', (cause) => this.push({ kind: 'engine_closed', cause }));
    transport.on('data', (c: Buffer) => engine.receive(c));
    const closed = () => {
      if (this.transportClosed) return;
      this.transportClosed = true;
      engine.transportClosed();
      this.push({ kind: 'transport_closed' });
    };
    transport.on('end', closed);
    transport.on('close', closed);
    transport.on('error', closed);
  }

  /** Wraps a connected transport (the probe dials it: probes/tlcp/dial.ts). */
  static over(transport: Duplex, opts: Omit<EngineOptions, 'role'>): ManualTlcpClient {
    return new ManualTlcpClient(transport, new TlcpEngine({ ...opts, role: 'client' }));
  }

  private push(e: ManualEvent): void {
    this.events.push(e);
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Sends the ClientHello; the engine then answers the server by itself (hooks apply). */
  start(): void {
    this.engine.start();
  }

  /** Waits for the first event matching `pred` (checking the events seen so far first). */
  async waitFor(pred: (e: ManualEvent) => boolean, timeoutMs = 5000, fromIndex = 0): Promise<ManualEvent> {
    const deadline = Date.now() + timeoutMs;
    let seen = fromIndex;
    for (;;) {
      for (; seen < this.events.length; seen++) if (pred(this.events[seen]!)) return this.events[seen]!;
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'timeout' };
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  /** Runs the handshake; resolves with the handshake event or whatever ended it. */
  async handshake(timeoutMs = 10000): Promise<ManualEvent> {
    if (this.events.length === 0 && !this.engine.handshakeComplete) this.start();
    return this.waitFor((e) => e.kind === 'handshake' || e.kind === 'engine_closed' || e.kind === 'transport_closed', timeoutMs);
  }

  /**
   * What the server did in answer to the last thing sent: its alert (if any), whether the connection closed,
   * or silence until the timeout.
   */
  async outcome(timeoutMs = 3000, fromIndex?: number): Promise<{ alert: { level: number; description: number; name: string } | null; closed: boolean; timedOut: boolean }> {
    const start = fromIndex ?? this.events.length;
    const end = await this.waitFor((e) => e.kind === 'transport_closed' || (e.kind === 'engine_closed' && e.cause.kind !== 'alert_sent'), timeoutMs, start);
    const alertEv = this.events.slice(start).find((e) => e.kind === 'alert') as Extract<ManualEvent, { kind: 'alert' }> | undefined;
    return { alert: alertEv ? { level: alertEv.level, description: alertEv.description, name: alertName(alertEv.description) } : null, closed: end.kind !== 'timeout', timedOut: end.kind === 'timeout' };
  }

  sendRecord(type: number, payload: Uint8Array, protect = true, version?: number): void {
    this.engine.sendRawRecord(type, payload, protect, version);
  }

  sendBytes(bytes: Uint8Array): void {
    this.engine.sendRawBytes(bytes);
  }

  /** Half-closes the transport (after a truncated record, for example). */
  endTransport(): void {
    this.transport.end();
  }

  destroy(): void {
    this.transport.destroy();
  }
}
