import { Apps } from './apps/apps.ts';
import { Defects } from './defects/registry.ts';
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
}

export interface RunningPlatform {
  listening: { http: string };
  defects: string[];
  /** onboards an application and returns its credential (the secret is shown only here) */
  provisionApp(name: string): { appId: string; accessKey: string; secret: string };
  close(): Promise<void>;
}

/** Starts the reference platform on loopback. Port 0 picks a free port. */
export async function startPlatform(o: PlatformOptions = {}): Promise<RunningPlatform> {
  const host = o.host ?? '127.0.0.1';
  const defects = new Defects(o.defects ?? []);
  const dataDir = o.dataDir ?? ':memory:';
  const db = openDb(dataDir);
  const master = MasterKey.openOrCreate(dataDir);
  const pool = new ResourcePool(db, master, defects, o.devices ?? 2);
  const ctx: PlatformContext = { db, master, defects, pool, apps: new Apps(db, master), keys: new Keys(db, pool) };
  const api = await buildApi(ctx, { logger: o.logger });
  await api.listen({ host, port: o.httpPort ?? 0 });
  const addr = api.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return {
    listening: { http: `http://${hostForUrl}:${port}/api/v1` },
    defects: defects.list(),
    provisionApp(name) {
      const r = ctx.apps.create(name);
      return { appId: r.app.id, accessKey: r.accessKey, secret: r.secret };
    },
    async close() {
      await api.close();
      db.close();
    },
  };
}
