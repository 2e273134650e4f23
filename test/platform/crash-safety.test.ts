import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { sm2Encrypt, sm2GenerateKeyPair } from '../../lib/gm/index.ts';
import { HttpAdapter } from '../../probes/adapters/http/http-adapter.ts';
import { loadMapping } from '../../probes/adapters/http/mapping.ts';

// Crash safety (issue 3): `gmeval platform start --data DIR` is SIGKILLed inside a rotation, an import and
// a backup (at a crash point between the device write and the metadata commit); after a restart no key is
// lost and no half-done state remains.

const ROOT = new URL('../../', import.meta.url).pathname;
const mapping = loadMapping(join(ROOT, 'profiles/adapters/reference.yaml')).mapping;

interface Running { child: ChildProcess; api: HttpAdapter; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }

async function start(dir: string, crashAt?: string): Promise<Running> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/gmeval.js'), 'platform', 'start', '--data', dir], {
    env: { ...process.env, CSP_CONFORMANCE_MODE: '1', ...(crashAt ? { GMEVAL_CRASH_AT: crashAt } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', () => reject(new Error('platform exited before listening')));
  });
  const info = JSON.parse(line) as { listening: { http: string }; credentialFile: string };
  const cred = JSON.parse(readFileSync(info.credentialFile, 'utf8')) as { accessKey: string; secret: string };
  return { child, exited, api: new HttpAdapter({ name: 'crash', baseUrl: info.listening.http, mapping, accessKey: cred.accessKey, secret: cred.secret, timeoutMs: 5000 }) };
}

async function stop(p: Running): Promise<void> {
  p.child.kill('SIGTERM');
  await p.exited;
}

/** A crash point was hit: the request gets no answer and the process died of SIGKILL. */
async function crashes(p: Running, op: string, input: Record<string, unknown>): Promise<void> {
  await assert.rejects(p.api.call(op, input as never));
  assert.equal((await p.exited).signal, 'SIGKILL');
}

