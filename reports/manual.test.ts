import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../catalog/index.ts';
import { InputError } from '../lib/errors.ts';
import { applyWaivers, loadManualFile, waiverState } from './manual.ts';
import { scenario } from '../test/report-fixtures.ts';

const catalog = loadCatalog();
const fx = (f: string) => fileURLToPath(new URL(`../test/fixtures/reports/${f}`, import.meta.url));

function inputError(fn: () => unknown): InputError {
  try { fn(); } catch (e) { if (e instanceof InputError) return e; throw e; }
  assert.fail('expected an InputError');
}

test('a valid attestations file loads with stable ids, evidence paths and source lines', () => {
  const m = loadManualFile(fx('attestations-ok.yaml'), catalog, 3);
  assert.equal(m.attestations.length, 2);
  assert.match(m.attestations[0]!.id, /^att-6\.1\.1-[0-9a-f]{8}$/);
  assert.equal(m.attestations[0]!.source.line, 3);
  assert.ok(m.attestations[0]!.evidenceFiles[0]!.endsWith('evidence/door-check.txt'));
  assert.deepEqual(m.waivers.map((w) => w.id), ['w-auth-active', 'w-expired']);
});

test('schema errors name file:line:column, field and the allowed values', () => {
  const e = inputError(() => loadManualFile(fx('attestations-schema-bad.yaml'), catalog, 3));
  const d = e.details.join('\n');
  assert.match(d, /attestations-schema-bad\.yaml:4:13: attestations\[0\]\.result: must be one of "符合", "部分符合", "不符合", "不适用"/);
  assert.match(d, /:7:13: attestations\[0\]\.method: must be one of "说和看"/);
  assert.match(d, /:13:14: waivers\[0\]\.expires: must match format "date-time"/);
});

test('cross-checks: unknown unit, 部分符合 without dak, D/A/K on a management unit, missing evidence, start after expiry', () => {
  const e = inputError(() => loadManualFile(fx('attestations-bad.yaml'), catalog, 3));
  const d = e.details.join('\n');
  assert.match(d, /:3:\d+: attestations\[0\]\.unit: unknown unit 6\.5\.1/);
  assert.match(d, /:9:\d+: attestations\[1\]\.result: 部分符合 on a technical unit needs dak/);
  assert.match(d, /:15:\d+: attestations\[2\]\.dak: management unit 7\.1\.1 has no D\/A\/K/);
  assert.match(d, /attestations\[3\]\.evidence\[0\]: evidence file not found: .*missing\.txt/);
  assert.match(d, /waivers\[0\]\.start: start .* is not before expires/);
  assert.equal(e.details.length, 5);
});

test('a missing file or a level that does not assess the unit is an input error', () => {
  assert.throws(() => loadManualFile(fx('nope.yaml'), catalog, 3), /file not found/);
  // 6.1.3 is not assessed at level 1
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-att-'));
  const f = join(dir, 'l1.yaml');
  writeFileSync(f, 'schemaVersion: 1\nattestations:\n  - unit: "6.1.3"\n    result: 符合\n    assessor: a\n    date: "2025-01-01"\n    method: 说和看\n');
  const e = inputError(() => loadManualFile(f, catalog, 1));
  assert.match(e.details.join('\n'), /l1\.yaml:3:\d+: attestations\[0\]\.unit: unit 6\.1\.3 is not assessed at level 1/);
  assert.doesNotThrow(() => loadManualFile(f, catalog, 3));
});

test('waivers: active ones cover matching failed scenarios, expired and pending ones are ignored but listed', () => {
  const m = loadManualFile(fx('attestations-ok.yaml'), catalog, 3);
  const now = new Date('2025-06-01T00:00:00Z');
  const s1 = scenario('x/a#00000001', ['@clause:6.2.b', '@unit:6.4.1', '@dak:D'], [['api', 'failed']]);
  const s2 = scenario('x/b#00000002', ['@clause:6.5.1', '@unit:6.4.5', '@dak:A'], [['api', 'failed']]);
  const s3 = scenario('x/c#00000003', ['@clause:6.2.b'], [['api', 'passed']]);
  const recs = applyWaivers(m.waivers, [s1, s2, s3], now);
  assert.equal(s1.waiver, 'w-auth-active');
  assert.equal(s1.status, 'failed', 'a waived result keeps its status');
  assert.equal(s2.waiver, undefined, 'the expired waiver covers nothing');
  assert.equal(s3.waiver, undefined, 'passed scenarios need no waiver');
  const byId = Object.fromEntries(recs.map((r) => [r.id, r]));
  assert.equal(byId['w-auth-active']!.state, 'active');
  assert.deepEqual(byId['w-auth-active']!.matched, ['x/a#00000001']);
  assert.equal(byId['w-expired']!.state, 'expired');
  assert.deepEqual(byId['w-expired']!.matched, ['x/b#00000002']);
  assert.equal(waiverState({ id: 'p', tag: '@x', justification: 'j', approver: 'a', start: '2030-01-01T00:00:00+08:00', expires: '2031-01-01T00:00:00+08:00' }, now), 'pending');
  // the zone matters: 2025-06-01T07:59:59+08:00 is before 00:00Z, so it has expired by then
  assert.equal(waiverState({ id: 'z', tag: '@x', justification: 'j', approver: 'a', expires: '2025-06-01T07:59:59+08:00' }, now), 'expired');
  assert.equal(waiverState({ id: 'z', tag: '@x', justification: 'j', approver: 'a', expires: '2025-06-01T08:00:01+08:00' }, now), 'active');
});

test('the attestation and waiver definitions of the profile schema and the attestations schema are the same', () => {
  const a = JSON.parse(readFileSync(fx('../../../reports/schema/attestations.schema.json'), 'utf8'));
  const p = JSON.parse(readFileSync(fx('../../../profiles/profile.schema.json'), 'utf8'));
  assert.deepEqual(p.$defs.attestation, a.$defs.attestation);
  assert.deepEqual(p.$defs.waiver, a.$defs.waiver);
});
