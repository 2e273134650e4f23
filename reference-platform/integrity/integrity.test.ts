import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2Verify, sm3 } from '../../lib/gm/index.ts';
import { startPlatform } from '../index.ts';
import { softwareFiles } from './integrity.ts';

// §6.5.5 a: a persistent platform signs a manifest of its software and configuration at its first start and
// refuses to start (enforce), starts and reports (report) or re-baselines (rebaseline) when they change.

function fakeSoftware(): string {
  const root = mkdtempSync(join(tmpdir(), 'gmeval-sw-'));
  mkdirSync(join(root, 'api'));
  writeFileSync(join(root, 'index.ts'), 'export const x = 1;\n');
  writeFileSync(join(root, 'api', 'server.ts'), 'export const y = 2;\n');
  writeFileSync(join(root, 'api', 'server.test.ts'), 'not part of the software\n');
  return root;
}
const quietStart = (o: Parameters<typeof startPlatform>[0]) => startPlatform({ console: false, ...o });

test('the manifest lists the software files (not tests), each with its SM3, and is SM2-signed', async () => {
  const root = fakeSoftware();
  assert.deepEqual(softwareFiles(root), ['api/server.ts', 'index.ts']);
  const data = mkdtempSync(join(tmpdir(), 'gmeval-data-'));
  const p = await quietStart({ dataDir: data, integrityRoot: root, integrity: 'enforce' });
  await p.close();
  const stored = JSON.parse(readFileSync(join(data, 'integrity-manifest.json'), 'utf8')) as { manifest: string; signature: string; publicKey: string };
  const m = JSON.parse(stored.manifest) as { files: { path: string; sm3: string }[]; config: { values: { defects: string[] } } };
  assert.deepEqual(m.files.map((f) => f.path), ['api/server.ts', 'index.ts']);
  assert.equal(m.files[1]!.sm3, sm3(readFileSync(join(root, 'index.ts'))).toString('hex'));
  assert.deepEqual(m.config.values.defects, []);
  assert.ok(sm2Verify(Buffer.from(stored.publicKey, 'base64'), Buffer.from(stored.manifest, 'utf8'), Buffer.from(stored.signature, 'base64'), { format: 'der' }));
});

test('enforce: an altered file, an added file, changed configuration or an edited manifest stop the start; report starts and says MISMATCH; rebaseline accepts', async () => {
  const root = fakeSoftware();
  const data = mkdtempSync(join(tmpdir(), 'gmeval-data-'));
  await (await quietStart({ dataDir: data, integrityRoot: root })).close();
  // unchanged: starts
  await (await quietStart({ dataDir: data, integrityRoot: root, integrity: 'enforce' })).close();

  appendFileSync(join(root, 'api', 'server.ts'), '// patched\n');
  await assert.rejects(quietStart({ dataDir: data, integrityRoot: root, integrity: 'enforce' }), /integrity check failed: 1 item\(s\) differ.*api\/server\.ts.*GMEVAL_INTEGRITY=rebaseline/s);
  const reported = await quietStart({ dataDir: data, integrityRoot: root, integrity: 'report' });
  await reported.close();
  await (await quietStart({ dataDir: data, integrityRoot: root, integrity: 'rebaseline' })).close();
  await (await quietStart({ dataDir: data, integrityRoot: root, integrity: 'enforce' })).close();

  writeFileSync(join(root, 'extra.ts'), 'export {};\n');
  await assert.rejects(quietStart({ dataDir: data, integrityRoot: root, integrity: 'enforce' }), /extra\.ts/);
  await (await quietStart({ dataDir: data, integrityRoot: root, integrity: 'rebaseline' })).close();

  await assert.rejects(quietStart({ dataDir: data, integrityRoot: root, integrity: 'enforce', defects: ['weak-rng'] }), /\(configuration\)/);

  const f = join(data, 'integrity-manifest.json');
  const stored = JSON.parse(readFileSync(f, 'utf8')) as { manifest: string };
  stored.manifest = stored.manifest.replace(/"sm3":"[0-9a-f]{64}"/, `"sm3":"${'0'.repeat(64)}"`);
  writeFileSync(f, JSON.stringify(stored));
  await assert.rejects(quietStart({ dataDir: data, integrityRoot: root, integrity: 'enforce' }), /signature does not verify/);
});

test('the defect integrity-check-skipped reports OK for an altered file', async () => {
  const root = fakeSoftware();
  const data = mkdtempSync(join(tmpdir(), 'gmeval-data-'));
  await (await quietStart({ dataDir: data, integrityRoot: root, defects: ['integrity-check-skipped'] })).close();
  appendFileSync(join(root, 'index.ts'), '// patched\n');
  const p = await quietStart({ dataDir: data, integrityRoot: root, integrity: 'enforce', defects: ['integrity-check-skipped'] });
  await p.close();
});