/** No half-done state: every stored key slot belongs to a key version, every version has its slot. */
function assertConsistent(dir: string): { keys: number; backups: number; shares: number } {
  const db = new Database(join(dir, 'platform.db'), { readonly: true });
  try {
    // every slot has an owner: a key version, a replica in a device group, a group's sync KEK, a CA key, the KM KEK
    const orphanSlots = db.prepare(`SELECT COUNT(*) AS n FROM device_slots s WHERE s.slot != 0
      AND NOT EXISTS (SELECT 1 FROM key_versions v WHERE v.device_id = s.device_id AND v.slot = s.slot)
      AND NOT EXISTS (SELECT 1 FROM key_replicas r WHERE r.device_id = s.device_id AND r.slot = s.slot)
      AND NOT EXISTS (SELECT 1 FROM device_group_members g WHERE g.device_id = s.device_id AND g.kek_slot = s.slot)
      AND NOT EXISTS (SELECT 1 FROM ca_authorities c WHERE c.device_id = s.device_id AND c.slot = s.slot)
      AND NOT EXISTS (SELECT 1 FROM platform_secrets p WHERE p.name = 'km-kek'
        AND json_extract(CAST(p.public_part AS TEXT), '$.deviceId') = s.device_id AND json_extract(CAST(p.public_part AS TEXT), '$.slot') = s.slot)`).get() as { n: number };
    const missingSlots = db.prepare("SELECT COUNT(*) AS n FROM key_versions v WHERE v.state != 'DESTROYED' AND NOT EXISTS (SELECT 1 FROM device_slots s WHERE s.device_id = v.device_id AND s.slot = v.slot)").get() as { n: number };
    const badPrimary = db.prepare('SELECT COUNT(*) AS n FROM keys k WHERE NOT EXISTS (SELECT 1 FROM key_versions v WHERE v.key_id = k.id AND v.version = k.primary_version)').get() as { n: number };
    const danglingShares = db.prepare('SELECT COUNT(*) AS n FROM backup_shares s WHERE NOT EXISTS (SELECT 1 FROM key_backups b WHERE b.id = s.backup_id)').get() as { n: number };
    assert.deepEqual({ orphanSlots: orphanSlots.n, missingSlots: missingSlots.n, badPrimary: badPrimary.n, danglingShares: danglingShares.n }, { orphanSlots: 0, missingSlots: 0, badPrimary: 0, danglingShares: 0 });
    return {
      keys: (db.prepare('SELECT COUNT(*) AS n FROM keys').get() as { n: number }).n,
      backups: (db.prepare('SELECT COUNT(*) AS n FROM key_backups').get() as { n: number }).n,
      shares: (db.prepare('SELECT COUNT(*) AS n FROM backup_shares').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

test('SIGKILL inside rotation, import and backup loses no key and leaves no half-done state', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-crash-'));
  let p = await start(dir);
  const gen = await p.api.call('generateKey', { type: 'SM4', name: 'survivor' });
  assert.ok(gen.ok, JSON.stringify(gen.error));
  const keyId = String(gen.output.keyId);
  const plaintext = Buffer.from('data that must stay decryptable');
  const enc = await p.api.call('encryptData', { keyId, plaintext });
  assert.ok(enc.ok);
  const params = await p.api.call('getImportParameters', {});
  assert.ok(params.ok);
  await stop(p);
  const before = assertConsistent(dir);

  // 1. rotation: killed after the new version's slot and row were written, before the key row moved on
  p = await start(dir, 'rotate:after-new-version');
  await crashes(p, 'rotateKey', { keyId });
  p = await start(dir);
  let meta = await p.api.call('getKey', { keyId });
  assert.equal(meta.output.primaryVersion, 1);
  assert.deepEqual(meta.output.versions, [{ version: 1, state: 'ACTIVE' }]);
  const dec = await p.api.call('decryptData', { keyId, ciphertext: enc.output.ciphertext });
  assert.deepEqual(dec.output.plaintext, plaintext);
  const rot = await p.api.call('rotateKey', { keyId });
  assert.equal(rot.output.primaryVersion, 2, 'rotation works after the restart');
  await stop(p);

  // 2. import: killed after the key was unwrapped into a device slot, before its metadata was written
  const known = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const wrappedKey = sm2Encrypt(params.output.wrappingPublicKey as Buffer, known, { format: 'der' });
  p = await start(dir, 'import:after-slot');
  await crashes(p, 'importKey', { type: 'SM4', wrappedKey, importToken: params.output.importToken });
  assert.equal(assertConsistent(dir).keys, before.keys, 'no half-imported key');
  p = await start(dir);
  const imp = await p.api.call('importKey', { type: 'SM4', wrappedKey, importToken: params.output.importToken });
  assert.ok(imp.ok, `the unused import token still works after the crash: ${JSON.stringify(imp.error)}`);
  await stop(p);

  // 3. backup: killed after every share was recorded, before the backup was returned or audited
  const custodians = [1, 2, 3].map((i) => ({ name: `c${i}`, publicKey: sm2GenerateKeyPair().publicKey.toString('base64') }));
  p = await start(dir, 'backup:after-shares-recorded');
  await crashes(p, 'backupKey', { keyId, threshold: 2, custodians });
  const after = assertConsistent(dir);
  assert.deepEqual([after.backups, after.shares], [0, 0], 'no share record survives without its backup');
  p = await start(dir);
  meta = await p.api.call('getKey', { keyId });
  assert.equal(meta.output.primaryVersion, 2);
  const dec2 = await p.api.call('decryptData', { keyId, ciphertext: enc.output.ciphertext });
  assert.deepEqual(dec2.output.plaintext, plaintext, 'version 1 ciphertext still decrypts after every crash');
  const bk = await p.api.call('backupKey', { keyId, threshold: 2, custodians });
  assert.ok(bk.ok, JSON.stringify(bk.error));
  await stop(p);
  assert.deepEqual(assertConsistent(dir).shares, 3);
});
