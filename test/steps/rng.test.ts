// The randomness features end to end (features/gmt0005, features/platform/随机数.feature) on rng-source objects
// that need no platform: sample files, an SDF source this build cannot reach, and a derived random service.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEvaluation } from '../../runner/run.ts';
import { lfsrBytes } from '../fixtures/rng/generators.ts';

const quiet = () => {};
const E_BIN = new URL('../fixtures/rng/e.bin', import.meta.url).pathname;
const MAPPING = new URL('../../profiles/adapters/reference.yaml', import.meta.url).pathname;

test('file and SDF sources: each object judged on its own; the LFSR fails 6.2, 6.3, 6.4 and 6.5.3 a; unreachable or unconfigured ones are not_tested', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-rng-steps-'));
  const lfsr = join(dir, 'lfsr.bin');
  writeFileSync(lfsr, lfsrBytes(30 * 20_000));
  const profile = join(dir, 'rng-files.yaml');
  writeFileSync(profile, `schemaVersion: 1
name: rng sources without a platform
level: 3
target: { kind: remote, endpoints: {} }
objects:
  - { id: e-file, name: e 的二进制展开, kind: rng-source, options: { file: "${E_BIN}", bits: 20000 } }
  - { id: lfsr-file, name: 31 级 LFSR, kind: rng-source, options: { file: "${lfsr}", bits: 20000 } }
  - { id: missing-file, name: 不存在的样本, kind: rng-source, options: { file: "${join(dir, 'none.bin')}" } }
  - { id: hsm, name: 密码机 SDF, kind: rng-source, options: { source: sdf, endpoint: "sdf://127.0.0.1:9" } }
  - { id: hsm-unset, name: 未配置的密码机, kind: rng-source, options: { source: sdf } }
`);
  const r = await runEvaluation({ profile, out: join(dir, 'out'), tags: '@probe:rng', log: quiet });
  const clauses = r.report.scenarios.map((s) => `${s.std} ${s.clause}`).sort();
  assert.deepEqual(clauses, ['GMT0005-2021 6.2', 'GMT0005-2021 6.3', 'GMT0005-2021 6.4', 'TTCGIA0003-2023 6.5.3.a']);
  for (const s of r.report.scenarios) {
    assert.equal(s.status, 'failed', s.name);
    const by = Object.fromEntries(s.findings.map((f) => [f.object.id, f]));
    assert.equal(by['e-file']!.status, 'passed', `${s.name}: ${by['e-file']!.reason}`);
    assert.equal(by['lfsr-file']!.status, 'failed', s.name);
    assert.equal(by['missing-file']!.status, 'not_tested');
    assert.equal(by['missing-file']!.reasonCode, 'could_not_test');
    assert.equal(by['hsm']!.status, 'not_tested');
    assert.equal(by['hsm']!.reasonCode, 'could_not_test');
    assert.equal(by['hsm-unset']!.reasonCode, 'not_offered');
    // the limitation is stated: 50 × 2×10^4 is not the standard's full detection
    assert.match(by['e-file']!.reason, /快速样本：50 条 × 2×10\^4 比特；GM\/T 0005-2021 完整检测需 1000 条 × 10\^6 比特/);
    assert.ok(by['e-file']!.evidence.some((e) => e.name === 'rng-pq.json'));
  }
  const six3 = r.report.scenarios.find((s) => s.clause === '6.3')!;
  // 31-stage LFSR at 2×10^4 bits: Q-values far from uniform
  assert.match(six3.findings.find((f) => f.object.id === 'lfsr-file')!.observed ?? '', /不均匀的检测项/);
  assert.equal(r.exitCode, 1);
});

test('a profile without rng-source objects samples each crypto-service interface; unreachable → not_tested, never a pass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-rng-derived-'));
  const profile = join(dir, 'derived.yaml');
  writeFileSync(profile, `schemaVersion: 1
name: unreachable random service
level: 3
target: { kind: remote, endpoints: { api: "http://127.0.0.1:9/api/v1" } }
credentials: { app: { accessKey: AKTEST, secret: not-a-real-secret } }
adapters: { vendor: { type: http, mapping: "${MAPPING}", credential: app, timeoutMs: 2000 } }
objects:
  - { id: api, name: 不可达接口, kind: crypto-service, adapter: vendor }
`);
  const r = await runEvaluation({ profile, out: join(dir, 'out'), tags: '@probe:rng', log: quiet });
  assert.equal(r.report.scenarios.length, 4);
  for (const s of r.report.scenarios) {
    assert.equal(s.status, 'not_tested', s.name);
    assert.equal(s.findings[0]!.object.id, 'api.random');
    assert.equal(s.findings[0]!.reasonCode, 'could_not_test');
    assert.match(s.findings[0]!.reason, /ECONNREFUSED|no complete answer/);
  }
  assert.equal(r.exitCode, 3);
});
