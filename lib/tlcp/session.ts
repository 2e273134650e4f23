import { toHex } from './bytes.ts';

/** What a full handshake leaves behind for resumption by session ID. */
export interface TlcpSession {
  id: Uint8Array;
  masterSecret: Uint8Array;
  suite: number;
  peerCertificates: Uint8Array[];
  createdAt: number;
}

/** Server-side session cache: bounded, with a lifetime; oldest entries go first. */
export class TlcpSessionCache {
  private readonly map = new Map<string, TlcpSession>();
  constructor(readonly maxEntries = 1000, readonly lifetimeMs = 2 * 3600 * 1000) {}

  get(id: Uint8Array, now = Date.now()): TlcpSession | undefined {
    const key = toHex(id);
    const s = this.map.get(key);
    if (!s) return undefined;
    if (now - s.createdAt > this.lifetimeMs) {
      this.map.delete(key);
      return undefined;
    }
    return s;
  }

  set(session: TlcpSession): void {
    if (session.id.length === 0) return;
    const key = toHex(session.id);
    this.map.delete(key);
    this.map.set(key, session);
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value as string);
  }

  delete(id: Uint8Array): void {
    this.map.delete(toHex(id));
  }

  get size(): number {
    return this.map.size;
  }
}
