import { randomBytes, randomUUID } from 'node:crypto';
import { sm2Encrypt, sm2ValidatePublicKey, sm3, sm4GcmDecrypt, sm4GcmEncrypt } from '../../lib/gm/index.ts';
import type { Db } from '../store/db.ts';
import type { Statement } from 'better-sqlite3';
import type { ResourcePool } from '../pool/pool.ts';
import { IMPORT_SLOT, type SlotKind, type SoftSdfDevice } from '../devices/soft-sdf.ts';
import { canonicalJson, type AuditLog, type Actor } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { Defects } from '../defects/registry.ts';
import { ApiError } from '../api/errors.ts';
import { crashPoint } from '../crash.ts';
import { combineShares, splitSecret } from './shamir.ts';

export type KeyType = 'SM4' | 'SM2_SIGN' | 'SM2_ENC' | 'HMAC_SM3';
export const KEY_TYPES: KeyType[] = ['SM4', 'SM2_SIGN', 'SM2_ENC', 'HMAC_SM3'];
export type KeyState = 'PRE_ACTIVE' | 'ACTIVE' | 'SUSPENDED' | 'DEACTIVATED' | 'COMPROMISED' | 'DESTRUCTION_PENDING' | 'ARCHIVED' | 'DESTROYED' | 'DESTROYED_COMPROMISED';
/** protect = encrypt/sign/MAC/wrap; process = decrypt/verify/unwrap (KMIP / NIST SP 800-57) */
export type Use = 'protect' | 'process';
export interface KeyVersion { version: number; state: string; deviceId: string; slot: number }
export interface KeyRecord {
  id: string; appId: string; name: string | null; type: KeyType; state: KeyState; deviceId: string; slot: number; origin: string;
  exportable: boolean; primaryVersion: number; priorState: string | null; rotationPeriodDays: number | null; nextRotationAt: string | null; destroyAt: string | null;
  groupId: string | null;
}
/** Who asks, for the audit record written in the same transaction as the change. */
export interface AuditCtx { actor: Actor; tenantId?: string; requestId?: string }

const KIND: Record<KeyType, SlotKind> = { SM4: 'sm4', SM2_SIGN: 'sm2-sign', SM2_ENC: 'sm2-enc', HMAC_SM3: 'hmac-sm3' };
const DESTROYED = new Set(['DESTROYED', 'DESTROYED_COMPROMISED']);

/** Allowed lifecycle transitions (reference-platform-api.md §5); anything else is 409. */
const TRANSITIONS: Record<string, { from: KeyState[]; to: KeyState | 'PRIOR' }> = {
  activate: { from: ['PRE_ACTIVE'], to: 'ACTIVE' },
  suspend: { from: ['ACTIVE'], to: 'SUSPENDED' },
  resume: { from: ['SUSPENDED'], to: 'ACTIVE' },
  deactivate: { from: ['ACTIVE', 'SUSPENDED'], to: 'DEACTIVATED' },
  revoke: { from: ['PRE_ACTIVE', 'ACTIVE', 'SUSPENDED', 'DEACTIVATED'], to: 'COMPROMISED' },
  archive: { from: ['DEACTIVATED', 'COMPROMISED'], to: 'ARCHIVED' },
  recover: { from: ['ARCHIVED'], to: 'PRIOR' },
  'cancel-destruction': { from: ['DESTRUCTION_PENDING'], to: 'PRIOR' },
};
export const KEY_ACTIONS = Object.keys(TRANSITIONS);

/**
 * Key lifecycle (T/TCGIA 0003-2023 §6.2 c, §6.5.3): metadata here, material only inside device slots.
 * Every change and its audit record commit in one SQLite transaction, so a crash leaves either the old
 * or the new state. Keys are versioned: rotation adds a version; older versions keep decrypting.
 */
export class Keys {
  constructor(private readonly db: Db, private readonly pool: ResourcePool, private readonly audit: AuditLog, private readonly clock: Clock, private readonly defects: Defects) {}

