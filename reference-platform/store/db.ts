import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Db = Database.Database;

/** Schema migrations, applied in order inside one transaction each; the version lives in user_version. */
const MIGRATIONS: string[] = [
  `CREATE TABLE devices (
     id TEXT PRIMARY KEY, model TEXT NOT NULL, vendor TEXT NOT NULL, type TEXT NOT NULL, serial TEXT NOT NULL,
     state TEXT NOT NULL, device_key_sealed BLOB NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE device_slots (
     device_id TEXT NOT NULL REFERENCES devices(id), slot INTEGER NOT NULL, kind TEXT NOT NULL,
     material_sealed BLOB NOT NULL, public_key BLOB, created_at TEXT NOT NULL, PRIMARY KEY (device_id, slot));
   CREATE TABLE apps (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, tenant_id TEXT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE credentials (
     access_key TEXT PRIMARY KEY, app_id TEXT NOT NULL REFERENCES apps(id), kind TEXT NOT NULL,
     secret_sealed BLOB NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE keys (
     id TEXT PRIMARY KEY, app_id TEXT NOT NULL REFERENCES apps(id), name TEXT, type TEXT NOT NULL, state TEXT NOT NULL,
     device_id TEXT NOT NULL REFERENCES devices(id), slot INTEGER NOT NULL, origin TEXT NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE import_tokens (
     token TEXT PRIMARY KEY, app_id TEXT NOT NULL, device_id TEXT NOT NULL, slot INTEGER NOT NULL, expires_at TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0);`,
];

/** Opens (or creates) the platform database: WAL, foreign keys, synchronous FULL so acknowledged writes survive a kill. */
export function openDb(dataDir: string | ':memory:'): Db {
  let db: Db;
  if (dataDir === ':memory:') db = new Database(':memory:');
  else {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    db = new Database(join(dataDir, 'platform.db'));
    db.pragma('journal_mode = WAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = FULL');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
