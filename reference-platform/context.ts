import type { Admins } from './admin/admins.ts';
import type { Apps } from './apps/apps.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { Clock } from './clock.ts';
import type { Defects } from './defects/registry.ts';
import type { Keys } from './keys/keys.ts';
import type { Metrics } from './monitor/metrics.ts';
import type { ResourcePool } from './pool/pool.ts';
import type { Db } from './store/db.ts';
import type { MasterKey } from './store/master-key.ts';

/** Everything a route needs, built once at start-up. */
export interface PlatformContext {
  db: Db;
  master: MasterKey;
  defects: Defects;
  pool: ResourcePool;
  apps: Apps;
  keys: Keys;
  audit: AuditLog;
  admins: Admins;
  clock: Clock;
  metrics: Metrics;
  /** conformance hooks (test clock, device failure, audit tampering) are served only in this mode */
  conformance: boolean;
  /** due destructions, auto-rotations and device health; run by timers and after the test clock moves */
  maintenance(): void;
}
