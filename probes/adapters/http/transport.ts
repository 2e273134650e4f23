import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

export interface RawResponse { status: number; headers: Record<string, string>; body: Buffer; ms: number }

export interface RawRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  /** cap on the response body: a target that answers with more is treated as misbehaving */
  maxBytes?: number;
  /** e.g. a TLCP connection; default plain TCP or TLS by URL scheme */
  createConnection?: () => Duplex;
}

/** One HTTP exchange with a hard deadline covering connect, headers and body. Rejects with a readable reason. */
export function sendRaw(req: RawRequest): Promise<RawResponse> {
  const started = performance.now();
  const maxBytes = req.maxBytes ?? 16 * 1024 * 1024;
  return new Promise((resolvePromise, reject) => {
    const mod = req.url.protocol === 'https:' ? https : http;
    const options: http.RequestOptions = {
      method: req.method,
      hostname: req.url.hostname,
      port: req.url.port,
      path: req.url.pathname + req.url.search,
      headers: { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
      agent: false,
    };
    if (req.createConnection) {
      // `agent: false` makes node create a fresh Agent, which dials with net.createConnection and ignores ours:
      // a request with its own connection factory must have no agent at all
      delete options.agent;
      (options as { createConnection?: unknown }).createConnection = req.createConnection;
    }
    const r = mod.request(options, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          r.destroy(new Error(`response body exceeds ${maxBytes} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolvePromise({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks), ms: performance.now() - started });
      });
      res.on('error', (e) => { clearTimeout(timer); reject(e); });
      res.on('aborted', () => { clearTimeout(timer); reject(new Error('response aborted by the target')); });
    });
    const timer = setTimeout(() => r.destroy(new Error(`no complete answer within ${req.timeoutMs} ms`)), req.timeoutMs);
    r.on('error', (e) => { clearTimeout(timer); reject(e); });
    if (req.body) r.write(req.body);
    r.end();
  });
}
