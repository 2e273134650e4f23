/**
 * Done-when of issue 9: a level-3 run on the clean reference platform covers all 22 technical units, each listed
 * with its scenarios, and with a complete, all-符合 attestation set (a fixture, not the demonstration file) scores
 * exactly 100 with the conclusion 符合. The run selects only the scenarios that feed the score (@unit tags).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runEvaluation } from '../../runner/run.ts';
import { loadCatalog, unitsAtLevel } from '../../catalog/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/gbt39786/complete-attestations.yaml');

/** reference.yaml with its attestations file swapped for the fixture (its adapter mappings copied beside it). */
function completeProfile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-complete-profile-'));
  cpSync(join(ROOT, 'profiles/adapters'), join(dir, 'adapters'), { recursive: true });
  const text = readFileSync(join(ROOT, 'profiles/reference.yaml'), 'utf8');
  assert.match(text, /^attestations: reference-attestations\.yaml$/m);
  writeFileSync(join(dir, 'reference.yaml'), text.replace(/^attestations: .*$/m, `attestations: ${JSON.stringify(FIXTURE)}`));
  return join(dir, 'reference.yaml');
}

test('clean level-3 run + complete attestations: all 22 technical units covered with their scenarios, score 100, 符合', async () => {
  const units = unitsAtLevel(loadCatalog(), 3);
  const technical = units.filter((u) => u.kind === 'technical');
  assert.equal(technical.length, 22);
  const tags = units.map((u) => `@unit:${u.id}`).join(' or ');
  const out = mkdtempSync(join(tmpdir(), 'gmeval-complete-'));
  const r = await runEvaluation({ profile: completeProfile(), out, tags, log: () => {} });
  const bad = r.report.scenarios.filter((s) => s.status !== 'passed').map((s) => `${s.std} ${s.clause} ${s.name}: ${s.status} ${s.reason ?? ''}`);
  assert.deepEqual(bad, [], 'every scoring scenario passes on the clean platform');

  assert.ok(r.report.units && r.report.score && r.report.attestations, 'the report has units, score and attestations');
  const byId = new Map(r.report.units.map((u) => [u.id, u]));
  for (const u of technical) {
    const chain = byId.get(u.id);
    assert.ok(chain, `unit ${u.id} missing from the report`);
    assert.notEqual(chain.coverage, 'uncovered', `unit ${u.id} uncovered`);
    assert.ok(chain.complete, `unit ${u.id} incomplete: ${JSON.stringify(chain.objects.map((o) => [o.name, o.D?.value, o.A?.value, o.K?.value]))}`);
    assert.equal(chain.result, '符合', `unit ${u.id}`);
    assert.equal(chain.score, 1, `unit ${u.id}`);
  }
  // the automated units list the scenarios that judged them (and the report says so per object and dimension)
  const automated = technical.filter((u) => byId.get(u.id)!.scenarios.length > 0).map((u) => u.id);
  for (const id of ['6.2.1', '6.2.2', '6.2.3', '6.3.1', '6.3.2', '6.3.5', '6.3.6', '6.4.1', '6.4.2', '6.4.4', '6.4.5', '6.4.6', '6.4.7', '6.4.8']) {
    assert.ok(automated.includes(id), `unit ${id} has no scenario in the report`);
    const chain = byId.get(id)!;
    assert.ok(chain.objects.some((o) => o.D?.source === 'findings' && o.D.value === true && o.D.findings.length > 0), `unit ${id}: D not judged by findings`);
  }
  const s = r.report.score;
  assert.equal(s.complete, true);
  assert.equal(s.counts.uncovered, 0);
  assert.equal(s.counts.incomplete, 0);
  assert.equal(s.total, 100, s.explanation.join('\n'));
  assert.equal(s.totalUpper, 100);
  assert.equal(s.conclusion, '符合');
  assert.deepEqual(s.highRisks, []);
  assert.ok(s.layers.every((l) => l.score === 1), JSON.stringify(s.layers));
  // the fixture is a real (non-demonstration) attestation set: the report does not label it as a demonstration
  assert.ok(r.report.attestations.length > 0 && r.report.attestations.every((a) => !a.demonstration));
});
