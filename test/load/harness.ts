/**
 * Shared by the load and fault tests (test/load/*.test.ts) and their full-scale runs (bench/load.ts,
 * bench/faults.ts): the reference platform as its own process (`gmeval platform start --data DIR`, as in
 * production), provisioned beforehand with two applications and administrators; HMAC-SM3-signed application
 * requests and SM2 two-factor administrator sessions over keep-alive HTTP on loopback; the toolkit's own audit
 * verification over the API. Everything is bounded: per-request timeouts, start-up timeout, and every spawned
 * process is killed when the caller's process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hmacSm3, sm2PrivateKeyFromPem, sm2Sign, sm2Verify, sm3, SM2_DEFAULT_ID } from '../../lib/gm/index.ts';
import { verifyConsistency } from '../../steps/platform-support/rfc6962-verify.ts';
import { startPlatform, type ProvisionedAdmin } from '../../reference-platform/index.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;

// ----------------------------------------------------------------------------------------------------------------
// provisioning and the platform process

export interface Credential { appId: string; accessKey: string; secret: string }
export interface Provisioned {
  appA: Credential;
  appB: Credential;
  admins: Record<'entry' | 'review' | 'issue' | 'business' | 'auditor', ProvisionedAdmin>;
}

/**
 * Provisions a fresh data directory in-process (applications and administrators cannot be created from outside
 * without an administrator), then closes it; the CLI process started on the same directory serves them.
 */
export async function provision(dir: string): Promise<Provisioned> {
  const p = await startPlatform({ dataDir: dir, conformance: false, console: false });
  try {
    const app = (n: string): Credential => p.provisionApp(n);
    const ra = (n: string, d: ('ENTRY' | 'REVIEW' | 'ISSUE')[]) => { const a = p.provisionAdmin(n, ['operator']); p.assignRaDuties(n, d); return a; };
    return {
      appA: app('load-app-a'), appB: app('load-app-b'),
      admins: { entry: ra('ra-entry', ['ENTRY']), review: ra('ra-review', ['REVIEW']), issue: ra('ra-issue', ['ISSUE']), business: p.provisionAdmin('business', ['business_admin']), auditor: p.provisionAdmin('auditor', ['auditor']) },
    };
  } finally {
    await p.close();
  }
}

export interface PlatformProcess {
  child: ChildProcess;
  /** base URL of the API, http://127.0.0.1:PORT/api/v1 */
  api: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  stderrTail(): string;
}

const live = new Set<ChildProcess>();
process.once('exit', () => { for (const c of live) c.kill('SIGKILL'); });

/** `gmeval platform start --data DIR` on loopback; resolves when it prints its listening line. */
export async function startPlatformProcess(dir: string, o: { startTimeoutMs?: number } = {}): Promise<PlatformProcess> {
  const env = { ...process.env };
  delete env.CSP_CONFORMANCE_MODE;
  delete env.GMEVAL_CRASH_AT;
  // the software-integrity check (§6.5.5 a, tested elsewhere) would refuse a restart when files of this checkout
  // change between starts (development); durability is what is tested here
  env.GMEVAL_INTEGRITY ??= 'report';
  const child = spawn(process.execPath, [join(ROOT, 'bin/gmeval.js'), 'platform', 'start', '--data', dir, '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let tail = '';
  child.stderr!.on('data', (d: Buffer) => { tail = (tail + d.toString('utf8')).slice(-4000); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => { live.delete(child); r({ code, signal }); }));
  const line = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`platform did not start within ${o.startTimeoutMs ?? 60_000} ms: ${tail}`)); }, o.startTimeoutMs ?? 60_000);
    createInterface({ input: child.stdout! }).once('line', (l) => { clearTimeout(t); resolve(l); });
    void exited.then((e) => { clearTimeout(t); reject(new Error(`platform exited (${e.code ?? e.signal}) before listening: ${tail}`)); });
  });
  const info = JSON.parse(line) as { listening: { http: string } };
  if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(info.listening.http)) throw new Error(`not loopback: ${info.listening.http}`);
  return {
    child, api: info.listening.http, exited,
    async kill(signal = 'SIGKILL') { if (child.exitCode === null && child.signalCode === null) child.kill(signal); await exited; },
    stderrTail: () => tail,
  };
}

