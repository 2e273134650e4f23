import { randomBytes, randomUUID } from 'node:crypto';
import { sm3 } from '../../lib/gm/index.ts';
import type { Db } from '../store/db.ts';
import type { Defects } from '../defects/registry.ts';
import type { Clock } from '../clock.ts';
import { IMPORT_SLOT, type SoftSdfDevice } from '../devices/soft-sdf.ts';
import { SdfError } from '../devices/sdr.ts';
import { ApiError } from '../api/errors.ts';
import type { ResourcePool } from './pool.ts';
import type { KeyRecord } from '../keys/keys.ts';

export type Isolation = 'EXCLUSIVE' | 'SHARED';
export interface GroupView {
  groupId: string; name: string; isolation: Isolation; state: string; createdAt: string;
  members: { deviceId: string; state: string }[]; apps: string[]; replicas: number;
}
export interface Replica { keyId: string; version: number; deviceId: string }

const SYNC_FORMAT = 'gmeval-key-sync-1';
const ALL_KINDS = ['sm4', 'hmac-sm3', 'sm2-sign', 'sm2-enc'];

/**
 * Device groups (T/TCGIA 0003-2023 §6.1.2) and dedicated devices (§6.1.3 c). Every group has its own key-
 * encryption key (KEK), generated inside one member and passed device-to-device (SM2 to the receiver's import
 * key) to every other member; a device belongs to at most one group. A key belongs to the group of the
 * application that made it. Synchronisation copies a key to the other members as an SM4-CBC + HMAC-SM3
 * envelope under the group KEK whose MAC covers group, key and version — so a sync blob cannot be read,
 * altered or opened by another group's devices (isolation, §6.1.2 c). A device leaving a group loses the
 * group's KEK and every copy of the group's keys it held.
 */
export class DeviceGroups {
  constructor(private readonly db: Db, private readonly pool: ResourcePool, private readonly defects: Defects, private readonly clock: Clock) {
    pool.placement = { devicesFor: (appId) => this.devicesFor(appId), groupOf: (appId) => this.groupOf(appId) };
  }

  private tx<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private row(id: string): { id: string; name: string; isolation: Isolation; state: string; created_at: string } | undefined {
    return this.db.prepare("SELECT * FROM device_groups WHERE id = ? AND state != 'DELETED'").get(id) as never;
  }

  private members(groupId: string): { device_id: string; kek_slot: number }[] {
    return this.db.prepare('SELECT device_id, kek_slot FROM device_group_members WHERE group_id = ? ORDER BY added_at, device_id').all(groupId) as never;
  }

  private must(id: string) {
    const g = this.row(id);
    if (!g) throw new ApiError(404, 'GROUP_NOT_FOUND', `no device group ${id}`);
    return g;
  }

  view(id: string): GroupView | undefined {
    const g = this.row(id);
    if (!g) return undefined;
    const apps = (this.db.prepare('SELECT app_id FROM app_device_groups WHERE group_id = ?').all(id) as { app_id: string }[]).map((a) => a.app_id);
    const replicas = (this.db.prepare('SELECT COUNT(*) AS n FROM key_replicas WHERE group_id = ?').get(id) as { n: number }).n;
    return {
      groupId: g.id, name: g.name, isolation: g.isolation, state: g.state, createdAt: g.created_at, apps, replicas,
      members: this.members(id).map((m) => ({ deviceId: m.device_id, state: this.pool.find(m.device_id)?.info.state ?? 'UNKNOWN' })),
    };
  }

  list(): GroupView[] {
    return (this.db.prepare("SELECT id FROM device_groups WHERE state != 'DELETED' ORDER BY created_at").all() as { id: string }[]).map((r) => this.view(r.id)!);
  }

  create(name: string, isolation: Isolation, deviceIds: string[]): GroupView {
    if (!deviceIds.length) throw new ApiError(400, 'INVALID_ARGUMENT', 'a group needs at least one device');
    const id = `grp-${randomUUID().slice(0, 8)}`;
    this.tx(() => {
      this.db.prepare('INSERT INTO device_groups (id, name, isolation, state, created_at) VALUES (?,?,?,?,?)').run(id, name, isolation, 'ACTIVE', this.clock.iso());
      for (const d of [...new Set(deviceIds)]) this.join(id, d);
    });
    return this.view(id)!;
  }

  /** Adds a device: it receives the group KEK from a current member (or generates it, for the first member). */
  addDevice(groupId: string, deviceId: string): GroupView {
    this.must(groupId);
    this.tx(() => this.join(groupId, deviceId));
    return this.view(groupId)!;
  }

