import type { Admins } from './admin/admins.ts';
import type { Apps } from './apps/apps.ts';
import type { AuditLog } from './audit/audit-log.ts';
import type { Clock } from './clock.ts';
import type { Defects } from './defects/registry.ts';
import type { Keys } from './keys/keys.ts';
import type { Metrics } from './monitor/metrics.ts';
import type { PkiServices } from './ca/services.ts';
import type { ResourcePool } from './pool/pool.ts';
import type { Db } from './store/db.ts';
import type { DeviceGroups } from './pool/groups.ts';
import type { InterfaceRegistry } from './interfaces/registry.ts';
import type { PlatformIntegrity } from './integrity/integrity.ts';
import type { Supervision } from './supervision/report.ts';
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
  /** CA, RA, KM, OCSP, TSA and approvals (docs/ca-km.md); set once at start-up */
  pki?: PkiServices;
  /** device groups with per-group KEKs, key synchronisation and dedicated devices (§6.1.2, §6.1.3 c) */
  groups: DeviceGroups;
  /** lifecycle of the application-facing interfaces (§6.4 f) */
  interfaces: InterfaceRegistry;
  /** signed manifest of the platform's own software and configuration (§6.5.5 a) */
  integrity: PlatformIntegrity;
  /** signed supervision reports (§6.5.10) */
  supervision: Supervision;
  /** conformance hooks (test clock, device failure, audit tampering) are served only in this mode */
  conformance: boolean;
  /** due destructions, auto-rotations and device health; run by timers and after the test clock moves */
  maintenance(): void;
}
