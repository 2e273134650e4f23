import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { sm2GenerateKeyPair, sm2ValidatePublicKey, sm2Verify, SM2_DEFAULT_ID } from '../../lib/gm/index.ts';
import { sealEnvelopedKey } from '../../lib/ca/enveloped-key.ts';
import { canonicalJson } from '../audit/audit-log.ts';
import type { PlatformContext } from '../context.ts';
import type { AuditCtx } from '../keys/keys.ts';
import { ApiError } from '../api/errors.ts';
import type { CertificateAuthority } from '../ca/ca.ts';

export type KmState = 'POOL' | 'IN_USE' | 'HISTORY';

/** GM/T 0014 KSRequest as JSON (the "JSON twin" of the DER CARequest; field names follow the ASN.1). */
export interface KsRequest {
  version: number; caName: string; taskNO: string; requestTime: string;
  requestList: ({ type: 'applyKeyReq'; appKeyType: 'SM2'; appKeyLen: 256; userCertNo: string; userPubKey: string; notBefore: string; notAfter: string }
    | { type: 'restoreKeyReq'; userCertNo: string; userPubKey: string }
    | { type: 'revokeKeyReq'; userCertNo: string })[];
}
export type Respond =
  | { type: 'applyKeyRespond' | 'restoreKeyRespond'; userCertNo: string; retPubKey: string; retPriKey: string }
  | { type: 'revokeKeyRespond'; userCertNo: string }
  | { type: 'errorPkgRespond'; errNo: number; errDesc: string };
export interface KsRespond { version: number; kmName: string; taskNO: string; respondTime: string; respondList: Respond[] }
export interface Signed<T> { body: T; signatureAlgorithm: 'SM2-SM3'; signatureValue: string }

const ESCROW_HEADER = 'km-escrow:v1:';

/**
 * The key management centre (密钥管理中心, GM/T 0034 §6, GM/T 0014): encryption key pairs are pre-generated into the
 * 备用库 (POOL), bound to a certificate on apply (在用库 IN_USE) and moved to the 历史库 (HISTORY) on revoke. Private
 * keys are escrowed sealed under a KM key-encryption key held in a pool device and leave the KM only inside an
 * SM2EnvelopedKey to a named public key. Requests from the CA are SM2-signed and verified against the registered CA
 * key, responses are signed by the KM key (mutual authentication by signatures; taskNO never reused).
 */
export class KeyManagementCentre {
  private kek!: { deviceId: string; slot: number };
  lowWater = 8;
  batch = 16;

  constructor(private readonly ctx: PlatformContext, private readonly ca: CertificateAuthority) {
    // the 备用库 is taken oldest first and counted by state on every apply and sweep: without this index both scan
    // every key the KM ever held (IN_USE and HISTORY rows grow with each certificate)
    ctx.db.exec('CREATE INDEX IF NOT EXISTS km_keys_state_created ON km_keys (state, created_at)');
    const r = ctx.db.prepare("SELECT public_part FROM platform_secrets WHERE name = 'km-kek'").get() as { public_part: Buffer } | undefined;
    if (r) this.kek = JSON.parse(r.public_part.toString('utf8'));
    else {
      const dev = ctx.pool.schedule();
      this.kek = { deviceId: dev.info.id, slot: dev.generateSymmetricKey('sm4') };
      ctx.db.prepare('INSERT INTO platform_secrets (name, sealed, public_part) VALUES (?,?,?)').run('km-kek', Buffer.alloc(0), Buffer.from(JSON.stringify(this.kek)));
    }
    this.replenish({ actor: { type: 'system', id: 'km' } });
  }

