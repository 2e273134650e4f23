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
  // key lifecycle (versions, states, policies), backups with a record of every share, audit log, admins
  `ALTER TABLE keys ADD COLUMN exportable INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE keys ADD COLUMN primary_version INTEGER NOT NULL DEFAULT 1;
   ALTER TABLE keys ADD COLUMN prior_state TEXT;
   ALTER TABLE keys ADD COLUMN rotation_period_days INTEGER;
   ALTER TABLE keys ADD COLUMN next_rotation_at TEXT;
   ALTER TABLE keys ADD COLUMN destroy_at TEXT;
   ALTER TABLE keys ADD COLUMN updated_at TEXT;
   CREATE TABLE key_versions (
     key_id TEXT NOT NULL REFERENCES keys(id), version INTEGER NOT NULL, state TEXT NOT NULL,
     device_id TEXT NOT NULL, slot INTEGER NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (key_id, version));
   INSERT INTO key_versions (key_id, version, state, device_id, slot, created_at) SELECT id, 1, 'ACTIVE', device_id, slot, created_at FROM keys;
   CREATE TABLE key_backups (
     id TEXT PRIMARY KEY, key_id TEXT NOT NULL REFERENCES keys(id), app_id TEXT NOT NULL, threshold INTEGER NOT NULL,
     share_count INTEGER NOT NULL, created_at TEXT NOT NULL, restored_count INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE backup_shares (
     backup_id TEXT NOT NULL REFERENCES key_backups(id), idx INTEGER NOT NULL, custodian TEXT NOT NULL,
     custodian_public_key BLOB NOT NULL, commitment TEXT NOT NULL, issued_at TEXT NOT NULL, PRIMARY KEY (backup_id, idx));
   CREATE TABLE app_policies (app_id TEXT PRIMARY KEY REFERENCES apps(id), policy TEXT NOT NULL, mac BLOB NOT NULL, updated_at TEXT NOT NULL);
   ALTER TABLE apps ADD COLUMN contact TEXT;
   CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, entry TEXT NOT NULL, leaf_hash BLOB NOT NULL);
   CREATE TABLE audit_checkpoints (size INTEGER PRIMARY KEY, root BLOB NOT NULL, ts TEXT NOT NULL, note TEXT NOT NULL, signature BLOB NOT NULL);
   CREATE TABLE platform_secrets (name TEXT PRIMARY KEY, sealed BLOB NOT NULL, public_part BLOB);
   CREATE TABLE admins (
     id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, password_hash BLOB NOT NULL, salt BLOB NOT NULL,
     public_key BLOB NOT NULL, roles TEXT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL);`,
  // CA / RA / KM / approvals / TSA (issue 4): authorities with keys in pool devices, certificates, RA requests, CRLs,
  // KM key stores (备用库 / 在用库 / 历史库) with escrow blobs, M-of-N approvals, time-stamp serials
  `CREATE TABLE ca_authorities (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, parent_id TEXT, device_id TEXT NOT NULL, slot INTEGER NOT NULL,
     certificate BLOB NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE ca_profiles (id TEXT PRIMARY KEY, definition TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE ca_certificates (
     serial TEXT PRIMARY KEY, ca_id TEXT NOT NULL REFERENCES ca_authorities(id), kind TEXT NOT NULL, profile TEXT, subject TEXT NOT NULL,
     request_id TEXT, pair_serial TEXT, status TEXT NOT NULL, reason INTEGER, revoked_at TEXT, not_before TEXT NOT NULL,
     not_after TEXT NOT NULL, der BLOB NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE ra_operators (username TEXT PRIMARY KEY, duties TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE ra_requests (
     id TEXT PRIMARY KEY, type TEXT NOT NULL, profile TEXT NOT NULL, subject TEXT NOT NULL, csr BLOB, target_serial TEXT,
     state TEXT NOT NULL, submitted_by TEXT NOT NULL, reviewed_by TEXT, issued_by TEXT, review_note TEXT,
     sign_serial TEXT, enc_serial TEXT, enc_envelope BLOB, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE ca_crls (ca_id TEXT NOT NULL, number INTEGER NOT NULL, this_update TEXT NOT NULL, next_update TEXT NOT NULL, der BLOB NOT NULL, PRIMARY KEY (ca_id, number));
   CREATE TABLE km_keys (
     id TEXT PRIMARY KEY, state TEXT NOT NULL, public_key BLOB NOT NULL, escrow BLOB NOT NULL, escrow_format TEXT NOT NULL,
     user_cert_no TEXT UNIQUE, ca_name TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE km_tasks (ca_name TEXT NOT NULL, task_no TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (ca_name, task_no));
   CREATE TABLE approvals (
     id TEXT PRIMARY KEY, action TEXT NOT NULL, requester TEXT NOT NULL, params TEXT NOT NULL, state TEXT NOT NULL,
     required INTEGER NOT NULL, approver_roles TEXT NOT NULL, decisions TEXT NOT NULL, expires_at TEXT NOT NULL,
     created_at TEXT NOT NULL, executed_at TEXT);
   CREATE TABLE tsa_serials (serial TEXT PRIMARY KEY, gen_time TEXT NOT NULL, digest BLOB NOT NULL);`,
  // device groups with per-group KEKs and synchronised key replicas (§6.1.2), dedicated devices (§6.1.3 c),
  // interface lifecycle (§6.4 f), signed supervision reports (§6.5.10)
  `CREATE TABLE device_groups (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, isolation TEXT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL, deleted_at TEXT);
   CREATE TABLE device_group_members (
     group_id TEXT NOT NULL REFERENCES device_groups(id), device_id TEXT NOT NULL UNIQUE REFERENCES devices(id), kek_slot INTEGER NOT NULL,
     added_at TEXT NOT NULL, PRIMARY KEY (group_id, device_id));
   CREATE TABLE app_device_groups (app_id TEXT PRIMARY KEY REFERENCES apps(id), group_id TEXT NOT NULL REFERENCES device_groups(id), assigned_at TEXT NOT NULL);
   ALTER TABLE keys ADD COLUMN group_id TEXT;
   CREATE TABLE key_replicas (
     key_id TEXT NOT NULL REFERENCES keys(id), version INTEGER NOT NULL, device_id TEXT NOT NULL REFERENCES devices(id), slot INTEGER NOT NULL,
     group_id TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (key_id, version, device_id));
   CREATE TABLE api_interfaces (
     id TEXT PRIMARY KEY, method TEXT NOT NULL, path TEXT NOT NULL, version TEXT NOT NULL, state TEXT NOT NULL, history TEXT NOT NULL,
     updated_at TEXT NOT NULL, UNIQUE (method, path));
   CREATE TABLE supervision_reports (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, body TEXT NOT NULL, signature BLOB NOT NULL);`,
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
