/**
 * Throughput and latency of the reference platform through its authenticated API (HMAC-SM3 request
 * signing, keep-alive HTTP): SM4-CBC 4 KiB encryption (the versioned envelope, /crypto/sm4/encrypt) and
 * SM2 signing, at 1, 16 and 64 concurrent clients. The platform runs as its own process
 * (`gmeval platform start`), as in production. Goal (issue 3): SM2 sign ≥ 1,500 req/s and SM4 ≥ 5,000 req/s
 * at 16 clients, p99 < 25 ms.
 *
 *   node --import tsx bench/platform.ts [--seconds N]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hmacSm3, sm3 } from '../lib/gm/index.ts';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
const ROOT = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gmeval-bench-'));
const child = spawn(process.execPath, [join(ROOT, 'bin/gmeval.js'), 'platform', 'start', '--data', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
const first = await new Promise<string>((r) => createInterface({ input: child.stdout! }).once('line', r));
const info = JSON.parse(first) as { listening: { http: string }; credentialFile: string };
const cred = JSON.parse(readFileSync(info.credentialFile, 'utf8')) as { accessKey: string; secret: string };
const base = new URL(info.listening.http);
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });

function request(method: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const raw = Buffer.from(JSON.stringify(body));
  const ts = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const nonce = randomBytes(16).toString('hex');
  const fullPath = base.pathname + path;
  const sig = hmacSm3(Buffer.from(cred.secret), Buffer.from(`${method}\n${fullPath}\n\n${ts}\n${nonce}\n${sm3(raw).toString('hex')}`)).toString('base64');
  return new Promise((resolve, reject) => {
    const r = http.request({ host: base.hostname, port: base.port, path: fullPath, method, agent, headers: {
      'content-type': 'application/json', 'content-length': raw.length, 'x-csp-accesskey': cred.accessKey, 'x-csp-timestamp': ts, 'x-csp-nonce': nonce, 'x-csp-signature': sig,
    } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
    });
    r.on('error', reject);
    r.end(raw);
  });
}

async function run(name: string, clients: number, call: () => Promise<{ status: number }>): Promise<void> {
  const lat: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (performance.now() < until) {
      const s = performance.now();
      const r = await call();
      lat.push(performance.now() - s);
      if (r.status !== 200) errors++;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(2);
  console.log(`${name.padEnd(22)} clients=${String(clients).padStart(2)}  ${(lat.length / elapsed).toFixed(0).padStart(6)} req/s  p50=${q(0.5)} ms  p99=${q(0.99)} ms  errors=${errors}`);
}

try {
  const sm4 = await request('POST', '/keys', { type: 'SM4', name: 'bench-sm4' });
  const sm2 = await request('POST', '/keys', { type: 'SM2_SIGN', name: 'bench-sm2' });
  const block = randomBytes(4096).toString('base64');
  const msg = randomBytes(64).toString('base64');
  console.log(`gmeval reference platform, authenticated API (HMAC-SM3), ${seconds} s per point, node ${process.version}`);
  for (const c of [1, 16, 64]) await run('SM4-CBC 4 KiB encrypt', c, () => request('POST', '/crypto/sm4/encrypt', { keyId: sm4.json.keyId, plaintext: block }));
  for (const c of [1, 16, 64]) await run('SM2 sign', c, () => request('POST', '/crypto/sm2/sign', { keyId: sm2.json.keyId, data: msg }));
} finally {
  agent.destroy();
  child.kill('SIGTERM');
}
