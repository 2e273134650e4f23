import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { MasterKey } from '../store/master-key.ts';

export interface App { id: string; name: string; tenantId: string; state: string }

/**
 * Applications and their HMAC-SM3 credentials (T/TCGIA 0003-2023 §6.2 b, g): a unique access key per
 * credential; the secret is returned once at creation and stored sealed under the master key.
 */
export class Apps {
  constructor(private readonly db: Db, private readonly master: MasterKey) {}

  create(name: string): { app: App; accessKey: string; secret: string } {
    const app: App = { id: `app-${randomUUID().slice(0, 8)}`, name, tenantId: `tenant-${randomUUID().slice(0, 8)}`, state: 'ACTIVE' };
    const accessKey = `AK${randomBytes(10).toString('hex').toUpperCase()}`;
    const secret = randomBytes(32).toString('base64url');
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO apps (id, name, tenant_id, state, created_at) VALUES (?,?,?,?,?)').run(app.id, name, app.tenantId, app.state, now);
      this.db.prepare('INSERT INTO credentials (access_key, app_id, kind, secret_sealed, state, created_at) VALUES (?,?,?,?,?,?)')
        .run(accessKey, app.id, 'HMAC_SM3', this.master.seal(Buffer.from(secret, 'utf8'), `credential:${accessKey}`), 'ACTIVE', now);
    })();
    return { app, accessKey, secret };
  }

  /** The app and its secret for an active credential, or undefined. */
  credential(accessKey: string): { app: App; secret: Buffer } | undefined {
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

  first(): App | undefined {
    const row = this.db.prepare("SELECT * FROM apps WHERE state = 'ACTIVE' ORDER BY created_at LIMIT 1").get() as Record<string, unknown> | undefined;
    return row ? { id: String(row.id), name: String(row.name), tenantId: String(row.tenant_id), state: String(row.state) } : undefined;
  }
}
