import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { gmeval, ROOT } from '../../test/cli.ts';
import { buildSoftSdf, gccAvailable, SOFTSDF_PIN } from '../../test/fixtures/sdf/build.ts';

const skip = gccAvailable() ? false : 'gcc is not installed: the C fixture library cannot be built (CI has gcc)';
const env = { GMEVAL_SDF_PIN: SOFTSDF_PIN };
// a PIN that cannot occur inside hex output, to prove it never reaches the answers
const DISTINCT_PIN = 'pin-Zq9-not-hex';
const schema = (name: string) => {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'reports/schema/sdf-result.schema.json'), 'utf8')));
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, `reports/schema/${name}.schema.json`), 'utf8')));
};

test('gmeval sdf vectors | answer | judge: the offline loop on the fixture library, with dispositions and exit codes', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-sdf-cli-'));
  const lib = await buildSoftSdf({ name: 'distinct-pin', extra: [`-DSOFTSDF_PIN="${DISTINCT_PIN}"`] });
  writeFileSync(join(dir, 'caps.txt'), 'sm3\nsm4, sm2-sign\n# comment\nfile\n');
  const v = gmeval(['sdf', 'vectors', '--capabilities', join(dir, 'caps.txt'), '--out', join(dir, 'req.json')]);
  assert.equal(v.code, 0, v.stderr);
  const req = JSON.parse(readFileSync(join(dir, 'req.json'), 'utf8'));
  assert.deepEqual(req.testGroups.map((g: { kind: string }) => g.kind), ['sm3', 'sm4', 'sm2-sign', 'file']);
  const a = gmeval(['sdf', 'answer', '--lib', lib, join(dir, 'req.json')], { env: { GMEVAL_SDF_PIN: DISTINCT_PIN } });
  assert.equal(a.code, 0, a.stderr);
  assert.ok(!a.stdout.includes(DISTINCT_PIN) && !a.stderr.includes(DISTINCT_PIN), 'the PIN never appears in the answers');
  writeFileSync(join(dir, 'resp.json'), a.stdout);
  const j = gmeval(['sdf', 'judge', join(dir, 'req.json'), join(dir, 'resp.json'), '--json'], { env });
  assert.equal(j.code, 0, j.stdout + j.stderr);
  const out = JSON.parse(j.stdout);
  assert.ok(schema('sdf-judge')({ ...out }));
  assert.equal(out.summary.failed, 0);
  assert.equal(out.summary.passed, out.summary.total);

  // a tampered answer fails with expected/provided; a dropped one is missing; an unreceived one is reported as such
  const resp = JSON.parse(a.stdout);
  const sm3 = resp.testGroups.find((g: { tgId: number }) => g.tgId === 1);
  sm3.tests[0].out.digest = '00'.repeat(32);
  sm3.tests.pop();
  resp.testGroups[1].tests[0] = { tcId: resp.testGroups[1].tests[0].tcId, calls: [], out: {}, unreceived: 'SDF_Encrypt is not offered' };
  writeFileSync(join(dir, 'resp2.json'), JSON.stringify(resp));
  const j2 = gmeval(['sdf', 'judge', join(dir, 'req.json'), join(dir, 'resp2.json'), '--json']);
  assert.equal(j2.code, 1);
  const r2 = JSON.parse(j2.stdout);
  const first = r2.results.find((r: { id: string }) => r.id === 'sm3/1.1');
  assert.equal(first.disposition, 'failed');
  assert.equal(first.fn, 'SDF_HashFinal');
  assert.equal(first.expected, '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(first.provided, '00'.repeat(32));
  assert.equal(r2.results.find((r: { id: string }) => r.id === 'sm3/1.5').disposition, 'missing');
  assert.equal(r2.results.find((r: { id: string }) => r.id === 'sm4/2.1').disposition, 'unreceived');

  // answers to another request are refused
  writeFileSync(join(dir, 'other.json'), readFileSync(join(dir, 'req.json'), 'utf8').replace(/"createdAt": "[^"]+"/, '"createdAt": "2000-01-01T00:00:00.000Z"'));
  const j3 = gmeval(['sdf', 'judge', join(dir, 'other.json'), join(dir, 'resp.json')]);
  assert.equal(j3.code, 2);
  assert.match(j3.stderr, /requestSm3: these answers are to a different request/);
});

test('gmeval sdf probe: live suite on the fixture (JSON schema-valid), and exit 2 for a missing library, wrong symbols or bad input', { skip }, async () => {
  const lib = await buildSoftSdf({ edition: '2023' });
  const p = gmeval(['sdf', 'probe', '--lib', lib, '--json', '--capabilities', join(ROOT, 'test/fixtures/sdf/capabilities-sign.txt')], { env });
  assert.equal(p.code, 0, p.stderr);
  const out = JSON.parse(p.stdout);
  assert.ok(schema('sdf-probe')({ ...out }));
  assert.equal(out.summary.failed, 0);
  const bad = gmeval(['sdf', 'probe', '--lib', await buildSoftSdf({ defect: 'WRONG_CODE' })], { env });
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /SDF_InternalSign_ECC\n\s+expected: SDR_PARDENY \(0x01000007\)\n\s+provided: SDR_UNKNOWERR \(0x01000001\)/);
  const missing = gmeval(['sdf', 'probe', '--lib', './missing.so'], { env });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /\.\/missing\.so: no such file/);
  const wrong = gmeval(['sdf', 'probe', '--lib', await buildSoftSdf({ name: 'cli-wrong', extra: ['-DSDF_OpenSession=XX_OpenSession'] })], { env });
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /does not export the required SDF symbol\(s\) SDF_OpenSession/);
  const nopin = gmeval(['sdf', 'probe', '--lib', lib, '--pin-env', 'GMEVAL_NO_SUCH_VAR']);
  assert.equal(nopin.code, 2);
  assert.match(nopin.stderr, /GMEVAL_NO_SUCH_VAR, which is not set/);
  const caps = gmeval(['sdf', 'vectors', '--capabilities', join(ROOT, 'package.json'), '--out', join(tmpdir(), 'x.json')]);
  assert.equal(caps.code, 2);
  assert.match(caps.stderr, /unknown capability/);
});
