import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { ResourcePool } from '../pool/pool.ts';
import { IMPORT_SLOT } from '../devices/soft-sdf.ts';

export type KeyType = 'SM4' | 'SM2_SIGN' | 'SM2_ENC' | 'HMAC_SM3';
export const KEY_TYPES: KeyType[] = ['SM4', 'SM2_SIGN', 'SM2_ENC', 'HMAC_SM3'];
export interface KeyRecord { id: string; appId: string; name: string | null; type: KeyType; state: string; deviceId: string; slot: number; origin: string }

/** Key metadata; the material lives in a device slot and never leaves it in clear. */
export class Keys {
  constructor(private readonly db: Db, private readonly pool: ResourcePool) {}

  generate(appId: string, type: KeyType, name?: string): KeyRecord {
    const dev = this.pool.schedule();
    const slot = type === 'SM4' ? dev.generateSymmetricKey('sm4')
      : type === 'HMAC_SM3' ? dev.generateSymmetricKey('hmac-sm3')
      : dev.generateEccKeyPair(type === 'SM2_SIGN' ? 'sm2-sign' : 'sm2-enc');
    return this.insert({ id: `key-${randomUUID()}`, appId, name: name ?? null, type, state: 'ACTIVE', deviceId: dev.info.id, slot, origin: 'GENERATED' });
  }

  /** An import token binds the wrapping key (the device import key) to one app for 24 h, single use. */
  importParameters(appId: string): { importToken: string; wrappingPublicKey: Buffer } {
    const dev = this.pool.schedule();
    const token = randomBytes(16).toString('hex');
    this.db.prepare('INSERT INTO import_tokens (token, app_id, device_id, slot, expires_at) VALUES (?,?,?,?,?)')
      .run(token, appId, dev.info.id, IMPORT_SLOT, new Date(Date.now() + 24 * 3600_000).toISOString());
    return { importToken: token, wrappingPublicKey: dev.exportPublicKey(IMPORT_SLOT) };
  }

  importWrapped(appId: string, token: string, type: KeyType, wrapped: Buffer, name?: string): KeyRecord | 'BAD_TOKEN' {
    const row = this.db.prepare('SELECT * FROM import_tokens WHERE token = ? AND app_id = ?').get(token, appId) as Record<string, unknown> | undefined;
    if (!row || Number(row.used) || String(row.expires_at) < new Date().toISOString()) return 'BAD_TOKEN';
    if (type !== 'SM4' && type !== 'HMAC_SM3') return 'BAD_TOKEN';
    const dev = this.pool.get(String(row.device_id));
    const slot = dev.importWrappedKey(wrapped, type === 'SM4' ? 'sm4' : 'hmac-sm3');
    this.db.prepare('UPDATE import_tokens SET used = 1 WHERE token = ?').run(token);
    return this.insert({ id: `key-${randomUUID()}`, appId, name: name ?? null, type, state: 'ACTIVE', deviceId: dev.info.id, slot, origin: 'IMPORTED' });
  }

  /** A key of this app, or undefined (another app's key is indistinguishable from a missing one). */
  get(appId: string, id: string): KeyRecord | undefined {
    const r = this.db.prepare('SELECT * FROM keys WHERE id = ? AND app_id = ?').get(id, appId) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    return { id: String(r.id), appId: String(r.app_id), name: r.name == null ? null : String(r.name), type: r.type as KeyType, state: String(r.state), deviceId: String(r.device_id), slot: Number(r.slot), origin: String(r.origin) };
  }

  private insert(k: KeyRecord): KeyRecord {
    this.db.prepare('INSERT INTO keys (id, app_id, name, type, state, device_id, slot, origin, created_at) VALUES (?,?,?,?,?,?,?,?,?)')
      .run(k.id, k.appId, k.name, k.type, k.state, k.deviceId, k.slot, k.origin, new Date().toISOString());
    return k;
  }
}