  /** Prepared statements, compiled once: preparing costs more than running the small reads a request makes. */
  private readonly statements = new Map<string, Statement>();

  private q(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private log(ac: AuditCtx, action: string, keyId: string, details?: Record<string, unknown>): void {
    this.audit.append({ actor: ac.actor, tenantId: ac.tenantId, action, resource: { type: 'key', id: keyId }, outcome: 'SUCCESS', requestId: ac.requestId, details });
  }

  generate(ac: AuditCtx, appId: string, type: KeyType, o: { name?: string; exportable?: boolean; rotationPeriodDays?: number; activate?: boolean; device?: SoftSdfDevice } = {}): KeyRecord {
    return this.tx(() => {
      const dev = o.device ?? this.pool.scheduleFor(appId);
      const slot = type === 'SM4' ? dev.generateSymmetricKey('sm4')
        : type === 'HMAC_SM3' ? dev.generateSymmetricKey('hmac-sm3')
        : dev.generateEccKeyPair(type === 'SM2_SIGN' ? 'sm2-sign' : 'sm2-enc');
      const k = this.insert({ appId, name: o.name ?? null, type, state: o.activate === false ? 'PRE_ACTIVE' : 'ACTIVE', deviceId: dev.info.id, slot, origin: 'GENERATED', exportable: !!o.exportable, rotationPeriodDays: o.rotationPeriodDays ?? null });
      this.log(ac, 'KEY_GENERATE', k.id, { type, deviceId: dev.info.id, exportable: k.exportable, rotationPeriodDays: k.rotationPeriodDays });
      return k;
    });
  }

  /** An import token binds the wrapping key (the device import key) to one app for 24 h, single use. */
  importParameters(appId: string): { importToken: string; wrappingPublicKey: Buffer } {
    const dev = this.pool.scheduleFor(appId);
    const token = randomBytes(16).toString('hex');
    this.q('INSERT INTO import_tokens (token, app_id, device_id, slot, expires_at) VALUES (?,?,?,?,?)')
      .run(token, appId, dev.info.id, IMPORT_SLOT, new Date(this.clock.now().getTime() + 24 * 3600_000).toISOString());
    return { importToken: token, wrappingPublicKey: dev.exportPublicKey(IMPORT_SLOT) };
  }

  importWrapped(ac: AuditCtx, appId: string, token: string, type: KeyType, wrapped: Buffer, o: { name?: string; exportable?: boolean } = {}): KeyRecord | 'BAD_TOKEN' {
    return this.tx(() => {
      const row = this.q('SELECT * FROM import_tokens WHERE token = ? AND app_id = ?').get(token, appId) as Record<string, unknown> | undefined;
      if (!row || Number(row.used) || String(row.expires_at) < this.clock.iso()) return 'BAD_TOKEN' as const;
      if (type !== 'SM4' && type !== 'HMAC_SM3') return 'BAD_TOKEN' as const;
      const dev = this.pool.get(String(row.device_id));
      const slot = dev.importWrappedKey(wrapped, type === 'SM4' ? 'sm4' : 'hmac-sm3');
      crashPoint('import:after-slot');
      this.q('UPDATE import_tokens SET used = 1 WHERE token = ?').run(token);
      const k = this.insert({ appId, name: o.name ?? null, type, state: 'ACTIVE', deviceId: dev.info.id, slot, origin: 'IMPORTED', exportable: !!o.exportable, rotationPeriodDays: null });
      this.log(ac, 'KEY_IMPORT', k.id, { type, deviceId: dev.info.id, wrapping: 'SM2 (GM/T 0009)' });
      return k;
    });
  }

  /** A key of this app, or undefined (another app's key is indistinguishable from a missing one). */
  get(appId: string, id: string): KeyRecord | undefined {
    // defect no-tenant-isolation: any application's key is found
    const r = (this.defects.has('no-tenant-isolation')
      ? this.q('SELECT * FROM keys WHERE id = ?').get(id)
      : this.q('SELECT * FROM keys WHERE id = ? AND app_id = ?').get(id, appId)) as Record<string, unknown> | undefined;
    return r ? toRecord(r) : undefined;
  }

  /** Any application's key, for administration (device groups); never for an application's request. */
  byId(id: string): KeyRecord | undefined {
    const r = this.q('SELECT * FROM keys WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? toRecord(r) : undefined;
  }

  list(appId: string): KeyRecord[] {
    return (this.q('SELECT * FROM keys WHERE app_id = ? ORDER BY created_at').all(appId) as Record<string, unknown>[]).map(toRecord);
  }

  versions(keyId: string): KeyVersion[] {
    return (this.q('SELECT * FROM key_versions WHERE key_id = ? ORDER BY version').all(keyId) as Record<string, unknown>[])
      .map((v) => ({ version: Number(v.version), state: String(v.state), deviceId: String(v.device_id), slot: Number(v.slot) }));
  }

  version(k: KeyRecord, v?: number): KeyVersion {
    // one indexed row (the primary key), not every version: this runs on each crypto request
    const want = v ?? k.primaryVersion;
    const row = Number.isSafeInteger(want) ? this.q('SELECT version, state, device_id, slot FROM key_versions WHERE key_id = ? AND version = ?').get(k.id, want) as Record<string, unknown> | undefined : undefined;
    const ver: KeyVersion | undefined = row && { version: Number(row.version), state: String(row.state), deviceId: String(row.device_id), slot: Number(row.slot) };
    if (!ver) throw new ApiError(404, 'KEY_VERSION_NOT_FOUND', `key ${k.id} has no version ${v}`);
    if (ver.state === 'DESTROYED' && !this.defects.has('destroyed-key-usable')) throw new ApiError(409, 'KEY_STATE', `version ${ver.version} of key ${k.id} is destroyed`);
    // failover: a synchronised replica on a healthy member of the key's group serves when the home device is out
    if (this.pool.find(ver.deviceId)?.info.state !== 'ONLINE') {
      const r = this.q('SELECT device_id, slot FROM key_replicas WHERE key_id = ? AND version = ?').all(k.id, ver.version) as { device_id: string; slot: number }[];
      const up = r.find((x) => this.pool.find(x.device_id)?.info.state === 'ONLINE');
      if (up) return { ...ver, deviceId: up.device_id, slot: Number(up.slot) };
    }
    return ver;
  }

  /** The state × use matrix: protect only when ACTIVE; process also when DEACTIVATED or ARCHIVED. */
  checkUse(k: KeyRecord, use: Use): void {
    if (DESTROYED.has(k.state) && this.defects.has('destroyed-key-usable')) return;
    if (!DESTROYED.has(k.state) && this.defects.has('key-state-not-enforced')) return;
    const ok = use === 'protect' ? k.state === 'ACTIVE' : ['ACTIVE', 'DEACTIVATED', 'ARCHIVED'].includes(k.state);
    if (!ok) throw new ApiError(409, 'KEY_STATE', `key ${k.id} is ${k.state}: ${use === 'protect' ? 'encrypt/sign/MAC' : 'decrypt/verify'} is not allowed in this state`);
  }

  transition(ac: AuditCtx, k: KeyRecord, action: string, details: Record<string, unknown> = {}): KeyRecord {
    const t = TRANSITIONS[action];
    if (!t) throw new ApiError(404, 'NOT_FOUND', `no key action ${action}`);
    return this.tx(() => {
      const cur = this.reload(k);
      if (!t.from.includes(cur.state)) throw new ApiError(409, 'ILLEGAL_TRANSITION', `cannot ${action} a key in state ${cur.state}`);
      const to = t.to === 'PRIOR' ? (cur.priorState as KeyState | null) ?? 'DEACTIVATED' : t.to;
      const prior = action === 'archive' ? cur.state : null;
      this.q('UPDATE keys SET state = ?, prior_state = ?, destroy_at = NULL, updated_at = ? WHERE id = ?').run(to, prior, this.clock.iso(), k.id);
      if (action === 'revoke') this.q("UPDATE key_versions SET state = 'COMPROMISED' WHERE key_id = ? AND state != 'DESTROYED'").run(k.id);
      this.log(ac, `KEY_${action.toUpperCase().replace('-', '_')}`, k.id, { from: cur.state, to, ...details });
      return this.reload(k);
    });
  }

  /** Adds version n+1 on the same device; version n stays for decryption only. */
  rotate(ac: AuditCtx, k: KeyRecord, reason = 'ON_DEMAND'): KeyRecord {
    return this.tx(() => {
      const cur = this.reload(k);
      if (cur.state !== 'ACTIVE') throw new ApiError(409, 'ILLEGAL_TRANSITION', `cannot rotate a key in state ${cur.state}`);
      const old = this.version(cur);
      const dev = this.pool.get(old.deviceId);
      let slot: number;
      if (this.defects.has('rotation-breaks-old-ciphertext')) {
        // defect: "rotation" replaces the material in place, so every earlier ciphertext is lost
        dev.overwriteSlot(old.slot);
        slot = old.slot;
      } else slot = cur.type === 'SM4' ? dev.generateSymmetricKey('sm4') : cur.type === 'HMAC_SM3' ? dev.generateSymmetricKey('hmac-sm3') : dev.generateEccKeyPair(KIND[cur.type] as 'sm2-sign' | 'sm2-enc');
      const next = cur.primaryVersion + 1;
      const now = this.clock.iso();
      this.q("UPDATE key_versions SET state = 'DEACTIVATED' WHERE key_id = ? AND version = ?").run(k.id, old.version);
      this.q('INSERT INTO key_versions (key_id, version, state, device_id, slot, created_at) VALUES (?,?,?,?,?,?)').run(k.id, next, 'ACTIVE', dev.info.id, slot, now);
      crashPoint('rotate:after-new-version');
      this.q('UPDATE keys SET primary_version = ?, device_id = ?, slot = ?, next_rotation_at = ?, updated_at = ? WHERE id = ?')
        .run(next, dev.info.id, slot, this.nextRotation(cur.rotationPeriodDays), now, k.id);
      this.log(ac, 'KEY_ROTATE', k.id, { fromVersion: old.version, toVersion: next, reason });
      return this.reload(k);
    });
  }

  setRotationPolicy(ac: AuditCtx, k: KeyRecord, days: number | null): KeyRecord {
    return this.tx(() => {
      this.q('UPDATE keys SET rotation_period_days = ?, next_rotation_at = ?, updated_at = ? WHERE id = ?').run(days, this.nextRotation(days), this.clock.iso(), k.id);
      this.log(ac, 'KEY_ROTATION_POLICY', k.id, { rotationPeriodDays: days });
      return this.reload(k);
    });
  }

  private nextRotation(days: number | null): string | null {
    return days ? new Date(this.clock.now().getTime() + days * 86400_000).toISOString() : null;
  }

  /** Normal destruction (§6.5.3 k): only from PRE_ACTIVE / DEACTIVATED / COMPROMISED, after a 7–30 day window. */
  scheduleDestruction(ac: AuditCtx, k: KeyRecord, days: number): KeyRecord {
    if (!Number.isInteger(days) || days < 7 || days > 30) throw new ApiError(400, 'INVALID_ARGUMENT', 'pendingWindowDays must be 7..30');
    return this.tx(() => {
      const cur = this.reload(k);
      if (!['PRE_ACTIVE', 'DEACTIVATED', 'COMPROMISED'].includes(cur.state)) throw new ApiError(409, 'ILLEGAL_TRANSITION', `cannot schedule destruction of a key in state ${cur.state} (deactivate it first)`);
      const at = new Date(this.clock.now().getTime() + days * 86400_000).toISOString();
      this.q("UPDATE keys SET state = 'DESTRUCTION_PENDING', prior_state = ?, destroy_at = ?, updated_at = ? WHERE id = ?").run(cur.state, at, this.clock.iso(), k.id);
      this.log(ac, 'KEY_SCHEDULE_DESTRUCTION', k.id, { from: cur.state, destroyAt: at, pendingWindowDays: days });
      return this.reload(k);
    });
  }

  /** Emergency destruction (§6.5.3 k): immediate zeroisation of every version, from any non-destroyed state. */
  emergencyDestroy(ac: AuditCtx, k: KeyRecord, reason: string): KeyRecord {
    return this.tx(() => {
      const cur = this.reload(k);
      if (DESTROYED.has(cur.state)) throw new ApiError(409, 'ILLEGAL_TRANSITION', `key ${k.id} is already ${cur.state}`);
      this.destroyMaterial(cur);
      this.log(ac, 'KEY_EMERGENCY_DESTROY', k.id, { from: cur.state, reason });
      return this.reload(k);
    });
  }

  private destroyMaterial(cur: KeyRecord): void {
    const to = cur.state === 'COMPROMISED' || cur.priorState === 'COMPROMISED' ? 'DESTROYED_COMPROMISED' : 'DESTROYED';
    if (!this.defects.has('destroyed-key-usable')) {
      for (const v of this.versions(cur.id)) if (v.state !== 'DESTROYED') this.pool.find(v.deviceId)?.destroySlot(v.slot);
      // synchronised copies on the other members of the key's group go too
      for (const r of this.q('SELECT device_id, slot FROM key_replicas WHERE key_id = ?').all(cur.id) as { device_id: string; slot: number }[]) this.pool.find(r.device_id)?.destroySlot(Number(r.slot));
      this.q('DELETE FROM key_replicas WHERE key_id = ?').run(cur.id);
      this.q("UPDATE key_versions SET state = 'DESTROYED' WHERE key_id = ?").run(cur.id);
    }
    this.q('UPDATE keys SET state = ?, destroy_at = NULL, updated_at = ? WHERE id = ?').run(to, this.clock.iso(), cur.id);
  }

  /** Due destructions and auto-rotations; run by a timer and after the test clock moves. */
  sweep(ac: AuditCtx): void {
    const now = this.clock.iso();
    for (const r of this.q("SELECT * FROM keys WHERE state = 'DESTRUCTION_PENDING' AND destroy_at <= ?").all(now) as Record<string, unknown>[]) {
      const k = toRecord(r);
      this.tx(() => {
        this.destroyMaterial(k);
        this.log({ ...ac, tenantId: undefined }, 'KEY_DESTROY', k.id, { scheduledFor: k.destroyAt });
      });
    }
    if (this.defects.has('auto-rotation-ignored')) return;
    for (const r of this.q("SELECT * FROM keys WHERE state = 'ACTIVE' AND next_rotation_at IS NOT NULL AND next_rotation_at <= ?").all(now) as Record<string, unknown>[]) {
      try {
        this.rotate(ac, toRecord(r), 'AUTO_ROTATION_POLICY');
      } catch {
        // a device out of service: retried at the next sweep
      }
    }
  }

  /** Export only as ciphertext: SM2-encrypted to a recipient public key (§6.5.3 d). */
  exportKey(ac: AuditCtx, k: KeyRecord, recipientPublicKey: Buffer): { wrappedKey: Buffer; version: number } {
    if (!sm2ValidatePublicKey(recipientPublicKey)) throw new ApiError(400, 'INVALID_ARGUMENT', 'wrappingPublicKey is not a valid SM2 public key (04‖x‖y)');
    return this.tx(() => {
      const cur = this.reload(k);
      if (!cur.exportable) throw new ApiError(403, 'KEY_NOT_EXPORTABLE', `key ${k.id} was created non-exportable`);
      if (!['ACTIVE', 'SUSPENDED', 'DEACTIVATED'].includes(cur.state) && !(DESTROYED.has(cur.state) && this.defects.has('destroyed-key-usable')))
        throw new ApiError(409, 'KEY_STATE', `key ${k.id} is ${cur.state} and cannot be exported`);
      const v = this.version(cur);
      const wrappedKey = this.pool.get(v.deviceId).exportWrapped(v.slot, recipientPublicKey);
      this.log(ac, 'KEY_EXPORT', k.id, { version: v.version, format: 'SM2 envelope', recipientKeySm3: sm3(recipientPublicKey).toString('hex') });
      return { wrappedKey, version: v.version };
    });
  }

  /**
   * Backup by knowledge splitting (§6.5.3 i): every live version encrypted (SM4-GCM, the key's policy as
   * AAD) under a fresh backup key that is Shamir-split t-of-n; each share is SM2-encrypted to its
   * custodian, and a record of every share (custodian, index, SM3 commitment) is kept and audited.
   */
  backup(ac: AuditCtx, k: KeyRecord, threshold: number, custodians: { name: string; publicKey: Buffer }[]): { backupId: string; blob: string; shares: { index: number; custodian: string; encryptedShare: Buffer }[] } {
    if (!Number.isInteger(threshold) || threshold < 2 || custodians.length < threshold || custodians.length > 16) throw new ApiError(400, 'INVALID_ARGUMENT', 'need 2 ≤ threshold ≤ custodians ≤ 16');
    for (const c of custodians) if (!sm2ValidatePublicKey(c.publicKey)) throw new ApiError(400, 'INVALID_ARGUMENT', `custodian ${c.name}: not a valid SM2 public key`);
    return this.tx(() => {
      const cur = this.reload(k);
      if (DESTROYED.has(cur.state) || cur.state === 'DESTRUCTION_PENDING') throw new ApiError(409, 'KEY_STATE', `key ${k.id} is ${cur.state}`);
      const backupId = `bkp-${randomUUID()}`;
      const versions = this.versions(k.id).filter((v) => v.state !== 'DESTROYED').map((v) => {
        const m = this.pool.get(v.deviceId).materialForBackup(v.slot);
        return { version: v.version, state: v.state, kind: m.kind, material: m.material.toString('base64'), publicKey: m.publicKey?.toString('base64') };
      });
      const policy = { backupId, keyId: k.id, appId: cur.appId, type: cur.type, exportable: cur.exportable, primaryVersion: cur.primaryVersion, threshold, shares: custodians.length };
      const bk = randomBytes(16);
      const iv = randomBytes(12);
      const { ciphertext, tag } = sm4GcmEncrypt(bk, iv, Buffer.from(JSON.stringify(versions)), Buffer.from(canonicalJson(policy)));
      for (const v of versions) v.material = '';
      // defect backup-threshold-ignored: every custodian receives the whole backup key
      const raw = this.defects.has('backup-threshold-ignored') ? custodians.map((_, i) => Buffer.concat([Buffer.from([i + 1]), bk])) : splitSecret(bk, threshold, custodians.length);
      bk.fill(0);
      const now = this.clock.iso();
      this.q('INSERT INTO key_backups (id, key_id, app_id, threshold, share_count, created_at) VALUES (?,?,?,?,?,?)').run(backupId, k.id, cur.appId, threshold, custodians.length, now);
      const shares = raw.map((s, i) => {
        this.q('INSERT INTO backup_shares (backup_id, idx, custodian, custodian_public_key, commitment, issued_at) VALUES (?,?,?,?,?,?)')
          .run(backupId, s[0]!, custodians[i]!.name, custodians[i]!.publicKey, sm3(s).toString('hex'), now);
        return { index: s[0]!, custodian: custodians[i]!.name, encryptedShare: sm2Encrypt(custodians[i]!.publicKey, s, { format: 'der' }) };
      });
      crashPoint('backup:after-shares-recorded');
      this.log(ac, 'KEY_BACKUP', k.id, { backupId, threshold, custodians: custodians.map((c) => c.name) });
      const blob = Buffer.from(JSON.stringify({ format: 'gmeval-key-backup-1', policy, iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: tag.toString('base64') })).toString('base64');
      return { backupId, blob, shares };
    });
  }

  backupRecord(appId: string, keyId: string, backupId: string): Record<string, unknown> | undefined {
    const b = this.q('SELECT * FROM key_backups WHERE id = ? AND key_id = ? AND app_id = ?').get(backupId, keyId, appId) as Record<string, unknown> | undefined;
    if (!b) return undefined;
    const shares = (this.q('SELECT idx, custodian, commitment, issued_at FROM backup_shares WHERE backup_id = ? ORDER BY idx').all(backupId) as Record<string, unknown>[])
      .map((s) => ({ index: Number(s.idx), custodian: String(s.custodian), commitment: String(s.commitment), issuedAt: String(s.issued_at) }));
    return { backupId, keyId, threshold: Number(b.threshold), shareCount: Number(b.share_count), createdAt: String(b.created_at), restoredCount: Number(b.restored_count), shares };
  }

  /** Restores a backup into a new key from at least `threshold` custodian shares, each checked against its recorded commitment. */
  restore(ac: AuditCtx, appId: string, blobB64: string, shares: Buffer[]): KeyRecord {
    let parsed: { format?: string; policy?: Record<string, unknown>; iv?: string; ciphertext?: string; tag?: string };
    try { parsed = JSON.parse(Buffer.from(blobB64, 'base64').toString('utf8')); } catch { throw new ApiError(400, 'BAD_BACKUP', 'backup blob is not a gmeval key backup'); }
    if (parsed.format !== 'gmeval-key-backup-1' || !parsed.policy || !parsed.iv || !parsed.ciphertext || !parsed.tag) throw new ApiError(400, 'BAD_BACKUP', 'backup blob is not a gmeval key backup');
    const policy = parsed.policy;
    const rec = this.backupRecord(appId, String(policy.keyId), String(policy.backupId));
    if (!rec) throw new ApiError(404, 'BACKUP_NOT_FOUND', 'no such backup for this application');
    const recorded = new Map((rec.shares as { index: number; commitment: string }[]).map((s) => [s.index, s.commitment]));
    const seen = new Set<number>();
    for (const s of shares) {
      if (recorded.get(s[0]!) !== sm3(s).toString('hex')) throw new ApiError(400, 'BAD_SHARE', `share ${s[0]} does not match the recorded commitment`);
      seen.add(s[0]!);
    }
    if (seen.size < Number(rec.threshold) && !this.defects.has('backup-threshold-ignored')) throw new ApiError(400, 'INSUFFICIENT_SHARES', `${seen.size} distinct share(s) given, ${rec.threshold} needed`);
    const bk = this.defects.has('backup-threshold-ignored') ? Buffer.from(shares[0]!.subarray(1)) : combineShares(shares);
    let versions: { version: number; state: string; kind: SlotKind; material: string; publicKey?: string }[];
    try {
      versions = JSON.parse(sm4GcmDecrypt(bk, Buffer.from(parsed.iv, 'base64'), Buffer.from(parsed.ciphertext, 'base64'), Buffer.from(parsed.tag, 'base64'), Buffer.from(canonicalJson(policy))).toString('utf8'));
    } catch {
      throw new ApiError(400, 'BACKUP_TAMPERED', 'backup does not decrypt: blob, policy or shares altered');
    } finally {
      bk.fill(0);
    }
    return this.tx(() => {
      const dev = this.pool.scheduleFor(appId);
      const id = `key-${randomUUID()}`;
      const now = this.clock.iso();
      const primary = Number(policy.primaryVersion);
      let primarySlot = -1;
      const slots = versions.map((v) => {
        const slot = dev.importMaterial(v.kind, Buffer.from(v.material, 'base64'), v.publicKey ? Buffer.from(v.publicKey, 'base64') : undefined);
        if (v.version === primary) primarySlot = slot;
        return { ...v, slot };
      });
      this.q('INSERT INTO keys (id, app_id, name, type, state, device_id, slot, origin, created_at, exportable, primary_version, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)')
        .run(id, appId, `restored:${String(policy.keyId)}`, String(policy.type), 'ACTIVE', dev.info.id, primarySlot, 'RESTORED', now, policy.exportable ? 1 : 0, primary, now);
      for (const v of slots) this.q('INSERT INTO key_versions (key_id, version, state, device_id, slot, created_at) VALUES (?,?,?,?,?,?)').run(id, v.version, v.state === 'ACTIVE' ? 'ACTIVE' : 'DEACTIVATED', dev.info.id, v.slot, now);
      this.q('UPDATE keys SET group_id = ? WHERE id = ?').run(this.pool.placement?.groupOf(appId) ?? null, id);
      this.q('UPDATE key_backups SET restored_count = restored_count + 1 WHERE id = ?').run(policy.backupId);
      this.log(ac, 'KEY_RESTORE', id, { backupId: policy.backupId, fromKey: policy.keyId, sharesUsed: [...seen] });
      return toRecord(this.q('SELECT * FROM keys WHERE id = ?').get(id) as Record<string, unknown>);
    });
  }

  private reload(k: KeyRecord): KeyRecord {
    return toRecord(this.q('SELECT * FROM keys WHERE id = ?').get(k.id) as Record<string, unknown>);
  }

  private insert(k: { appId: string; name: string | null; type: KeyType; state: KeyState; deviceId: string; slot: number; origin: string; exportable: boolean; rotationPeriodDays: number | null }): KeyRecord {
    const id = `key-${randomUUID()}`;
    const now = this.clock.iso();
    this.q('INSERT INTO keys (id, app_id, name, type, state, device_id, slot, origin, created_at, exportable, primary_version, rotation_period_days, next_rotation_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)')
      .run(id, k.appId, k.name, k.type, k.state, k.deviceId, k.slot, k.origin, now, k.exportable ? 1 : 0, 1, k.rotationPeriodDays, this.nextRotation(k.rotationPeriodDays), now);
    this.q('INSERT INTO key_versions (key_id, version, state, device_id, slot, created_at) VALUES (?,?,?,?,?,?)').run(id, 1, 'ACTIVE', k.deviceId, k.slot, now);
    // the device group the key belongs to (§6.1.2 c): only that group's members may hold or serve it
    this.q('UPDATE keys SET group_id = ? WHERE id = ?').run(this.pool.placement?.groupOf(k.appId) ?? null, id);
    return this.reload({ id } as KeyRecord);
  }
}

function toRecord(r: Record<string, unknown>): KeyRecord {
  return {
    id: String(r.id), appId: String(r.app_id), name: r.name == null ? null : String(r.name), type: r.type as KeyType, state: r.state as KeyState,
    deviceId: String(r.device_id), slot: Number(r.slot), origin: String(r.origin), exportable: Number(r.exportable) === 1,
    primaryVersion: Number(r.primary_version), priorState: r.prior_state == null ? null : String(r.prior_state),
    rotationPeriodDays: r.rotation_period_days == null ? null : Number(r.rotation_period_days),
    nextRotationAt: r.next_rotation_at == null ? null : String(r.next_rotation_at), destroyAt: r.destroy_at == null ? null : String(r.destroy_at),
    groupId: r.group_id == null ? null : String(r.group_id),
  };
}