// ----------------------------------------------------------------------------------------------------------------
// clients

export interface Answer { status: number; json: Record<string, unknown>; ms: number }

export class HttpError extends Error {}

function send(agent: http.Agent, url: URL, method: string, headers: Record<string, string | number>, body: Buffer | undefined, timeoutMs: number): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const r = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> = {};
        try { json = text ? JSON.parse(text) : {}; } catch { json = { raw: text.slice(0, 200) }; }
        resolve({ status: res.statusCode ?? 0, json, ms: performance.now() - t0 });
      });
      res.on('error', (e) => reject(new HttpError(`${method} ${url.pathname}: ${e.message}`)));
    });
    const deadline = setTimeout(() => r.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    r.on('close', () => clearTimeout(deadline));
    r.on('timeout', () => r.destroy(new Error(`idle for ${timeoutMs} ms`)));
    r.on('error', (e) => reject(new HttpError(`${method} ${url.pathname}: ${e.message}`)));
    r.end(body);
  });
}

/** An application: every request signed with HMAC-SM3 (reference-platform-api.md §2). */
export class AppClient {
  constructor(readonly base: string, readonly cred: Pick<Credential, 'accessKey' | 'secret'>, readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 }), readonly timeoutMs = 15_000) {}

  request(method: string, path: string, body?: unknown): Promise<Answer> {
    const url = new URL(this.base + path);
    const raw = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
    const ts = new Date().toISOString();
    const nonce = randomBytes(16).toString('hex');
    const query = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const sig = hmacSm3(Buffer.from(this.cred.secret), Buffer.from(`${method}\n${url.pathname}\n${query}\n${ts}\n${nonce}\n${sm3(raw).toString('hex')}`, 'utf8')).toString('base64');
    const headers: Record<string, string | number> = { 'x-csp-accesskey': this.cred.accessKey, 'x-csp-timestamp': ts, 'x-csp-nonce': nonce, 'x-csp-signature': sig };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': raw.length });
    return send(this.agent, url, method, headers, body === undefined ? undefined : raw, this.timeoutMs);
  }
}

/** An administrator: password, then the SM2 challenge signed with the administrator's key. */
export class AdminClient {
  private constructor(readonly base: string, private readonly token: string, readonly agent: http.Agent, readonly timeoutMs: number) {}

  static async login(base: string, a: ProvisionedAdmin, agent = new http.Agent({ keepAlive: true }), timeoutMs = 15_000): Promise<AdminClient> {
    const post = (p: string, b: unknown) => { const raw = Buffer.from(JSON.stringify(b)); return send(agent, new URL(base + p), 'POST', { 'content-type': 'application/json', 'content-length': raw.length }, raw, timeoutMs); };
    const l = await post('/admin/login', { username: a.username, password: a.password });
    if (l.status !== 200) throw new HttpError(`login ${a.username}: HTTP ${l.status} ${JSON.stringify(l.json)}`);
    const sig = sm2Sign(sm2PrivateKeyFromPem(a.privateKeyPem).privateKey, Buffer.from(String(l.json.challenge), 'base64'), { id: SM2_DEFAULT_ID, format: 'der' });
    const s = await post('/admin/login/mfa', { mfaToken: l.json.mfaToken, signature: sig.toString('base64') });
    if (s.status !== 200) throw new HttpError(`login ${a.username} (second factor): HTTP ${s.status} ${JSON.stringify(s.json)}`);
    return new AdminClient(base, String(s.json.sessionToken), agent, timeoutMs);
  }

