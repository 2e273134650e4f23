import { Admins } from './admin/admins.ts';
import { Apps } from './apps/apps.ts';
import { AuditLog } from './audit/audit-log.ts';
import { Clock } from './clock.ts';
import { Metrics } from './monitor/metrics.ts';
import { sm2GenerateKeyPair, sm2PrivateKeyToPem } from '../lib/gm/index.ts';
import { randomBytes } from 'node:crypto';
import { Defects } from './defects/registry.ts';
import { SdfEndpoint } from './sdf-endpoint/server.ts';
import { Keys } from './keys/keys.ts';
import { ResourcePool } from './pool/pool.ts';
import { openDb } from './store/db.ts';
import { MasterKey } from './store/master-key.ts';
import { buildApi } from './api/server.ts';
import type { PlatformContext } from './context.ts';

export { DEFECTS, defectNames } from './defects/registry.ts';

export interface PlatformOptions {
  host?: string;
  httpPort?: number;
  defects?: string[];
  /** data directory; ':memory:' (default) keeps nothing after close */
  dataDir?: string;
  devices?: number;
  logger?: boolean;
  /** serve the conformance hooks (test clock, device failure, audit tampering); default: CSP_CONFORMANCE_MODE=1 */
  conformance?: boolean;
  /** port of the SDF device endpoint (GM/T 0018 over TCP, docs/sdf.md); 0 = a free port */
  sdfPort?: number;
  /** private-key access password of the endpoint's key indices; default: random per start */
  sdfPin?: string;
}

/** An administrator account with its soft SM2 "smart key"; secrets live only in this object. */
export interface ProvisionedAdmin { username: string; password: string; privateKeyPem: string; roles: string[] }

export interface RunningPlatform {
  listening: { http: string; sdf: string };
  defects: string[];
  /** the SDF endpoint's private-key access password (shown only here, like a credential) */
  sdfPin: string;
  /** onboards an application and returns its credential (the secret is shown only here) */
  provisionApp(name: string): { appId: string; accessKey: string; secret: string };
  /** creates an administrator with a fresh password and SM2 key pair (returned once, never stored in clear) */
  provisionAdmin(username: string, roles: string[]): ProvisionedAdmin;
  /** whether an access key is an active credential (a restarted platform keeps its applications) */
  credentialValid(accessKey: string): boolean;
  close(): Promise<void>;
}

/** Starts the reference platform on loopback. Port 0 picks a free port. */
export async function startPlatform(o: PlatformOptions = {}): Promise<RunningPlatform> {
  const host = o.host ?? '127.0.0.1';
  const defects = new Defects(o.defects ?? []);
  const dataDir = o.dataDir ?? ':memory:';
  const db = openDb(dataDir);
  const master = MasterKey.openOrCreate(dataDir);
  const pool = new ResourcePool(db, master, defects, o.devices ?? 3);
  const clock = new Clock();
  const audit = new AuditLog(db, master, clock, defects);
  const keys = new Keys(db, pool, audit, clock, defects);
  const system = { actor: { type: 'system' as const, id: 'platform' } };
  const ctx: PlatformContext = {
    db, master, defects, pool, apps: new Apps(db, master), keys, audit, admins: new Admins(db, defects), clock, metrics: new Metrics(),
    conformance: o.conformance ?? process.env.CSP_CONFORMANCE_MODE === '1',
    maintenance() {
      const changes = pool.healthCheck();
      if (changes.length) audit.append({ ...system, action: 'POOL_HEALTH_CHECK', outcome: 'SUCCESS', details: { changes } });
      keys.sweep(system);
    },
  };
  const timer = setInterval(() => {
    try { ctx.maintenance(); } catch { /* retried at the next tick */ }
  }, 5_000);
  timer.unref();
  const api = await buildApi(ctx, { logger: o.logger });
  await api.listen({ host, port: o.httpPort ?? 0 });
  const addr = api.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const sdfPin = o.sdfPin ?? randomBytes(12).toString('base64url');
  const sdf = new SdfEndpoint({ host, port: o.sdfPort ?? 0, pin: sdfPin, db, pool, defects });
  const sdfUrl = await sdf.listen();
  return {
    listening: { http: `http://${hostForUrl}:${port}/api/v1`, sdf: sdfUrl },
    defects: defects.list(),
    sdfPin,
    provisionApp(name) {
      const r = ctx.apps.create(name);
      return { appId: r.app.id, accessKey: r.accessKey, secret: r.secret };
    },
    credentialValid(accessKey) {
      return !!ctx.apps.credential(accessKey);
    },
    provisionAdmin(username, roles) {
      const kp = sm2GenerateKeyPair();
      const password = randomBytes(18).toString('base64url');
      ctx.admins.create(username, password, kp.publicKey, roles);
      return { username, password, privateKeyPem: sm2PrivateKeyToPem(kp), roles };
    },
    async close() {
      clearInterval(timer);
      await sdf.close();
      await api.close();
      db.close();
    },
  };
}
