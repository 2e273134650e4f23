import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { KeyObject } from 'node:crypto';

/**
 * Worker threads that carry out the soft devices' heavy primitives (SM2 signing, the SM4-CBC + HMAC-SM3
 * envelope) so that a busy platform uses every core while its event loop keeps serving HTTP. They are part
 * of the simulated device: keys reach them only as OpenSSL key objects or per-call subkeys, never through
 * storage or the network. The caller (SoftSdfDevice) still does every SDF check (fault, slot kind, state)
 * on the main thread first; a worker only computes.
 *
 * Workers start on first use and never keep the process alive (unref). The worker code is plain JavaScript
 * run with `eval`: worker threads do not inherit the tsx loader the platform registers at start-up, and the
 * few node:crypto calls below need none. Its outputs are exactly those of lib/gm (sm3.ts, sm4.ts,
 * sm2-openssl.ts); reference-platform tests compare both paths.
 */
const WORKER_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
const { createCipheriv, createHmac, createSign, randomBytes } = require('node:crypto');
const keys = new Map();
// an exact-size copy whose buffer can be transferred (a Buffer may view a shared pool that must not move)
function own(b) { const r = new Uint8Array(b.length); r.set(b); return r; }
function run(m) {
  if (m.op === 'forget') { keys.delete(m.keyRef); return undefined; }
  if (m.op === 'sign') {
    if (m.key) keys.set(m.keyRef, m.key);
    const key = keys.get(m.keyRef);
    if (!key) throw new Error('signing key not loaded in worker');
    return own(createSign('sm3').update(m.prefix).update(m.message).sign(key));
  }
  if (m.op === 'seal') {
    const iv = randomBytes(16);
    const c = createCipheriv('sm4-cbc', m.enc, iv);
    const ct = Buffer.concat([c.update(m.plaintext), c.final()]);
    const tag = createHmac('sm3', m.mac).update(m.header).update(iv).update(ct).update(m.aad).digest();
    return own(Buffer.concat([iv, ct, tag]));
  }
  throw new Error('unknown op ' + m.op);
}
// jobs arrive in batches (one message per event-loop turn of the platform) and their answers leave as one message
parentPort.on('message', (batch) => {
  const out = [];
  const transfer = [];
  for (const m of batch) {
    try {
      const r = run(m);
      if (m.id === undefined) continue;
      out.push({ id: m.id, ok: r });
      transfer.push(r.buffer);
    } catch (e) {
      if (m.id !== undefined) out.push({ id: m.id, err: String(e && e.message || e) });
    }
  }
  if (out.length) parentPort.postMessage(out, transfer);
});
`;

/** Structured cloning copies a view's whole ArrayBuffer (8 KiB for a pooled Buffer): send exact-size copies. */
function exact(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b);
}

type Pending = { resolve: (b: Buffer) => void; reject: (e: Error) => void };

interface Slot { worker: Worker; pending: Map<number, Pending>; keyRefs: Set<string>; queue: Record<string, unknown>[] }

export class CryptoWorkers {
  private slots: Slot[] = [];
  private nextId = 1;
  private rr = 0;
  private closed = false;

  constructor(private readonly size = Math.max(1, availableParallelism())) {}

  /** Jobs sent and not yet answered, over all workers. */
  get inFlight(): number {
    let n = 0;
    for (const s of this.slots) n += s.pending.size;
    return n;
  }

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      const slot: Slot = { worker, pending: new Map(), keyRefs: new Set(), queue: [] };
      worker.on('message', (answers: { id: number; ok?: Uint8Array; err?: string }[]) => {
        for (const m of answers) {
          const p = slot.pending.get(m.id);
          if (!p) continue;
          slot.pending.delete(m.id);
          if (m.err !== undefined || !m.ok) p.reject(new Error(m.err ?? 'no result'));
          else p.resolve(Buffer.from(m.ok.buffer, m.ok.byteOffset, m.ok.byteLength));
        }
      });
      worker.on('error', (e) => this.fail(slot, e));
      worker.on('exit', () => this.fail(slot, new Error('crypto worker exited')));
      this.slots.push(slot);
    }
  }

  private fail(slot: Slot, e: Error): void {
    for (const p of slot.pending.values()) p.reject(e);
    slot.pending.clear();
    slot.queue = [];
    this.slots = this.slots.filter((s) => s !== slot);
  }

  /** The least-loaded worker (ties: round robin). */
  private pick(): Slot {
    if (this.closed) throw new Error('crypto workers closed');
    if (!this.slots.length) this.start();
    let best = this.slots[this.rr++ % this.slots.length]!;
    for (const s of this.slots) if (s.pending.size < best.pending.size) best = s;
    return best;
  }

  private call(slot: Slot, msg: Record<string, unknown>): Promise<Buffer> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      this.enqueue(slot, { ...msg, id });
    });
  }

  /**
   * Jobs queued during one event-loop turn go to a worker as one message (setImmediate runs after the turn's I/O
   * callbacks): a busy platform pays the cross-thread hand-over once per turn, not once per request.
   */
  private flushScheduled = false;

  private enqueue(slot: Slot, job: Record<string, unknown>): void {
    slot.queue.push(job);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      for (const s of this.slots) {
        if (!s.queue.length) continue;
        const batch = s.queue;
        s.queue = [];
        s.worker.postMessage(batch);
      }
    });
  }

  /** DER SM2 signature over SM3(prefix‖message) with the key `keyRef` names (sent once per worker). */
  sign(keyRef: string, key: KeyObject, prefix: Uint8Array, message: Uint8Array): Promise<Buffer> {
    const slot = this.pick();
    const first = !slot.keyRefs.has(keyRef);
    slot.keyRefs.add(keyRef);
    return this.call(slot, { op: 'sign', keyRef, key: first ? key : undefined, prefix: exact(prefix), message: exact(message) });
  }

  /** iv ‖ SM4-CBC-PKCS7(enc, iv, plaintext) ‖ HMAC-SM3(mac, header ‖ iv ‖ ct ‖ aad), iv random. */
  seal(enc: Uint8Array, mac: Uint8Array, header: string, plaintext: Uint8Array, aad: Uint8Array): Promise<Buffer> {
    return this.call(this.pick(), { op: 'seal', enc: exact(enc), mac: exact(mac), header, plaintext: exact(plaintext), aad: exact(aad) });
  }

  /** Drops a signing key from every worker (slot destroyed or overwritten). */
  forget(keyRef: string): void {
    for (const s of this.slots) if (s.keyRefs.delete(keyRef)) this.enqueue(s, { op: 'forget', keyRef });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