  request(method: string, path: string, body?: unknown): Promise<Answer> {
    const raw = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return send(this.agent, new URL(this.base + path), method, { authorization: `Bearer ${this.token}`, ...(raw ? { 'content-type': 'application/json', 'content-length': raw.length } : {}) }, raw, this.timeoutMs);
  }
}

// ----------------------------------------------------------------------------------------------------------------
// the toolkit's own audit verification, from the outside

export interface AuditState { size: number; rootHash: Buffer }

/** RFC 6962 Merkle tree hash over SM3 leaf hashes (MTH, §2.1), computed here from the records themselves. */
export function merkleRoot(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sm3(Buffer.alloc(0));
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sm3(Buffer.from([0x01]), merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k)));
}

/**
 * Verifies the audit log as an outside auditor would: the platform's own verdict (/audit/verify), the latest
 * checkpoint's SM2 signature with the audit public key, the Merkle root recomputed from every record, and — when a
 * previous state is given — a consistency proof (checked by steps/platform-support) that the log only grew.
 * Returns the new state, the records (seq → entry) and the problems found (empty = verified).
 */
export async function verifyAudit(auditor: AdminClient, previous?: AuditState): Promise<{ state: AuditState; entries: string[]; problems: string[] }> {
  const problems: string[] = [];
  const v = await auditor.request('POST', '/audit/verify', {});
  if (v.status !== 200 || v.json.status !== 'OK') problems.push(`/audit/verify: HTTP ${v.status} ${JSON.stringify(v.json).slice(0, 200)}`);
  const pub = Buffer.from(String((await auditor.request('GET', '/audit/public-key')).json.publicKey), 'base64');
  const cp = (await auditor.request('GET', '/audit/checkpoints/latest')).json as { size: number; rootHash: string; note: string; signature: string };
  const size = Number(cp.size);
  const rootHash = Buffer.from(cp.rootHash, 'base64');
  let sigOk = false;
  try { sigOk = sm2Verify(pub, Buffer.from(cp.note, 'utf8'), Buffer.from(cp.signature, 'base64'), { format: 'der' }); } catch { sigOk = false; }
  if (!sigOk) problems.push('the latest checkpoint signature does not verify with the audit public key');
  if (cp.note.split('\n')[1] !== String(size) || cp.note.split('\n')[2] !== cp.rootHash) problems.push('the signed checkpoint note does not carry the checkpoint size and root');
  const entries: string[] = [];
  for (let since = 0; since < size;) {
    const page = ((await auditor.request('GET', `/audit/records?sinceSeq=${since}&limit=1000`)).json.records ?? []) as { seq: number; entry: string }[];
    if (!page.length) break;
    for (const r of page) if (r.seq < size) entries[r.seq] = r.entry;
    since = page.at(-1)!.seq + 1;
  }
  if (entries.length < size || entries.some((e) => e === undefined)) problems.push(`only ${entries.filter(Boolean).length} of ${size} records could be read`);
  else if (!merkleRoot(entries.map((e) => sm3(Buffer.from([0x00]), Buffer.from(e, 'utf8')))).equals(rootHash)) problems.push(`the Merkle root recomputed from ${size} records differs from the signed checkpoint`);
  if (previous) {
    if (size < previous.size) problems.push(`the log shrank from ${previous.size} to ${size} records`);
    else {
      const c = await auditor.request('GET', `/audit/proofs/consistency?first=${previous.size}&second=${size}`);
      const path = ((c.json.path ?? []) as string[]).map((p) => Buffer.from(p, 'base64'));
      if (!verifyConsistency(sm3, previous.size, size, previous.rootHash, rootHash, path)) problems.push(`no valid consistency proof ${previous.size} → ${size}: acknowledged records were rewritten`);
    }
  }
  return { state: { size, rootHash }, entries, problems };
}

// ----------------------------------------------------------------------------------------------------------------
// figures

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : 0;
}

export const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
export const readCredentialFile = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as { accessKey: string; secret: string };
