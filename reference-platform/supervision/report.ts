import { randomBytes, randomUUID } from 'node:crypto';
import { hmacSm3, sm2Encrypt, sm2Kdf, sm2Sign, sm2ValidatePublicKey, sm3, sm4Cbc } from '../../lib/gm/index.ts';
import { canonicalJson } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { Defects } from '../defects/registry.ts';
import type { Metrics } from '../monitor/metrics.ts';
import type { ResourcePool } from '../pool/pool.ts';
import type { Db } from '../store/db.ts';
import type { MasterKey } from '../store/master-key.ts';
import { platformSm2Key } from '../store/platform-key.ts';
import { ApiError } from '../api/errors.ts';

export const SUPERVISION_SCHEMA_VERSION = '1.0';
const SIGNING_KEY = 'supervision-signing-key';
const ENVELOPE_LABEL = 'gmeval supervision envelope v1';

/** Which algorithm an interface exercises, for the algorithm-usage statistics (§9.5 a). */
const ALGORITHM_OF: [RegExp, string][] = [
  [/ \/api\/v1\/crypto\/hash$/, 'SM3'],
  [/ \/api\/v1\/crypto\/hmac/, 'HMAC-SM3'],
  [/ \/api\/v1\/crypto\/sm4\//, 'SM4'],
  [/ \/api\/v1\/crypto\/sm2\//, 'SM2'],
  [/ \/api\/v1\/crypto\/random$/, 'RNG (GM/T 0005)'],
];

export interface SupervisionReport {
  reportId: string;
  /** canonical JSON of the report body: exactly the bytes signed */
  report: string;
  signatureAlgorithm: string;
  signature: string;
  publicKey: string;
  /** present when a recipient (the supervision platform's SM2 key) was given */
  envelope?: { algorithm: string; encryptedKey: string; iv: string; ciphertext: string; mac: string };
}

/**
 * The supervision data interface (T/TCGIA 0003-2023 §6.5.10, §9.5 c/e): request volumes per interface and
 * application, a per-minute trend, anomalies (refusals per interface, devices out of service, load spikes) and
 * algorithm usage, as canonical JSON with a `schemaVersion`, signed with the platform's SM2 supervision key.
 * For transmission to a supervision platform the signed report is sealed in a digital envelope to that
 * platform's SM2 public key: a fresh key SM2-encrypted (GM/T 0009), SM4-CBC for confidentiality and HMAC-SM3
 * for integrity (subkeys by the SM3 KDF) — so only the recipient reads it and any change is detected (§6.5.10 b).
 */
export class Supervision {
  private readonly key: { privateKey: Buffer; publicKey: Buffer };

  constructor(private readonly db: Db, master: MasterKey, private readonly metrics: Metrics, private readonly pool: ResourcePool, private readonly clock: Clock, private readonly defects: Defects) {
    this.key = platformSm2Key(db, master, SIGNING_KEY);
  }

  publicKey(): Buffer {
    return Buffer.from(this.key.publicKey);
  }

  create(recipientPublicKey?: Buffer): SupervisionReport {
    if (recipientPublicKey && !sm2ValidatePublicKey(recipientPublicKey)) throw new ApiError(400, 'INVALID_ARGUMENT', 'recipientPublicKey is not a valid SM2 public key (04‖x‖y)');
    const m = this.metrics.snapshot();
    const interfaces = m.interfaces.map((i) => ({ interface: i.name, calls: i.calls, refused: i.errors, meanMs: i.meanMs }));
    const algorithms = new Map<string, number>();
    for (const i of m.interfaces) {
      const alg = ALGORITHM_OF.find(([re]) => re.test(i.name))?.[1];
      if (alg) algorithms.set(alg, (algorithms.get(alg) ?? 0) + i.calls - i.errors);
    }
    const trend = this.metrics.trend();
    const anomalies: Record<string, unknown>[] = [];
    for (const i of interfaces) if (i.refused > 0) anomalies.push({ kind: 'REQUEST_REFUSALS', interface: i.interface, refused: i.refused, calls: i.calls, rate: Math.round((i.refused / i.calls) * 1000) / 1000 });
    for (const d of this.pool.list()) if (d.info.state !== 'ONLINE') anomalies.push({ kind: 'DEVICE_OUT_OF_SERVICE', deviceId: d.info.id, state: d.info.state });
    if (trend.length >= 4) {
      const last = trend[trend.length - 1]!;
      const prev = trend.slice(0, -1);
      const mean = prev.reduce((s, b) => s + b.calls, 0) / prev.length;
      if (last.calls > 3 * mean && last.calls >= 100) anomalies.push({ kind: 'LOAD_SPIKE', minute: last.start, calls: last.calls, meanPerMinute: Math.round(mean) });
    }
    const reportId = `sup-${randomUUID()}`;
    const body = {
      schemaVersion: SUPERVISION_SCHEMA_VERSION,
      reportId,
      origin: 'gmeval-reference-platform',
      generatedAt: this.clock.iso(),
      period: { from: m.since, to: new Date().toISOString() },
      requests: {
        total: interfaces.reduce((s, i) => s + i.calls, 0),
        refused: interfaces.reduce((s, i) => s + i.refused, 0),
        byInterface: interfaces,
        byApplication: m.applications.map((a) => ({ appId: a.appId, calls: a.calls, refused: a.errors, byInterface: a.byInterface })),
      },
      trend: { bucketSeconds: 60, buckets: trend },
      anomalies,
      algorithms: [...algorithms].map(([algorithm, calls]) => ({ algorithm, calls })),
      devices: this.pool.list().map((d) => ({ deviceId: d.info.id, model: d.info.model, vendor: d.info.vendor, state: d.info.state, calls: d.calls })),
    };
    const text = canonicalJson(body);
    const unsigned = this.defects.has('supervision-unsigned');
    // defect supervision-unsigned: a bare digest instead of a signature, and no envelope
    const signature = unsigned ? sm3(Buffer.from(text, 'utf8')) : sm2Sign(this.key.privateKey, Buffer.from(text, 'utf8'), { format: 'der' });
    this.db.prepare('INSERT INTO supervision_reports (id, created_at, body, signature) VALUES (?,?,?,?)').run(reportId, body.generatedAt, text, signature);
    const out: SupervisionReport = { reportId, report: text, signatureAlgorithm: 'SM2-SM3 (GB/T 32918.2, ID 1234567812345678), DER', signature: signature.toString('base64'), publicKey: this.key.publicKey.toString('base64') };
    if (recipientPublicKey) {
      const payload = Buffer.from(JSON.stringify({ report: text, signature: out.signature, publicKey: out.publicKey }), 'utf8');
      if (unsigned) out.envelope = { algorithm: 'none', encryptedKey: '', iv: '', ciphertext: payload.toString('base64'), mac: '' };
      else {
        const k = randomBytes(16);
        const sub = sm2Kdf(Buffer.concat([k, Buffer.from(ENVELOPE_LABEL)]), 48);
        const iv = randomBytes(16);
        const ct = sm4Cbc('encrypt', sub.subarray(0, 16), iv, payload, { padding: true });
        out.envelope = {
          algorithm: `SM2(GM/T 0009 DER) key transport + SM4-CBC + HMAC-SM3 (subkeys = SM3-KDF(k ‖ "${ENVELOPE_LABEL}", 48): enc 16, mac 32; mac over iv ‖ ciphertext)`,
          encryptedKey: sm2Encrypt(recipientPublicKey, k, { format: 'der' }).toString('base64'),
          iv: iv.toString('base64'), ciphertext: ct.toString('base64'), mac: hmacSm3(sub.subarray(16, 48), iv, ct).toString('base64'),
        };
        k.fill(0);
        sub.fill(0);
      }
    }
    return out;
  }
}
