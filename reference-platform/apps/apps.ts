import { randomBytes, randomUUID } from 'node:crypto';
import { timingSafeEqualBytes } from '../../lib/gm/index.ts';
import type { Db } from '../store/db.ts';
import type { MasterKey } from '../store/master-key.ts';

export interface App { id: string; name: string; tenantId: string; state: string; contact?: string | null }
/** Access-control policy of an application (§6.4 b): which operations, on which keys (null = all). */
export interface AppPolicy { operations: string[] | null; keyIds: string[] | null }

export const APP_OPERATIONS = ['hash', 'random', 'encrypt', 'decrypt', 'sign', 'verify', 'hmac', 'generateKey', 'importKey', 'manageKey', 'exportKey', 'backupKey'];

/**
 * Applications and their HMAC-SM3 credentials (T/TCGIA 0003-2023 §6.2 b, g; §6.4 a, b): a unique access
 * key per credential; the secret is returned once at creation and stored sealed under the master key;
 * policies are stored with an HMAC-SM3 so that an edited policy row is refused, never silently obeyed.
 */
export class Apps {
  /** unsealed credentials and verified policies, kept briefly so that a request costs no SQL and no unseal */
  private readonly credCache = new Map<string, { v: { app: App; secret: Buffer } | undefined; until: number }>();
  private readonly policyCache = new Map<string, AppPolicy & { integrity: 'OK' | 'BROKEN' | 'DEFAULT' }>();
  private static readonly CACHE_MS = 5_000;
  /** policy rows the conformance hook rewrote: app id → the original text, put back by the next call */
  private readonly tampered = new Map<string, string>();

  /** `skipPolicyMac`: the `acl-no-integrity` defect — a policy row is obeyed without checking its MAC */
  constructor(private readonly db: Db, private readonly master: MasterKey, private readonly opts: { skipPolicyMac?: boolean } = {}) {}

