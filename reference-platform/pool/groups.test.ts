import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDb } from '../store/db.ts';
import { MasterKey } from '../store/master-key.ts';
import { Defects } from '../defects/registry.ts';
import { Clock } from '../clock.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { Keys } from '../keys/keys.ts';
import { Apps } from '../apps/apps.ts';
import { ResourcePool } from './pool.ts';
import { DeviceGroups } from './groups.ts';
import { ApiError } from '../api/errors.ts';

function platform(defects: string[] = []) {
  const db = openDb(':memory:');
  const master = MasterKey.openOrCreate(':memory:');
  const d = new Defects(defects);
  const pool = new ResourcePool(db, master, d, 4);
  const clock = new Clock();
  const keys = new Keys(db, pool, new AuditLog(db, master, clock, d), clock, d);
  const groups = new DeviceGroups(db, pool, d, clock);
  const apps = new Apps(db, master);
  const ac = { actor: { type: 'system' as const, id: 'test' } };
  const ids = pool.list().map((x) => x.info.id);
  return { db, pool, keys, groups, apps, ac, ids };
}
const code = (c: string) => (e: unknown) => e instanceof ApiError && e.code === c;

test('keys of a dedicated group live on its members; sync copies them under the group KEK; other groups refuse the blob', () => {
  const p = platform();
  const app = p.apps.create('a').app.id;
  const a = p.groups.create('A', 'EXCLUSIVE', [p.ids[0]!, p.ids[1]!]).groupId;
  const b = p.groups.create('B', 'SHARED', [p.ids[2]!]).groupId;
  p.groups.assignApp(app, a);
  const k = p.keys.generate(p.ac, app, 'SM4');
  assert.ok([p.ids[0], p.ids[1]].includes(k.deviceId));
  assert.equal(k.groupId, a);
  // an unassigned app never gets the EXCLUSIVE group's devices
  const other = p.apps.create('b').app.id;
  for (let i = 0; i < 4; i++) assert.ok(![p.ids[0], p.ids[1]].includes(p.keys.generate(p.ac, other, 'SM4').deviceId));
  const { blob, replicas } = p.groups.syncKey(a, k);
  assert.equal(replicas.length, 1);
  assert.deepEqual(p.groups.placementOf(k.id).map((x) => x.deviceId).sort(), [p.ids[0], p.ids[1]].sort());
  assert.throws(() => p.groups.importSync(b, blob), code('GROUP_ISOLATION'));
  // a blob relabelled for B does not verify under B's KEK
  const relabelled = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(blob, 'base64').toString()), groupId: b })).toString('base64');
  assert.throws(() => p.groups.importSync(b, relabelled), code('SYNC_BLOB_TAMPERED'));
  // one flipped bit in the envelope is refused even though every member already holds the key
  const doc = JSON.parse(Buffer.from(blob, 'base64').toString()) as { versions: { envelope: string }[] };
  const env = Buffer.from(doc.versions[0]!.envelope, 'base64');
  env[20]! ^= 1;
  doc.versions[0]!.envelope = env.toString('base64');
  assert.throws(() => p.groups.importSync(a, Buffer.from(JSON.stringify(doc)).toString('base64')), code('SYNC_BLOB_TAMPERED'));
});

test('removing the home device moves the key to its synchronised copy and zeroises the leaver; failover uses the copy', () => {
  const p = platform();
  const app = p.apps.create('a').app.id;
  const g = p.groups.create('A', 'SHARED', [p.ids[0]!, p.ids[1]!]).groupId;
  p.groups.assignApp(app, g);
  const k = p.keys.generate(p.ac, app, 'SM4');
  const home = k.deviceId;
  const peer = home === p.ids[0] ? p.ids[1]! : p.ids[0]!;
  assert.throws(() => p.groups.removeDevice(g, home), code('DEVICE_HOLDS_ONLY_COPY'));
  p.groups.syncKey(g, k);
  // failover: the home device out of service, the replica serves
  p.pool.injectFault(home, 'ERROR');
  p.pool.healthCheck();
  assert.equal(p.keys.version(p.keys.byId(k.id)!).deviceId, peer);
  p.pool.injectFault(home, undefined);
  p.pool.healthCheck();
  const slotsBefore = p.db.prepare('SELECT COUNT(*) AS n FROM device_slots WHERE device_id = ?').get(home) as { n: number };
  p.groups.removeDevice(g, home);
  const moved = p.keys.byId(k.id)!;
  assert.equal(moved.deviceId, peer);
  const slotsAfter = p.db.prepare('SELECT COUNT(*) AS n FROM device_slots WHERE device_id = ?').get(home) as { n: number };
  assert.equal(slotsBefore.n - slotsAfter.n, 2, 'the key and the group KEK left the removed device');
  assert.throws(() => p.groups.delete(g), code('GROUP_IN_USE'));
  p.groups.assignApp(app, null);
  p.groups.delete(g);
  assert.equal(p.groups.view(g), undefined);
});

test('destroying a key zeroises its synchronised copies too', () => {
  const p = platform();
  const app = p.apps.create('a').app.id;
  const g = p.groups.create('A', 'SHARED', [p.ids[0]!, p.ids[1]!]).groupId;
  p.groups.assignApp(app, g);
  const k = p.keys.generate(p.ac, app, 'SM4');
  p.groups.syncKey(g, k);
  p.keys.emergencyDestroy(p.ac, k, 'test');
  assert.deepEqual(p.groups.placementOf(k.id), []);
});

test('defect group-membership-ignored: an application\'s keys land outside its group', () => {
  const p = platform(['group-membership-ignored']);
  const app = p.apps.create('a').app.id;
  p.groups.assignApp(app, p.groups.create('A', 'EXCLUSIVE', [p.ids[0]!]).groupId);
  const placed = new Set(Array.from({ length: 4 }, () => p.keys.generate(p.ac, app, 'SM4').deviceId));
  assert.ok(placed.size > 1);
});
