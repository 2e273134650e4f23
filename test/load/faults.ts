/**
 * The fault run (issue 11): `gmeval platform start --data DIR` is SIGKILLed at random moments while workers drive
 * key lifecycle operations (generate, encrypt, rotate, state transitions) and PKI operations (RA submit → approve →
 * issue, which includes the KM key application, then download and revocation). After each restart every
 * acknowledged operation must have persisted — an operation in flight at the kill may have happened or not, but
 * nothing in between — and the audit log must verify: the platform's /audit/verify, and the toolkit's own check
 * (checkpoint signature, Merkle root recomputed from the records, consistency proof from the state before the kill,
 * an audit record for every acknowledged key creation and certificate issuance).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sm2GenerateKeyPair } from '../../lib/gm/index.ts';
import { buildCsr } from '../../lib/ca/pkcs10.ts';
import { AdminClient, AppClient, b64, provision, startPlatformProcess, verifyAudit, type Answer, type AuditState, type PlatformProcess, type Provisioned } from './harness.ts';

export interface FaultOptions {
  kills: number;
  /** the platform runs this long (uniformly random in [min, max]) before each SIGKILL */
  minRunMs?: number;
  maxRunMs?: number;
  workers?: number;
  log?: (line: string) => void;
}

export interface FaultFigures {
  kills: number;
  killsSurvived: number;
  operationsAcknowledged: number;
  operationsInFlightAtKill: number;
  checksVerified: number;
  auditRecords: number;
  problems: string[];
  seconds: number;
}

type KeyState = string;
interface KeyLedger { owner: number; keyId: string; type: string; state: KeyState; primaryVersion: number; inFlight?: { state?: KeyState; rotate?: boolean } }
interface Sealed { keyId: string; plaintext: string; ciphertext: string }
interface RaLedger { owner: number; id: string; state: 'SUBMITTED' | 'APPROVED' | 'ISSUED' | 'DELIVERED'; signSerial?: string; encSerial?: string; revoked?: boolean; inFlight?: string }

const TRANSITIONS: Record<string, [KeyState[], KeyState]> = {
  suspend: [['ACTIVE'], 'SUSPENDED'], resume: [['SUSPENDED'], 'ACTIVE'], deactivate: [['ACTIVE', 'SUSPENDED'], 'DEACTIVATED'],
  revoke: [['ACTIVE', 'SUSPENDED', 'DEACTIVATED'], 'COMPROMISED'], archive: [['DEACTIVATED', 'COMPROMISED'], 'ARCHIVED'],
};
const RA_ORDER = ['SUBMITTED', 'APPROVED', 'ISSUED', 'DELIVERED'];