  private join(groupId: string, deviceId: string): void {
    const dev = this.device(deviceId);
    const other = this.db.prepare('SELECT group_id FROM device_group_members WHERE device_id = ?').get(deviceId) as { group_id: string } | undefined;
    if (other) throw new ApiError(409, 'DEVICE_IN_GROUP', `device ${deviceId} already belongs to group ${other.group_id}`);
    const source = this.members(groupId)[0];
    let kekSlot: number;
    if (this.defects.has('group-isolation-broken')) {
      // defect: one platform-wide "sync key" serves as every group's KEK
      kekSlot = dev.importMaterial('sm4', sm3(Buffer.from('gmeval platform-wide sync key')).subarray(0, 16));
    } else if (source) {
      const from = this.device(source.device_id);
      kekSlot = dev.importWrappedKey(from.wrapToDevice(source.kek_slot, dev.exportPublicKey(IMPORT_SLOT)), 'sm4');
    } else kekSlot = dev.generateSymmetricKey('sm4');
    this.db.prepare('INSERT INTO device_group_members (group_id, device_id, kek_slot, added_at) VALUES (?,?,?,?)').run(groupId, deviceId, kekSlot, this.clock.iso());
  }

  /**
   * Removes a device: its copy of the KEK and every synchronised copy it held are destroyed. A group key whose
   * home is this device moves to a synchronised copy on another member; with no such copy the removal is refused.
   */
  removeDevice(groupId: string, deviceId: string): GroupView {
    this.must(groupId);
    this.tx(() => {
      const m = this.db.prepare('SELECT kek_slot FROM device_group_members WHERE group_id = ? AND device_id = ?').get(groupId, deviceId) as { kek_slot: number } | undefined;
      if (!m) throw new ApiError(404, 'NOT_A_MEMBER', `device ${deviceId} is not in group ${groupId}`);
      const dev = this.device(deviceId);
      const homed = this.db.prepare(
        "SELECT v.key_id, v.version, v.slot FROM key_versions v JOIN keys k ON k.id = v.key_id WHERE k.group_id = ? AND v.device_id = ? AND v.state != 'DESTROYED'",
      ).all(groupId, deviceId) as { key_id: string; version: number; slot: number }[];
      for (const h of homed) {
        const r = this.db.prepare('SELECT device_id, slot FROM key_replicas WHERE key_id = ? AND version = ? AND device_id != ? LIMIT 1').get(h.key_id, h.version, deviceId) as { device_id: string; slot: number } | undefined;
        if (!r) throw new ApiError(409, 'DEVICE_HOLDS_ONLY_COPY', `device ${deviceId} holds the only copy of key ${h.key_id} v${h.version}: synchronise the key inside the group first`);
        this.db.prepare('UPDATE key_versions SET device_id = ?, slot = ? WHERE key_id = ? AND version = ?').run(r.device_id, r.slot, h.key_id, h.version);
        this.db.prepare('UPDATE keys SET device_id = ?, slot = ? WHERE id = ? AND primary_version = ?').run(r.device_id, r.slot, h.key_id, h.version);
        this.db.prepare('DELETE FROM key_replicas WHERE key_id = ? AND version = ? AND device_id = ?').run(h.key_id, h.version, r.device_id);
        dev.destroySlot(Number(h.slot));
      }
      for (const r of this.db.prepare('SELECT slot FROM key_replicas WHERE group_id = ? AND device_id = ?').all(groupId, deviceId) as { slot: number }[]) dev.destroySlot(Number(r.slot));
      this.db.prepare('DELETE FROM key_replicas WHERE group_id = ? AND device_id = ?').run(groupId, deviceId);
      dev.destroySlot(Number(m.kek_slot));
      this.db.prepare('DELETE FROM device_group_members WHERE group_id = ? AND device_id = ?').run(groupId, deviceId);
    });
    return this.view(groupId)!;
  }

  /** Deletes a group no application uses: KEKs and synchronised copies are destroyed; home copies of keys stay. */
  delete(groupId: string): void {
    this.must(groupId);
    this.tx(() => {
      const apps = this.db.prepare('SELECT app_id FROM app_device_groups WHERE group_id = ?').all(groupId) as { app_id: string }[];
      if (apps.length) throw new ApiError(409, 'GROUP_IN_USE', `group ${groupId} is assigned to ${apps.map((a) => a.app_id).join(', ')}`);
      for (const r of this.db.prepare('SELECT device_id, slot FROM key_replicas WHERE group_id = ?').all(groupId) as { device_id: string; slot: number }[]) this.pool.find(r.device_id)?.destroySlot(Number(r.slot));
      this.db.prepare('DELETE FROM key_replicas WHERE group_id = ?').run(groupId);
      for (const m of this.members(groupId)) this.pool.find(m.device_id)?.destroySlot(Number(m.kek_slot));
      this.db.prepare('DELETE FROM device_group_members WHERE group_id = ?').run(groupId);
      this.db.prepare("UPDATE device_groups SET state = 'DELETED', deleted_at = ? WHERE id = ?").run(this.clock.iso(), groupId);
    });
  }

