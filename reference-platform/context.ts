import type { Apps } from './apps/apps.ts';
import type { Defects } from './defects/registry.ts';
import type { Keys } from './keys/keys.ts';
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
}
