/**
 * The network transport: a device endpoint speaking GM/T 0018 calls as newline-delimited JSON over TCP
 * (`sdf://host:port/<device>`, protocol in docs/sdf.md). Parameters are encoded from the same function table as
 * the native binding, so structures cross the wire in their exact C layout.
 */
import { connect, type Socket } from 'node:net';
import type { Edition } from './constants.ts';
import { functionTable, SdfLoadError, SdfNotOfferedError, SdfTransportError, type Param, type SdfArgs, type SdfCallResult, type SdfTransport } from './spec.ts';

/** No SDF answer line comes near this; a peer that sends more without a newline is flooding. */
const MAX_LINE_CHARS = 8 << 20;

interface Pending { resolve: (v: { rv?: number; out?: Record<string, unknown>; error?: { code: string; message: string } }) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

export function parseSdfUrl(url: string): { host: string; port: number; device: string } {
  const m = /^sdf:\/\/(\[[^\]]+\]|[^:/]+):(\d+)(?:\/([^/?#]*))?\/?$/.exec(url.trim());
  if (!m) throw new SdfLoadError(`${url}: not an SDF endpoint URL (expected sdf://HOST:PORT[/DEVICE])`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new SdfLoadError(`${url}: port ${port} out of range`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port, device: decodeURIComponent(m[3] || '0') };
}

export class EndpointSdf implements SdfTransport {
  readonly kind = 'endpoint' as const;
  readonly edition: Edition = '2023';
  readonly description: string;
  private readonly table = functionTable('2023');
  private readonly pending = new Map<number, Pending>();
  private readonly notOffered = new Set<string>();
  private nextId = 1;
  private buf = '';
  /** why the connection can no longer be trusted (closed, timed out, flooded, garbage): later calls fail at once */
  private broken?: string;

  private constructor(private readonly sock: Socket, readonly url: string, private readonly device: string, private readonly timeoutMs: number) {
    this.description = `${url} (GM/T 0018-2023 over the gmeval SDF endpoint protocol)`;
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => this.onData(chunk));
    sock.on('error', (e) => this.fail(e.message));
    sock.on('close', () => this.fail('connection closed'));
  }

  /** Marks the transport unusable and rejects every call in flight with the reason. */
  private fail(reason: string): void {
    this.broken ??= reason;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new SdfTransportError(`${this.url}: ${reason}`));
    }
    this.pending.clear();
  }

  static async open(url: string, timeoutMs = 10_000): Promise<EndpointSdf> {
    const { host, port, device } = parseSdfUrl(url);
    const sock = await new Promise<Socket>((res, rej) => {
      const s = connect({ host, port });
      const t = setTimeout(() => { s.destroy(); rej(new SdfLoadError(`${url}: no connection within ${timeoutMs} ms`)); }, timeoutMs);
      s.once('connect', () => { clearTimeout(t); res(s); });
      s.once('error', (e) => { clearTimeout(t); rej(new SdfLoadError(`${url}: cannot connect: ${e.message}`)); });
    });
    return new EndpointSdf(sock, url, device, timeoutMs);
  }

  has(fn: string): boolean {
    return fn in this.table && !this.notOffered.has(fn);
  }

  async call(fn: string, args: SdfArgs): Promise<SdfCallResult> {
    const params = this.table[fn];
    if (!params) throw new SdfNotOfferedError(fn, 'not in the function table');
    if (this.notOffered.has(fn)) throw new SdfNotOfferedError(fn, `not offered by ${this.url}`);
    const wire: Record<string, unknown> = {};
    for (const [name, kind] of params) {
      const v = args[name];
      if (kind === 'hOut' || kind === 'cipher' || kind === 'outv' || kind.startsWith('out:') || kind.startsWith('len:')) continue;
      if (kind.startsWith('lenout:')) {
        if (typeof v === 'number') wire[name] = v;
        continue;
      }
      wire[name] = Buffer.isBuffer(v) ? v.toString('hex') : v ?? null;
    }
    if (fn === 'SDF_OpenDevice') wire.device = this.device;
    if (this.broken) throw new SdfTransportError(`${this.url}: ${fn} not sent: the connection is unusable (${this.broken})`);
    const id = this.nextId++;
    const reply = await new Promise<{ rv?: number; out?: Record<string, unknown>; error?: { code: string; message: string } }>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // a late answer would be out of step with the next call: nothing more is sent on this connection
        this.broken ??= `${fn} got no answer within ${this.timeoutMs} ms`;
        this.sock.destroy();
        reject(new SdfTransportError(`${this.url}: ${fn} got no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.sock.write(JSON.stringify({ id, fn, args: wire }) + '\n');
    });
    if (reply.error) {
      if (reply.error.code === 'not-offered') {
        this.notOffered.add(fn);
        throw new SdfNotOfferedError(fn, reply.error.message);
      }
      throw new SdfTransportError(`${this.url}: ${fn}: ${reply.error.code}: ${reply.error.message}`);
    }
    if (typeof reply.rv !== 'number') throw new SdfTransportError(`${this.url}: ${fn}: answer without a return value`);
    return { rv: reply.rv >>> 0, out: reply.rv === 0 ? decodeOut(params, reply.out ?? {}) : {} };
  }

  private onData(chunk: string): void {
    if (this.broken) return;
    this.buf += chunk;
    // complete lines are consumed below, so only the new chunk can hold a line end
    if (this.buf.length > MAX_LINE_CHARS && chunk.indexOf('\n') < 0) {
      this.buf = '';
      this.fail(`an answer exceeds ${MAX_LINE_CHARS} characters without a line end`);
      this.sock.destroy();
      return;
    }
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      let msg: { id?: number; rv?: number; out?: Record<string, unknown>; error?: { code: string; message: string } };
      try {
        msg = JSON.parse(line);
      } catch {
        if (!line.trim()) continue;
        this.buf = '';
        this.fail(`the endpoint answered something that is not a JSON line: ${JSON.stringify(line.slice(0, 60))}`);
        this.sock.destroy();
        return;
      }
      if (!msg || typeof msg !== 'object') {
        this.fail(`the endpoint answered a JSON line that is not an object: ${JSON.stringify(line.slice(0, 60))}`);
        this.sock.destroy();
        return;
      }
      const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
      if (!p) continue;
      clearTimeout(p.timer);
      this.pending.delete(msg.id!);
      p.resolve(msg);
    }
  }

  async close(): Promise<void> {
    this.sock.end();
    this.sock.destroy();
  }
}

function decodeOut(params: readonly Param[], out: Record<string, unknown>): SdfCallResult['out'] {
  const r: SdfCallResult['out'] = {};
  for (const [name, kind] of params) {
    const v = out[name];
    if (v === undefined || v === null) continue;
    if (kind === 'hOut') r[name] = String(v);
    else if (kind.startsWith('lenout:')) r[name] = Number(v);
    else if (typeof v === 'string' && /^(?:[0-9a-f]{2})*$/i.test(v)) r[name] = Buffer.from(v, 'hex');
  }
  return r;
}