  /** Dedicates a group's devices to an application (null: back to the shared pool). EXCLUSIVE groups serve one app. */
  assignApp(appId: string, groupId: string | null): void {
    this.tx(() => {
      if (groupId) {
        const g = this.must(groupId);
        const others = (this.db.prepare('SELECT app_id FROM app_device_groups WHERE group_id = ? AND app_id != ?').all(groupId, appId) as { app_id: string }[]);
        if (g.isolation === 'EXCLUSIVE' && others.length) throw new ApiError(409, 'GROUP_EXCLUSIVE', `group ${groupId} is dedicated to ${others[0]!.app_id}`);
        this.db.prepare('INSERT INTO app_device_groups (app_id, group_id, assigned_at) VALUES (?,?,?) ON CONFLICT(app_id) DO UPDATE SET group_id = excluded.group_id, assigned_at = excluded.assigned_at').run(appId, groupId, this.clock.iso());
      } else this.db.prepare('DELETE FROM app_device_groups WHERE app_id = ?').run(appId);
    });
  }

  groupOf(appId: string): string | null {
    return (this.db.prepare('SELECT group_id FROM app_device_groups WHERE app_id = ?').get(appId) as { group_id: string } | undefined)?.group_id ?? null;
  }

  /** The devices an application's new keys may go to: its group's members, else those no EXCLUSIVE group reserves. */
  devicesFor(appId: string): SoftSdfDevice[] {
    // defect group-membership-ignored: placement ignores groups and dedication altogether
    if (this.defects.has('group-membership-ignored')) return this.pool.list();
    const g = this.groupOf(appId);
    if (g) return this.members(g).map((m) => this.pool.find(m.device_id)).filter((d): d is SoftSdfDevice => !!d);
    const reserved = new Set((this.db.prepare(
      "SELECT m.device_id FROM device_group_members m JOIN device_groups g ON g.id = m.group_id WHERE g.isolation = 'EXCLUSIVE' AND g.state = 'ACTIVE'",
    ).all() as { device_id: string }[]).map((r) => r.device_id));
    return this.pool.list().filter((d) => !reserved.has(d.info.id));
  }

  /**
   * Synchronises a key of the group to every other member (§6.1.2 d). Returns the sync blob (what travels between
   * devices: never the key in clear) and the replicas made.
   */
  syncKey(groupId: string, key: KeyRecord): { blob: string; replicas: Replica[] } {
    this.must(groupId);
    if (key.groupId !== groupId && !this.defects.has('group-isolation-broken')) throw new ApiError(403, 'GROUP_ISOLATION', `key ${key.id} does not belong to group ${groupId}`);
    const versions = (this.db.prepare("SELECT version, device_id, slot FROM key_versions WHERE key_id = ? AND state != 'DESTROYED' ORDER BY version").all(key.id) as { version: number; device_id: string; slot: number }[]);
    const kekOf = new Map(this.members(groupId).map((m) => [m.device_id, Number(m.kek_slot)]));
    const entries = versions.map((v) => {
      const kek = kekOf.get(v.device_id);
      if (kek === undefined) throw new ApiError(409, 'KEY_NOT_ON_MEMBER', `key ${key.id} v${v.version} lives on ${v.device_id}, which is not a member of ${groupId}`);
      const dev = this.device(v.device_id);
      const header = syncHeader(groupId, key.id, v.version);
      if (this.defects.has('group-isolation-broken')) {
        // defect: the "protected" sync carries the key in clear with a bare digest anyone can recompute
        const m = dev.materialForBackup(Number(v.slot));
        const clear = Buffer.from(JSON.stringify({ kind: m.kind, material: m.material.toString('base64'), publicKey: m.publicKey?.toString('base64') }));
        return { version: v.version, clear: clear.toString('base64'), digest: sm3(Buffer.from(header), clear).toString('hex') };
      }
      return { version: v.version, envelope: dev.wrapForSync(Number(v.slot), kek, header).toString('base64') };
    });
    const blob = Buffer.from(JSON.stringify({ format: SYNC_FORMAT, groupId, keyId: key.id, versions: entries, nonce: randomBytes(8).toString('hex') })).toString('base64');
    return { blob, replicas: this.importSync(groupId, blob) };
  }