  create(name: string, contact?: string): { app: App; accessKey: string; secret: string } {
    const app: App = { id: `app-${randomUUID().slice(0, 8)}`, name, tenantId: `tenant-${randomUUID().slice(0, 8)}`, state: 'ACTIVE', contact: contact ?? null };
    const accessKey = `AK${randomBytes(10).toString('hex').toUpperCase()}`;
    const secret = randomBytes(32).toString('base64url');
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO apps (id, name, tenant_id, state, created_at, contact) VALUES (?,?,?,?,?,?)').run(app.id, name, app.tenantId, app.state, now, contact ?? null);
      this.db.prepare('INSERT INTO credentials (access_key, app_id, kind, secret_sealed, state, created_at) VALUES (?,?,?,?,?,?)')
        .run(accessKey, app.id, 'HMAC_SM3', this.master.seal(Buffer.from(secret, 'utf8'), `credential:${accessKey}`), 'ACTIVE', now);
    })();
    return { app, accessKey, secret };
  }

  /** The app and its secret for an active credential, or undefined. */
  credential(accessKey: string): { app: App; secret: Buffer } | undefined {
    const now = Date.now();
    const hit = this.credCache.get(accessKey);
    if (hit && hit.until > now) return hit.v;
    const v = this.loadCredential(accessKey);
    if (this.credCache.size > 10_000) this.credCache.clear();
    this.credCache.set(accessKey, { v, until: now + Apps.CACHE_MS });
    return v;
  }

  private loadCredential(accessKey: string): { app: App; secret: Buffer } | undefined {
    const row = this.db.prepare(
      `SELECT c.secret_sealed, a.id, a.name, a.tenant_id, a.state FROM credentials c JOIN apps a ON a.id = c.app_id
       WHERE c.access_key = ? AND c.state = 'ACTIVE' AND a.state = 'ACTIVE'`,
    ).get(accessKey) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    return {
      app: { id: String(row.id), name: String(row.name), tenantId: String(row.tenant_id), state: String(row.state) },
      secret: this.master.unseal(row.secret_sealed as Buffer, `credential:${accessKey}`),
    };
  }

  get(id: string): App | undefined {
    const row = this.db.prepare('SELECT * FROM apps WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return row ? toApp(row) : undefined;
  }

  /** Public view: never the secret, only the access keys. */
  describe(id: string): Record<string, unknown> | undefined {
    const app = this.get(id);
    if (!app) return undefined;
    const creds = (this.db.prepare('SELECT access_key, kind, state, created_at FROM credentials WHERE app_id = ?').all(id) as Record<string, unknown>[])
      .map((c) => ({ accessKey: String(c.access_key), kind: String(c.kind), state: String(c.state), createdAt: String(c.created_at) }));
    return { appId: app.id, name: app.name, tenantId: app.tenantId, state: app.state, contact: app.contact ?? null, credentials: creds, policy: this.policy(id) };
  }

  update(id: string, fields: { name?: string; contact?: string }): App | undefined {
    if (!this.get(id)) return undefined;
    if (fields.name !== undefined) this.db.prepare('UPDATE apps SET name = ? WHERE id = ?').run(fields.name, id);
    if (fields.contact !== undefined) this.db.prepare('UPDATE apps SET contact = ? WHERE id = ?').run(fields.contact, id);
    return this.get(id);
  }

  setPolicy(id: string, p: AppPolicy): void {
    const text = JSON.stringify({ operations: p.operations, keyIds: p.keyIds });
    this.db.prepare('INSERT INTO app_policies (app_id, policy, mac, updated_at) VALUES (?,?,?,?) ON CONFLICT(app_id) DO UPDATE SET policy = excluded.policy, mac = excluded.mac, updated_at = excluded.updated_at')
      .run(id, text, this.master.mac(`policy:${id}`, Buffer.from(text)), new Date().toISOString());
    this.policyCache.delete(id);
  }

  /** The app's policy; a row whose MAC does not verify yields a deny-all policy (fail closed). */
  policy(id: string): AppPolicy & { integrity: 'OK' | 'BROKEN' | 'DEFAULT' } {
    const hit = this.policyCache.get(id);
    if (hit) return hit;
    const p = this.loadPolicy(id);
    this.policyCache.set(id, p);
    return p;
  }

  private loadPolicy(id: string): AppPolicy & { integrity: 'OK' | 'BROKEN' | 'DEFAULT' } {
    const row = this.db.prepare('SELECT policy, mac FROM app_policies WHERE app_id = ?').get(id) as { policy: string; mac: Buffer } | undefined;
    if (!row) return { operations: null, keyIds: null, integrity: 'DEFAULT' };
    if (!this.opts.skipPolicyMac && !timingSafeEqualBytes(this.master.mac(`policy:${id}`, Buffer.from(row.policy)), row.mac)) return { operations: [], keyIds: [], integrity: 'BROKEN' };
    const p = JSON.parse(row.policy) as AppPolicy;
    return { operations: p.operations, keyIds: p.keyIds, integrity: 'OK' };
  }

  /**
   * Conformance hook: rewrites the stored policy text to "everything allowed" and keeps the old MAC (an attacker
   * editing the database); calling it again puts the original row back. Returns false when the app has no policy row.
   */
  tamperPolicy(id: string): boolean {
    const row = this.db.prepare('SELECT policy FROM app_policies WHERE app_id = ?').get(id) as { policy: string } | undefined;
    if (!row) return false;
    const original = this.tampered.get(id);
    if (original !== undefined) { this.tampered.delete(id); this.db.prepare('UPDATE app_policies SET policy = ? WHERE app_id = ?').run(original, id); }
    else { this.tampered.set(id, row.policy); this.db.prepare('UPDATE app_policies SET policy = ? WHERE app_id = ?').run(JSON.stringify({ operations: null, keyIds: null }), id); }
    this.policyCache.delete(id);
    return true;
  }

  first(): App | undefined {
    const row = this.db.prepare("SELECT * FROM apps WHERE state = 'ACTIVE' ORDER BY created_at LIMIT 1").get() as Record<string, unknown> | undefined;
    return row ? toApp(row) : undefined;
  }
}

function toApp(row: Record<string, unknown>): App {
  return { id: String(row.id), name: String(row.name), tenantId: String(row.tenant_id), state: String(row.state), contact: row.contact == null ? null : String(row.contact) };
}