  /** Prepared statements, compiled once (every apply runs several). */
  private readonly statements = new Map<string, Statement>();
  private q(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.ctx.db.prepare(sql)));
    return st;
  }

  private seal(id: string, d: Uint8Array): { blob: Buffer; format: string } {
    // defect km-escrow-plaintext: the escrowed private key is stored as it is
    if (this.ctx.defects.has('km-escrow-plaintext')) return { blob: Buffer.from(d), format: 'PLAINTEXT' };
    return { blob: this.ctx.pool.get(this.kek.deviceId).envelopeSeal(this.kek.slot, ESCROW_HEADER, Buffer.from(d), Buffer.from(id)), format: 'SM4-CBC-HMAC-SM3/KM-KEK' };
  }

  private unseal(row: { id: string; escrow: Buffer; escrow_format: string }): Buffer {
    if (row.escrow_format === 'PLAINTEXT') return Buffer.from(row.escrow);
    return this.ctx.pool.get(this.kek.deviceId).envelopeOpen(this.kek.slot, ESCROW_HEADER, Buffer.from(row.escrow), Buffer.from(row.id));
  }

  /** Tops the 备用库 up to the batch size when it falls below the low watermark. */
  replenish(ac: AuditCtx, force = false): number {
    const n = this.count('POOL');
    if (n >= this.lowWater && !force) return 0;
    const add = Math.max(this.batch - n, force ? 1 : 0);
    this.ctx.db.transaction(() => {
      for (let i = 0; i < add; i++) {
        const kp = sm2GenerateKeyPair();
        const id = `kmk-${randomUUID()}`;
        const s = this.seal(id, kp.privateKey);
        kp.privateKey.fill(0);
        const now = this.ctx.clock.iso();
        this.q('INSERT INTO km_keys (id, state, public_key, escrow, escrow_format, created_at, updated_at) VALUES (?,?,?,?,?,?,?)').run(id, 'POOL', kp.publicKey, s.blob, s.format, now, now);
      }
      this.ctx.audit.append({ ...ac, action: 'KM_POOL_REPLENISH', resource: { type: 'km-pool', id: 'pool' }, outcome: 'SUCCESS', details: { added: add } });
    })();
    return add;
  }

  count(state: KmState): number {
    return (this.q('SELECT COUNT(*) AS n FROM km_keys WHERE state = ?').get(state) as { n: number }).n;
  }

  stats(): Record<KmState, number> {
    return { POOL: this.count('POOL'), IN_USE: this.count('IN_USE'), HISTORY: this.count('HISTORY') };
  }

  keyInfo(userCertNo: string): { id: string; state: string; publicKey: string; caName: string; createdAt: string; updatedAt: string } {
    const r = this.row(userCertNo);
    return { id: r.id, state: r.state, publicKey: r.public_key.toString('base64'), caName: String(r.ca_name ?? ''), createdAt: r.created_at, updatedAt: r.updated_at };
  }

  private row(userCertNo: string): { id: string; state: string; public_key: Buffer; escrow: Buffer; escrow_format: string; ca_name: string | null; created_at: string; updated_at: string } {
    const r = this.q('SELECT * FROM km_keys WHERE user_cert_no = ?').get(userCertNo.toLowerCase()) as ReturnType<KeyManagementCentre['row']> | undefined;
    if (!r) throw new ApiError(404, 'NOT_FOUND', `no KM key bound to certificate ${userCertNo}`);
    return r;
  }

  /** The stored escrow record as it sits in the database (conformance hook: what a database thief would get). */
  escrowRecord(userCertNo: string): { format: string; blob: Buffer; publicKey: Buffer } {
    const r = this.row(userCertNo);
    return { format: r.escrow_format, blob: Buffer.from(r.escrow), publicKey: Buffer.from(r.public_key) };
  }

  /** An SM2EnvelopedKey of the key bound to `userCertNo`, for `recipient` (restore, user recovery, judicial recovery). */
  envelopeFor(userCertNo: string, recipient: Uint8Array): { envelope: Buffer; publicKey: Buffer } {
    if (!sm2ValidatePublicKey(recipient)) throw new ApiError(400, 'INVALID_ARGUMENT', 'recipient public key is not a valid SM2 point');
    const r = this.row(userCertNo);
    const d = this.unseal(r);
    try {
      return { envelope: Buffer.from(sealEnvelopedKey(recipient, { privateKey: d, publicKey: r.public_key })), publicKey: Buffer.from(r.public_key) };
    } finally {
      d.fill(0);
    }
  }

  /** Signs a KSRespond with the KM key (in its device). */
  private signRespond(body: KsRespond): Signed<KsRespond> {
    return { body, signatureAlgorithm: 'SM2-SM3', signatureValue: this.ca.authority('km').signer.sign(Buffer.from(canonicalJson(body), 'utf8')).toString('base64') };
  }

  /** GM/T 0014 request handling (JSON twin): verify the CA, refuse replays, answer each request, sign the answer. */
  handle(ac: AuditCtx, req: Signed<KsRequest>): Signed<KsRespond> {
    const b = req?.body;
    if (!b || typeof b !== 'object' || !Array.isArray(b.requestList) || typeof b.taskNO !== 'string' || typeof b.caName !== 'string')
      throw new ApiError(400, 'INVALID_ARGUMENT', 'CARequest: body {version, caName, taskNO, requestTime, requestList[]} and signatureValue required');
    if (b.version !== 1) throw new ApiError(400, 'INVALID_ARGUMENT', `CARequest: version ${b.version}, expected 1`);
    const registered = this.ca.list().find((a) => a.kind === 'sub' && a.id === b.caName);
    if (!registered) throw new ApiError(403, 'UNREGISTERED_CA', `CA ${b.caName} is not registered with this KM`);
    let ok = false;
    try { ok = req.signatureAlgorithm === 'SM2-SM3' && sm2Verify(registered.signer.publicKey, Buffer.from(canonicalJson(b), 'utf8'), Buffer.from(String(req.signatureValue), 'base64'), { id: SM2_DEFAULT_ID, format: 'der' }); } catch { ok = false; }
    if (!ok) throw new ApiError(401, 'BAD_SIGNATURE', 'CARequest signature does not verify with the registered CA key');
    return this.ctx.db.transaction(() => {
      const seen = this.q('SELECT 1 FROM km_tasks WHERE ca_name = ? AND task_no = ?').get(b.caName, b.taskNO);
      if (seen) throw new ApiError(409, 'REPLAYED_TASK', `taskNO ${b.taskNO} was already processed`);
      this.q('INSERT INTO km_tasks (ca_name, task_no, at) VALUES (?,?,?)').run(b.caName, b.taskNO, this.ctx.clock.iso());
      const respondList = b.requestList.map((r) => this.one(ac, b.caName, r));
      return this.signRespond({ version: 1, kmName: 'km', taskNO: b.taskNO, respondTime: this.ctx.clock.iso(), respondList });
    })();
  }

  private one(ac: AuditCtx, caName: string, r: KsRequest['requestList'][number]): Respond {
    const err = (errNo: number, errDesc: string): Respond => ({ type: 'errorPkgRespond', errNo, errDesc });
    const certNo = String(r.userCertNo ?? '').toLowerCase();
    if (!/^[0-9a-f]{1,40}$/.test(certNo)) return err(1, 'userCertNo: hexadecimal serial expected');
    const audit = (action: string, details?: Record<string, unknown>) => this.ctx.audit.append({ ...ac, action, resource: { type: 'km-key', id: certNo }, outcome: 'SUCCESS', details: { caName, ...details } });
    if (r.type === 'applyKeyReq') {
      const pub = Buffer.from(r.userPubKey ?? '', 'base64');
      if (!sm2ValidatePublicKey(pub)) return err(2, 'userPubKey is not a valid SM2 public key');
      if (this.q('SELECT 1 FROM km_keys WHERE user_cert_no = ?').get(certNo)) return err(3, `userCertNo ${certNo} already has a key`);
      if (!this.count('POOL')) this.replenish(ac, true);
      const row = this.q("SELECT * FROM km_keys WHERE state = 'POOL' ORDER BY created_at LIMIT 1").get() as { id: string; public_key: Buffer };
      this.q("UPDATE km_keys SET state = 'IN_USE', user_cert_no = ?, ca_name = ?, updated_at = ? WHERE id = ?").run(certNo, caName, this.ctx.clock.iso(), row.id);
      const e = this.envelopeFor(certNo, pub);
      audit('KM_KEY_APPLY', { keyId: row.id });
      return { type: 'applyKeyRespond', userCertNo: certNo, retPubKey: e.publicKey.toString('base64'), retPriKey: e.envelope.toString('base64') };
    }
    if (r.type === 'restoreKeyReq') {
      const pub = Buffer.from(r.userPubKey ?? '', 'base64');
      if (!sm2ValidatePublicKey(pub)) return err(2, 'userPubKey is not a valid SM2 public key');
      try {
        const e = this.envelopeFor(certNo, pub);
        audit('KM_KEY_RESTORE');
        return { type: 'restoreKeyRespond', userCertNo: certNo, retPubKey: e.publicKey.toString('base64'), retPriKey: e.envelope.toString('base64') };
      } catch (x) {
        return err(4, (x as Error).message);
      }
    }
    if (r.type === 'revokeKeyReq') {
      const u = this.q("UPDATE km_keys SET state = 'HISTORY', updated_at = ? WHERE user_cert_no = ? AND state = 'IN_USE'").run(this.ctx.clock.iso(), certNo);
      if (!u.changes) return err(4, `no key in use for ${certNo}`);
      audit('KM_KEY_REVOKE');
      return { type: 'revokeKeyRespond', userCertNo: certNo };
    }
    return err(5, `unknown request type ${(r as { type?: string }).type}`);
  }

  /** The CA side of GM/T 0014: sign a request with the CA key, call the KM, verify the KM's signature and taskNO. */
  call(ac: AuditCtx, requestList: KsRequest['requestList']): Respond[] {
    const sub = this.ca.issuing();
    const body: KsRequest = { version: 1, caName: sub.id, taskNO: randomUUID(), requestTime: this.ctx.clock.iso(), requestList };
    const signed: Signed<KsRequest> = { body, signatureAlgorithm: 'SM2-SM3', signatureValue: sub.signer.sign(Buffer.from(canonicalJson(body), 'utf8')).toString('base64') };
    const resp = this.handle(ac, signed);
    const kmKey = this.ca.authority('km').signer.publicKey;
    if (!sm2Verify(kmKey, Buffer.from(canonicalJson(resp.body), 'utf8'), Buffer.from(resp.signatureValue, 'base64'), { id: SM2_DEFAULT_ID, format: 'der' }) || resp.body.taskNO !== body.taskNO)
      throw new ApiError(502, 'KM_RESPONSE_INVALID', 'the KM response signature or taskNO does not verify');
    return resp.body.respondList;
  }
}