  /** Opens a sync blob on every member of `groupId` lacking the key; a blob of another group or an altered one is refused. */
  importSync(groupId: string, blobB64: string): Replica[] {
    this.must(groupId);
    let p: { format?: string; groupId?: string; keyId?: string; versions?: { version: number; envelope?: string; clear?: string; digest?: string }[] };
    try { p = JSON.parse(Buffer.from(blobB64, 'base64').toString('utf8')); } catch { throw new ApiError(400, 'BAD_SYNC_BLOB', 'not a gmeval key sync blob'); }
    if (p.format !== SYNC_FORMAT || typeof p.groupId !== 'string' || typeof p.keyId !== 'string' || !Array.isArray(p.versions)) throw new ApiError(400, 'BAD_SYNC_BLOB', 'not a gmeval key sync blob');
    const broken = this.defects.has('group-isolation-broken');
    if (p.groupId !== groupId && !broken) throw new ApiError(403, 'GROUP_ISOLATION', `the sync blob belongs to group ${p.groupId}; group ${groupId} cannot open it`);
    const key = this.db.prepare('SELECT id FROM keys WHERE id = ?').get(p.keyId) as { id: string } | undefined;
    if (!key) throw new ApiError(404, 'KEY_NOT_FOUND', `no key ${p.keyId}`);
    const made: Replica[] = [];
    this.tx(() => {
      for (const m of this.members(groupId)) {
        const dev = this.device(m.device_id);
        for (const v of p.versions!) {
          const version = Number(v.version);
          const home = this.db.prepare('SELECT 1 FROM key_versions WHERE key_id = ? AND version = ? AND device_id = ?').get(p.keyId, version, m.device_id);
          const have = this.db.prepare('SELECT 1 FROM key_replicas WHERE key_id = ? AND version = ? AND device_id = ?').get(p.keyId, version, m.device_id);
          const header = syncHeader(p.groupId!, p.keyId!, version);
          let slot: number;
          if (home || have) {
            // already here: still verified, so an altered blob is refused even when it would change nothing
            if (typeof v.envelope === 'string') this.open(dev, Number(m.kek_slot), header, v.envelope, version, groupId, true);
            continue;
          }
          if (typeof v.clear === 'string') {
            if (!broken) throw new ApiError(400, 'SYNC_BLOB_TAMPERED', 'sync entry is not an envelope under the group KEK');
            const clear = Buffer.from(v.clear, 'base64');
            if (sm3(Buffer.from(header), clear).toString('hex') !== v.digest) throw new ApiError(400, 'SYNC_BLOB_TAMPERED', 'sync entry digest does not match');
            const c = JSON.parse(clear.toString('utf8')) as { kind: string; material: string; publicKey?: string };
            if (!ALL_KINDS.includes(c.kind)) throw new ApiError(400, 'BAD_SYNC_BLOB', 'unknown key kind');
            slot = dev.importMaterial(c.kind as never, Buffer.from(c.material, 'base64'), c.publicKey ? Buffer.from(c.publicKey, 'base64') : undefined);
          } else slot = this.open(dev, Number(m.kek_slot), header, String(v.envelope ?? ''), version, groupId, false)!;
          this.db.prepare('INSERT INTO key_replicas (key_id, version, device_id, slot, group_id, created_at) VALUES (?,?,?,?,?,?)').run(p.keyId, version, m.device_id, slot, groupId, this.clock.iso());
          made.push({ keyId: p.keyId!, version, deviceId: m.device_id });
        }
      }
    });
    return made;
  }

  private open(dev: SoftSdfDevice, kek: number, header: string, envelope: string, version: number, groupId: string, checkOnly: boolean): number | undefined {
    try {
      const blob = Buffer.from(envelope, 'base64');
      if (checkOnly) return void dev.checkSync(kek, header, blob);
      return dev.unwrapFromSync(kek, header, blob);
    } catch (e) {
      if (e instanceof SdfError && (e.sdr === 'SDR_MACERR' || e.sdr === 'SDR_ENCDATAERR')) throw new ApiError(400, 'SYNC_BLOB_TAMPERED', `sync envelope for v${version} does not verify under the KEK of group ${groupId} (${e.sdr})`);
      throw e;
    }
  }

  /** Where the copies of a key are: home device per version, and synchronised replicas. */
  placementOf(keyId: string): { version: number; deviceId: string; replica: boolean }[] {
    const home = (this.db.prepare("SELECT version, device_id FROM key_versions WHERE key_id = ? AND state != 'DESTROYED'").all(keyId) as { version: number; device_id: string }[]).map((r) => ({ version: r.version, deviceId: r.device_id, replica: false }));
    const reps = (this.db.prepare('SELECT version, device_id FROM key_replicas WHERE key_id = ?').all(keyId) as { version: number; device_id: string }[]).map((r) => ({ version: r.version, deviceId: r.device_id, replica: true }));
    return [...home, ...reps];
  }

  private device(id: string): SoftSdfDevice {
    const d = this.pool.find(id);
    if (!d) throw new ApiError(404, 'DEVICE_NOT_FOUND', `no device ${id} in the pool`);
    return d;
  }
}

/** What the sync envelope's MAC binds: the format, the group, the key and the version. */
function syncHeader(groupId: string, keyId: string, version: number): string {
  return `${SYNC_FORMAT}|${groupId}|${keyId}|v${version}`;
}
