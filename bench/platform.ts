/**
 * Throughput and latency of the reference platform through its authenticated API (HMAC-SM3 request
 * signing, keep-alive HTTP): SM4-CBC 4 KiB encryption (the versioned envelope, /crypto/sm4/encrypt) and
 * SM2 signing, at 1, 16 and 64 concurrent clients. The platform runs as its own process
 * (`gmeval platform start`), as in production, and so does the load generator (bench/platform-load.ts: one
 * keep-alive connection per client, every request HMAC-SM3-signed with a fresh nonce). Each line also gives the
 * CPU the platform and the generator used, so a figure can be read against the machine's two cores. Goal (issue 3): SM2 sign ≥ 1,500 req/s and SM4 ≥ 5,000 req/s
 * at 16 clients, p99 < 25 ms.
 *
 *   node --import tsx bench/platform.ts [--seconds N]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hmacSm3, sm3 } from '../lib/gm/index.ts';
import type { LoadResult, LoadSpec } from './platform-load.ts';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
// --only sm4|sm2 and --clients 16 narrow the run (profiling); default: both operations at 1, 16 and 64 clients
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const clientCounts = process.argv.includes('--clients') ? [Number(process.argv[process.argv.indexOf('--clients') + 1])] : [1, 16, 64];
const ROOT = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'gmeval-bench-'));
// BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the platform process alone
const serverNodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, [...serverNodeArgs, join(ROOT, 'bin/gmeval.js'), 'platform', 'start', '--data', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** CPU seconds (user + system) the platform process has used so far, from /proc (Linux). */
function serverCpuSeconds(): number {
  try {
    const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** One figure: the load generator runs as its own process (bench/platform-load.ts), so client and server do not share an event loop. */
async function run(name: string, clients: number, path: string, body: unknown, expectField: string): Promise<void> {
  const spec: LoadSpec = { host: base.hostname, port: Number(base.port), path: base.pathname + path, method: 'POST', body: JSON.stringify(body), accessKey: cred.accessKey, secret: cred.secret, clients, seconds, warmupSeconds: 0.5, expectField };
  const gen = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/platform-load.ts'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let cpu0 = NaN, cpu1 = NaN, t0 = 0, t1 = 0;
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: gen.stdout! }).on('line', (l) => {
      if (l === 'start') { cpu0 = serverCpuSeconds(); t0 = performance.now(); } else if (l === 'stop') { cpu1 = serverCpuSeconds(); t1 = performance.now(); } else resolve(l);
    });
    gen.on('exit', (c) => c && reject(new Error(`load generator exited ${c}`)));
  });
  const serverCpu = (cpu1 - cpu0) / ((t1 - t0) / 1000);
  const r = JSON.parse(line) as LoadResult;
  const rate = r.requests / r.elapsedS;
  const bad = r.errors || r.badBodies ? `  errors=${r.errors} bad-bodies=${r.badBodies}${r.sampleStatus ? ` (e.g. ${r.sampleStatus} ${r.sampleBody})` : ''}` : '  errors=0';
  console.log(`${name.padEnd(22)} clients=${String(clients).padStart(2)}  ${rate.toFixed(0).padStart(6)} req/s  p50=${r.p50.toFixed(2)} ms  p99=${r.p99.toFixed(2)} ms  platform ${serverCpu.toFixed(2)} cores (${((serverCpu / rate) * 1e6).toFixed(0)} µs CPU/req), load generator ${r.clientCpu.toFixed(2)} core${bad}`);
}

try {
  const sm4 = await request('POST', '/keys', { type: 'SM4', name: 'bench-sm4' });
  const sm2 = await request('POST', '/keys', { type: 'SM2_SIGN', name: 'bench-sm2' });
  const block = randomBytes(4096).toString('base64');
  const msg = randomBytes(64).toString('base64');
  // a first call of each kind checks the set-up before anything is timed
  for (const [path, body, field] of [['/crypto/sm4/encrypt', { keyId: sm4.json.keyId, plaintext: block }, 'ciphertext'], ['/crypto/sm2/sign', { keyId: sm2.json.keyId, data: msg }, 'signature']] as const) {
    const r = await request('POST', path, body);
    if (r.status !== 200 || r.json[field] === undefined) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.json)}`);
  }
  console.log(`gmeval reference platform, authenticated API (HMAC-SM3), ${seconds} s per point after 0.5 s warm-up, node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (only !== 'sm2') for (const c of clientCounts) await run('SM4-CBC 4 KiB encrypt', c, '/crypto/sm4/encrypt', { keyId: sm4.json.keyId, plaintext: block }, 'ciphertext');
  if (only !== 'sm4') for (const c of clientCounts) await run('SM2 sign', c, '/crypto/sm2/sign', { keyId: sm2.json.keyId, data: msg }, 'signature');
  console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  agent.destroy();
  child.kill('SIGTERM');
}