export async function runFaults(o: FaultOptions): Promise<FaultFigures> {
  const log = o.log ?? (() => {});
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-faults-'));
  const prov = await provision(dir);
  const keys = new Map<string, KeyLedger>();
  const sealed: Sealed[] = [];
  const requests = new Map<string, RaLedger>();
  const problems: string[] = [];
  let acknowledged = 0;
  let inFlightAtKill = 0;
  let checks = 0;
  let survived = 0;
  let audit: AuditState | undefined;
  let auditRecords = 0;
  let p: PlatformProcess | undefined;
  const minRun = o.minRunMs ?? 300;
  const maxRun = o.maxRunMs ?? 1500;

  try {
    for (let round = 0; round <= o.kills; round++) {
      p = await startPlatformProcess(dir);
      const s = await sessions(p.api, prov);
      // 1. after a restart: everything acknowledged so far is there
      if (round > 0) {
        const before = problems.length;
        checks += await verifyLedger(s, keys, sealed, requests, problems);
        const a = await verifyAudit(s.auditor, audit);
        problems.push(...a.problems.map((x) => `after kill ${round}: ${x}`));
        checks += 4;
        const entries = a.entries.join('\n');
        for (const k of keys.values()) { checks++; if (!entries.includes(`"id":"${k.keyId}"`)) problems.push(`after kill ${round}: no audit record for key ${k.keyId}`); }
        for (const r of requests.values()) if (r.signSerial) { checks++; if (!entries.includes(r.signSerial)) problems.push(`after kill ${round}: no CERT_ISSUE audit record for ${r.signSerial}`); }
        audit = a.state;
        auditRecords = a.state.size;
        if (problems.length === before) survived++;
        log(`kill ${round}/${o.kills}: restarted, ${keys.size} keys, ${sealed.length} ciphertexts, ${requests.size} RA requests, ${a.state.size} audit records verified${problems.length > before ? ` — ${problems.length - before} PROBLEM(S)` : ''}`);
      } else audit = (await verifyAudit(s.auditor)).state;
      if (round === o.kills) break;
      // 2. drive operations until a SIGKILL at a random moment
      let stop = false;
      const killAt = minRun + Math.random() * (maxRun - minRun);
      const killer = (async () => { await sleep(killAt); stop = true; await p!.kill('SIGKILL'); })();
      const workers = Array.from({ length: o.workers ?? 4 }, async (_, w) => {
        while (!stop) {
          const pending = await step(s, w, keys, sealed, requests);
          if (pending === 'acknowledged') acknowledged++;
          else if (pending === 'in-flight') { inFlightAtKill++; break; }
          // a refusal may have sent nothing: let the timers (the killer among them) run
          else await new Promise((r) => setImmediate(r));
        }
      });
      await Promise.all([killer, ...workers]);
      const exit = await p.exited;
      if (exit.signal !== 'SIGKILL') problems.push(`kill ${round + 1}: the platform ended with ${exit.code ?? exit.signal}, not SIGKILL`);
    }
  } finally {
    await p?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  return { kills: o.kills, killsSurvived: survived, operationsAcknowledged: acknowledged, operationsInFlightAtKill: inFlightAtKill, checksVerified: checks, auditRecords, problems, seconds: (performance.now() - started) / 1000 };
}

interface Sessions { app: AppClient; entry: AdminClient; review: AdminClient; issue: AdminClient; business: AdminClient; auditor: AdminClient }

async function sessions(api: string, prov: Provisioned): Promise<Sessions> {
  const a = prov.admins;
  const [entry, review, issue, business, auditor] = await Promise.all([a.entry, a.review, a.issue, a.business, a.auditor].map((x) => AdminClient.login(api, x)));
  return { app: new AppClient(api, prov.appA, undefined, 10_000), entry: entry!, review: review!, issue: issue!, business: business!, auditor: auditor! };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(a: T[]): T | undefined => a[Math.floor(Math.random() * a.length)];

/**
 * One operation of worker `w`. The ledger records the intent before the request (in flight) and the outcome on
 * the answer (acknowledged). A transport error means the platform died under the request: the intent stays
 * "in flight" — either outcome is acceptable at the next check.
 */
async function step(s: Sessions, w: number, keys: Map<string, KeyLedger>, sealed: Sealed[], requests: Map<string, RaLedger>): Promise<'acknowledged' | 'refused' | 'in-flight'> {
  const mine = [...keys.values()].filter((k) => k.owner === w && !k.inFlight);
  const ra = [...requests.values()].filter((r) => r.owner === w && !r.inFlight);
  const roll = Math.random();
  const send = async (c: AppClient | AdminClient, method: string, path: string, body?: unknown): Promise<Answer | 'died'> => {
    try { return await c.request(method, path, body); } catch { return 'died'; }
  };
  if (roll < 0.15 || mine.length < 2) {
    const type = Math.random() < 0.6 ? 'SM4' : 'SM2_SIGN';
    const r = await send(s.app, 'POST', '/keys', { type, name: `fault-${randomBytes(6).toString('hex')}` });
    if (r === 'died') return 'in-flight'; // an unacknowledged creation may exist: nothing is expected of it
    if (r.status !== 201) return 'refused';
    keys.set(String(r.json.keyId), { owner: w, keyId: String(r.json.keyId), type, state: String(r.json.state), primaryVersion: Number(r.json.primaryVersion) });
    return 'acknowledged';
  }
  if (roll < 0.35) {
    const k = pick(mine.filter((x) => x.type === 'SM4' && x.state === 'ACTIVE'));
    if (!k) return 'refused';
    const plaintext = b64(randomBytes(48));
    const r = await send(s.app, 'POST', '/crypto/sm4/encrypt', { keyId: k.keyId, plaintext });
    if (r === 'died') return 'in-flight';
    if (r.status !== 200) return 'refused';
    sealed.push({ keyId: k.keyId, plaintext, ciphertext: String(r.json.ciphertext) });
    return 'acknowledged';
  }
  if (roll < 0.5) {
    const k = pick(mine.filter((x) => x.state === 'ACTIVE'));
    if (!k) return 'refused';
    k.inFlight = { rotate: true };
    const r = await send(s.app, 'POST', `/keys/${k.keyId}/rotate`);
    if (r === 'died') return 'in-flight';
    delete k.inFlight;
    if (r.status !== 200) return 'refused';
    k.primaryVersion = Number(r.json.primaryVersion);
    return 'acknowledged';
  }
  if (roll < 0.62) {
    // keys that sealed data stay usable for decryption checks: transitions only on the others
    const k = pick(mine.filter((x) => !sealed.some((c) => c.keyId === x.keyId)));
    if (!k) return 'refused';
    const action = pick(Object.keys(TRANSITIONS).filter((a) => TRANSITIONS[a]![0].includes(k.state)));
    if (!action) return 'refused';
    k.inFlight = { state: TRANSITIONS[action]![1] };
    const r = await send(s.app, 'POST', `/keys/${k.keyId}/${action}`, { reason: 'fault test' });
    if (r === 'died') return 'in-flight';
    delete k.inFlight;
    if (r.status !== 200) return 'refused';
    k.state = String(r.json.state);
    return 'acknowledged';
  }
  // PKI: advance one RA request by one step, or start a new one, or revoke an issued certificate
  const r = pick(ra.filter((x) => x.state !== 'DELIVERED' || !x.revoked));
  if (!r || roll < 0.7) {
    const csr = Buffer.from(buildCsr(sm2GenerateKeyPair(), [['CN', 'fault']])).toString('base64');
    const a = await send(s.entry, 'POST', '/ra/requests', { subject: { C: 'CN', O: 'gmeval', CN: `fault-${randomBytes(4).toString('hex')}` }, csr });
    if (a === 'died') return 'in-flight';
    if (a.status !== 201) return 'refused';
    requests.set(String(a.json.requestId), { owner: w, id: String(a.json.requestId), state: 'SUBMITTED' });
    return 'acknowledged';
  }
  const next: Record<RaLedger['state'], [AdminClient, string, string, RaLedger['state']]> = {
    SUBMITTED: [s.review, 'POST', `/ra/requests/${r.id}/approve`, 'APPROVED'],
    APPROVED: [s.issue, 'POST', `/ra/requests/${r.id}/issue`, 'ISSUED'],
    ISSUED: [s.issue, 'GET', `/ra/requests/${r.id}/result`, 'DELIVERED'],
    DELIVERED: [s.business, 'POST', `/certificates/${r.signSerial}/revoke`, 'DELIVERED'],
  };
  const [client, method, path, to] = next[r.state];
  r.inFlight = r.state === 'DELIVERED' ? 'revoke' : to;
  const a = await send(client, method, path, method === 'POST' ? (r.state === 'DELIVERED' ? { reason: 'keyCompromise' } : {}) : undefined);
  if (a === 'died') return 'in-flight';
  delete r.inFlight;
  if (a.status !== 200) return 'refused';
  if (r.state === 'DELIVERED') r.revoked = true;
  else {
    r.state = to;
    if (to === 'ISSUED') { r.signSerial = String(a.json.signSerial); r.encSerial = String(a.json.encSerial); }
    if (to === 'DELIVERED' && !(String(a.json.encryptedPrivateKey ?? '').length > 0)) return 'refused';
  }
  return 'acknowledged';
}

/** Checks every ledger entry against the restarted platform; settles in-flight entries by what it finds. */
async function verifyLedger(s: Sessions, keys: Map<string, KeyLedger>, sealed: Sealed[], requests: Map<string, RaLedger>, problems: string[]): Promise<number> {
  let n = 0;
  const bad = (m: string) => problems.push(m);
  await Promise.all(chunks([...keys.values()], 8).map(async (list) => {
    for (const k of list) {
      n++;
      const r = await s.app.request('GET', `/keys/${k.keyId}`);
      if (r.status !== 200) { bad(`acknowledged key ${k.keyId} is gone (HTTP ${r.status})`); continue; }
      const state = String(r.json.state);
      const version = Number(r.json.primaryVersion);
      const states = [k.state, ...(k.inFlight?.state ? [k.inFlight.state] : [])];
      const versions = [k.primaryVersion, ...(k.inFlight?.rotate ? [k.primaryVersion + 1] : [])];
      if (!states.includes(state)) bad(`key ${k.keyId}: state ${state}, acknowledged ${states.join(' or ')}`);
      if (!versions.includes(version)) bad(`key ${k.keyId}: primary version ${version}, acknowledged ${versions.join(' or ')}`);
      k.state = state;
      k.primaryVersion = version;
      delete k.inFlight;
    }
  }));
  await Promise.all(chunks(sealed, 8).map(async (list) => {
    for (const c of list) {
      n++;
      const r = await s.app.request('POST', '/crypto/sm4/decrypt', { keyId: c.keyId, ciphertext: c.ciphertext });
      if (r.status !== 200 || r.json.plaintext !== c.plaintext) bad(`acknowledged ciphertext under ${c.keyId} no longer decrypts (HTTP ${r.status})`);
    }
  }));
  await Promise.all(chunks([...requests.values()], 4).map(async (list) => {
    for (const q of list) {
      n++;
      const r = await s.entry.request('GET', `/ra/requests/${q.id}`);
      if (r.status !== 200) { bad(`acknowledged RA request ${q.id} is gone (HTTP ${r.status})`); continue; }
      const state = String(r.json.state) as RaLedger['state'];
      const ok = [q.state, ...(q.inFlight && q.inFlight !== 'revoke' ? [q.inFlight] : [])];
      if (!ok.includes(state)) bad(`RA request ${q.id}: ${state}, acknowledged ${ok.join(' or ')}`);
      if (RA_ORDER.indexOf(state) >= 2 && !q.signSerial) { q.signSerial = String(r.json.signSerial); q.encSerial = String(r.json.encSerial); }
      q.state = state;
      if (q.signSerial) {
        for (const serial of [q.signSerial, q.encSerial!]) {
          n++;
          const c = await s.business.request('GET', `/certificates/${serial}`);
          if (c.status !== 200) { bad(`issued certificate ${serial} is gone (HTTP ${c.status})`); continue; }
          if (serial === q.signSerial) {
            const revoked = c.json.status === 'REVOKED';
            if (q.revoked && !revoked) bad(`acknowledged revocation of ${serial} is lost (${String(c.json.status)})`);
            if (!q.revoked && revoked && q.inFlight !== 'revoke') bad(`${serial} is revoked, but no revocation was ever sent`);
            if (revoked) q.revoked = true;
          }
        }
      }
      delete q.inFlight;
    }
  }));
  return n;
}

function chunks<T>(a: T[], n: number): T[][] {
  const out: T[][] = Array.from({ length: n }, () => []);
  a.forEach((x, i) => out[i % n]!.push(x));
  return out;
}

export function formatFaults(f: FaultFigures): string {
  return [
    `faults: ${f.killsSurvived}/${f.kills} SIGKILLs survived in ${f.seconds.toFixed(0)} s; ${f.operationsAcknowledged} operations acknowledged (${f.operationsInFlightAtKill} in flight at a kill); ${f.checksVerified} persistence checks verified; audit log of ${f.auditRecords} records verified after every restart`,
    ...f.problems.slice(0, 20).map((p) => `  PROBLEM: ${p}`),
  ].join('\n');
}
