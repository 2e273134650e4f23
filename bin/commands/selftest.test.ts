import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildSelftestReport, formatSelftestTable, type SelftestReport } from './selftest.ts';

const ROOT = join(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'reports/schema/selftest.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(schema);

test('gmeval selftest --json: exit 0, valid per schema, every KAT passed', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/gmeval.js'), 'selftest', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as SelftestReport;
  const valid = validate(doc);
  assert.ok(valid, JSON.stringify(validate.errors));
  assert.equal(doc.passed, true);
  assert.equal(doc.summary.failed, 0);
  assert.ok(doc.summary.total >= 17);
});

test('gmeval selftest (table): one row per KAT and a summary line', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/gmeval.js'), 'selftest'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^id\s+algorithm\s+source\s+result\s+ms/);
  assert.match(r.stdout, /sm2-sign-p256\s+SM2 签名\s+GB\/T 32918\.5-2017/);
  assert.match(r.stdout, /\d+\/\d+ passed 全部通过/);
});

test('a failed KAT makes the report fail and the table show FAIL with the detail', () => {
  const report = buildSelftestReport([
    { id: 'sm3-abc', algorithm: 'SM3', source: 'GB/T 32905-2016', passed: true, ms: 0.1 },
    { id: 'sm4-ecb-1', algorithm: 'SM4', source: 'GB/T 32907-2016', passed: false, detail: 'ciphertext: expected 68, got 00', ms: 0.2 },
  ], false, '0.1.0');
  assert.equal(report.passed, false);
  assert.deepEqual(report.summary, { total: 2, passed: 1, failed: 1 });
  const valid = validate(structuredClone(report));
  assert.ok(valid, JSON.stringify(validate.errors));
  const table = formatSelftestTable(report);
  assert.match(table, /sm4-ecb-1 .*FAIL 失败/);
  assert.match(table, /ciphertext: expected 68, got 00/);
  assert.match(table, /1 FAILED/);
});
