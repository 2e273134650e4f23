/**
 * The load run (issue 11): N concurrent application clients mixing every crypto service — SM3 hash, HMAC-SM3,
 * SM4-CBC and SM4-GCM encrypt/decrypt (raw), the SM4 envelope, SM2 sign/verify, random, key generation — for a
 * fixed time against a platform process on loopback. Every answer is checked (digests against lib/gm, round
 * trips, signatures verified locally too); every acknowledged key creation is read back afterwards and after a
 * SIGKILL + restart on the same data directory. Bounded by time, by request count and by per-request timeouts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sm2Verify, sm3 } from '../../lib/gm/index.ts';
import { AppClient, b64, percentile, provision, startPlatformProcess, type Answer } from './harness.ts';

export interface LoadOptions { clients: number; seconds: number; maxRequests?: number; log?: (line: string) => void }

export interface LoadFigures {
  clients: number;
  seconds: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  perOperation: Record<string, { requests: number; p50: number; p99: number }>;
  keysAcknowledged: number;
  keysReadBack: number;
  keysAfterRestart: number;
  lostWrites: number;
}

const OPS = ['hash', 'hmac', 'sm4-cbc', 'sm4-gcm', 'sm4-envelope', 'sm2-sign-verify', 'random', 'keygen'] as const;
type Op = (typeof OPS)[number];
const KEY_TYPES = ['SM4', 'HMAC_SM3', 'SM2_SIGN', 'SM2_ENC'] as const;

export async function runLoad(o: LoadOptions): Promise<LoadFigures> {
  const log = o.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-load-'));
  const prov = await provision(dir);
  let p = await startPlatformProcess(dir);
  try {
    const app = new AppClient(p.api, prov.appA);
    const must = async (a: Promise<Answer>, what: string) => { const r = await a; if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.json)}`); return r.json; };
    const sm4 = String((await must(app.request('POST', '/keys', { type: 'SM4', name: 'load-sm4' }), 'SM4 key')).keyId);
    const mac = String((await must(app.request('POST', '/keys', { type: 'HMAC_SM3', name: 'load-hmac' }), 'HMAC key')).keyId);
    const sign = String((await must(app.request('POST', '/keys', { type: 'SM2_SIGN', name: 'load-sm2' }), 'SM2 key')).keyId);
    const signPub = Buffer.from(String((await must(app.request('GET', `/keys/${sign}/public-key`), 'public key')).publicKey), 'base64');
    const fixed = Buffer.from('gmeval load: fixed HMAC input');
    const fixedMac = String((await must(app.request('POST', '/crypto/hmac', { keyId: mac, data: b64(fixed) }), 'HMAC')).mac);
    log(`platform ${p.api}, ${o.clients} clients × ${o.seconds} s, data ${dir}`);

    const latencies: number[] = [];
    const perOp = new Map<string, number[]>();
    const errorSamples: string[] = [];
    let errors = 0;
    let requests = 0;
    const acknowledged: { keyId: string; type: string }[] = [];
    const cap = o.maxRequests ?? Number.MAX_SAFE_INTEGER;
    const until = performance.now() + o.seconds * 1000;
    const t0 = performance.now();
    let serial = 0;

    /** One request, timed and counted; a transport failure counts as an error and yields undefined. */
    const call = async (op: string, method: string, path: string, body?: unknown): Promise<Answer | undefined> => {
      requests++;
      try {
        const r = await app.request(method, path, body);
        latencies.push(r.ms);
        let l = perOp.get(op);
        if (!l) perOp.set(op, (l = []));
        l.push(r.ms);
        if (r.status >= 300) fail(op, `HTTP ${r.status} ${JSON.stringify(r.json).slice(0, 160)}`);
        return r.status < 300 ? r : undefined;
      } catch (e) {
        fail(op, (e as Error).message);
        return undefined;
      }
    };
    const fail = (op: string, why: string) => { errors++; if (errorSamples.length < 8) errorSamples.push(`${op}: ${why}`); };
    const check = (op: string, ok: boolean, why: string) => { if (!ok) fail(op, why); };

    const run: Record<Op, () => Promise<void>> = {
      async hash() {
        const data = randomBytes(1 + Math.floor(Math.random() * 1024));
        const r = await call('hash', 'POST', '/crypto/hash', { data: b64(data) });
        if (r) check('hash', r.json.digest === b64(sm3(data)), 'digest differs from lib/gm SM3');
      },
      async hmac() {
        const same = Math.random() < 0.25;
        const data = same ? fixed : randomBytes(64);
        const r = await call('hmac', 'POST', '/crypto/hmac', { keyId: mac, data: b64(data) });
        if (r) check('hmac', same ? r.json.mac === fixedMac : Buffer.from(String(r.json.mac), 'base64').length === 32, 'HMAC-SM3 is not deterministic / not 32 bytes');
      },
      async 'sm4-cbc'() {
        const data = randomBytes(16 * (1 + Math.floor(Math.random() * 16)));
        const iv = randomBytes(16);
        const e = await call('sm4-cbc', 'POST', '/crypto/sm4/raw/encrypt', { keyId: sm4, mode: 'CBC', iv: b64(iv), data: b64(data) });
        if (!e) return;
        const d = await call('sm4-cbc', 'POST', '/crypto/sm4/raw/decrypt', { keyId: sm4, mode: 'CBC', iv: b64(iv), data: e.json.ciphertext });
        if (d) check('sm4-cbc', d.json.plaintext === b64(data), 'CBC round trip differs');
      },
      async 'sm4-gcm'() {
        const data = randomBytes(1 + Math.floor(Math.random() * 512));
        const iv = randomBytes(12);
        const aad = randomBytes(20);
        const e = await call('sm4-gcm', 'POST', '/crypto/sm4/raw/encrypt', { keyId: sm4, mode: 'GCM', iv: b64(iv), data: b64(data), aad: b64(aad) });
        if (!e) return;
        const d = await call('sm4-gcm', 'POST', '/crypto/sm4/raw/decrypt', { keyId: sm4, mode: 'GCM', iv: b64(iv), data: e.json.ciphertext, aad: b64(aad), tag: e.json.tag });
        if (d) check('sm4-gcm', d.json.plaintext === b64(data), 'GCM round trip differs');
      },
      async 'sm4-envelope'() {
        const data = randomBytes(1 + Math.floor(Math.random() * 4096));
        const e = await call('sm4-envelope', 'POST', '/crypto/sm4/encrypt', { keyId: sm4, plaintext: b64(data) });
        if (!e) return;
        const d = await call('sm4-envelope', 'POST', '/crypto/sm4/decrypt', { keyId: sm4, ciphertext: e.json.ciphertext });
        if (d) check('sm4-envelope', d.json.plaintext === b64(data), 'envelope round trip differs');
      },
      async 'sm2-sign-verify'() {
        const data = randomBytes(64);
        const s = await call('sm2-sign-verify', 'POST', '/crypto/sm2/sign', { keyId: sign, data: b64(data) });
        if (!s) return;
        const sig = Buffer.from(String(s.json.signature), 'base64');
        check('sm2-sign-verify', sm2Verify(signPub, data, sig, { format: 'der' }), 'signature does not verify with lib/gm');
        const v = await call('sm2-sign-verify', 'POST', '/crypto/sm2/verify', { keyId: sign, data: b64(data), signature: s.json.signature });
        if (v) check('sm2-sign-verify', v.json.valid === true, 'the platform does not verify its own signature');
      },
      async random() {
        const n = 1 + Math.floor(Math.random() * 256);
        const r = await call('random', 'POST', '/crypto/random', { length: n });
        if (r) check('random', Buffer.from(String(r.json.random), 'base64').length === n, 'wrong random length');
      },
      async keygen() {
        const type = KEY_TYPES[serial % KEY_TYPES.length]!;
        const r = await call('keygen', 'POST', '/keys', { type, name: `load-${serial++}` });
        if (!r) return;
        if (typeof r.json.keyId === 'string') acknowledged.push({ keyId: r.json.keyId, type });
        else fail('keygen', 'acknowledged without a keyId');
      },
    };

    await Promise.all(Array.from({ length: o.clients }, async (_, c) => {
      for (let i = c; performance.now() < until && requests < cap; i++) await run[OPS[i % OPS.length]!]();
    }));
    const elapsed = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    log(`${requests} requests in ${elapsed.toFixed(1)} s, ${errors} errors; ${acknowledged.length} keys acknowledged`);

    // no lost writes: every acknowledged key is listed and readable, now and after a SIGKILL + restart
    const readBack = async (client: AppClient): Promise<number> => {
      const list = await client.request('GET', '/keys');
      const listed = new Set(((list.json.keys ?? []) as { keyId: string }[]).map((k) => k.keyId));
      let ok = 0;
      const sample = acknowledged.filter((_, i) => acknowledged.length <= 400 || i % Math.ceil(acknowledged.length / 400) === 0);
      const direct = new Set<string>();
      await Promise.all(Array.from({ length: 8 }, async (_, w) => {
        for (let i = w; i < sample.length; i += 8) {
          const r = await client.request('GET', `/keys/${sample[i]!.keyId}`);
          if (r.status === 200 && r.json.type === sample[i]!.type) direct.add(sample[i]!.keyId);
        }
      }));
      for (const k of acknowledged) if (listed.has(k.keyId) && (!sample.includes(k) || direct.has(k.keyId))) ok++;
      return ok;
    };
    const keysReadBack = await readBack(app);
    await p.kill('SIGKILL');
    p = await startPlatformProcess(dir);
    const keysAfterRestart = await readBack(new AppClient(p.api, prov.appA));
    log(`read back: ${keysReadBack}/${acknowledged.length} before, ${keysAfterRestart}/${acknowledged.length} after SIGKILL + restart`);
    const perOperation: LoadFigures['perOperation'] = {};
    for (const [op, l] of perOp) { l.sort((a, b) => a - b); perOperation[op] = { requests: l.length, p50: percentile(l, 0.5), p99: percentile(l, 0.99) }; }
    return {
      clients: o.clients, seconds: elapsed, requests, errors, errorSamples, throughput: requests / elapsed,
      p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? 0, perOperation,
      keysAcknowledged: acknowledged.length, keysReadBack, keysAfterRestart, lostWrites: acknowledged.length - Math.min(keysReadBack, keysAfterRestart),
    };
  } finally {
    await p.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatLoad(f: LoadFigures): string {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return [
    `load: ${f.clients} clients × ${f.seconds.toFixed(1)} s — ${f.requests} requests (${f.throughput.toFixed(0)} req/s), ${f.errors} errors, p50 ${ms(f.p50)}, p99 ${ms(f.p99)}, max ${ms(f.max)}`,
    ...Object.entries(f.perOperation).map(([op, v]) => `  ${op.padEnd(16)} ${String(v.requests).padStart(7)} requests  p50 ${ms(v.p50).padStart(9)}  p99 ${ms(v.p99).padStart(9)}`),
    `writes: ${f.keysAcknowledged} key creations acknowledged; read back ${f.keysReadBack}, after SIGKILL + restart ${f.keysAfterRestart}; lost ${f.lostWrites}`,
    ...f.errorSamples.map((e) => `  error: ${e}`),
  ].join('\n');
}
