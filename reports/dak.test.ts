import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadCatalog } from '../catalog/index.ts';
import { deriveUnits, scoreUnits, type DimJudgement, type ObjectChain } from './dak.ts';
import type { AttestationInput } from './manual.ts';
import type { Finding } from './finding.ts';
import { attestation, scenario } from '../test/report-fixtures.ts';

const catalog = loadCatalog();
interface Case {
  name: string;
  scenarios?: { id?: string; tags: string[]; findings: [string, Finding['status']][] }[];
  attestations?: Partial<AttestationInput>[];
  expect: Record<string, { coverage: string; complete?: boolean; applicable?: boolean; objects: Record<string, string> }>;
  warnings?: string[];
}
const { cases } = JSON.parse(readFileSync(new URL('../test/fixtures/reports/dak-cases.json', import.meta.url), 'utf8')) as { cases: Case[] };

const sym = (j?: DimJudgement) => { const v = j?.value ?? null; return v === true ? '✔' : v === false ? '✘' : v === '/' ? '/' : '?'; };
const notation = (o: ObjectChain) => (!o.applicable ? 'N/A' : o.result ? (o.result.value ?? '?') : `${sym(o.D)}${sym(o.A)}${sym(o.K)}`);

for (const c of cases) {
  test(`D/A/K golden: ${c.name}`, () => {
    const scenarios = (c.scenarios ?? []).map((s, i) => scenario(s.id ?? `x/s${i}#0000000${i}`, s.tags, s.findings));
    const r = deriveUnits(scenarios, (c.attestations ?? []).map(attestation), catalog, 3);
    assert.equal(r.units.length, 41);
    for (const [id, e] of Object.entries(c.expect)) {
      const u = r.units.find((x) => x.id === id)!;
      assert.equal(u.coverage, e.coverage, `${id} coverage`);
      if (e.complete !== undefined) assert.equal(u.complete, e.complete, `${id} complete`);
      if (e.applicable !== undefined) assert.equal(u.applicable, e.applicable, `${id} applicable`);
      assert.deepEqual(Object.fromEntries(u.objects.map((o) => [o.id ?? o.name, notation(o)])), e.objects, `${id} objects`);
    }
    for (const w of c.warnings ?? []) assert.ok(r.warnings.some((x) => new RegExp(w).test(x)), `warning /${w}/ in ${JSON.stringify(r.warnings)}`);
    // every scenario finding appears in the chain of the dimension it feeds
    for (const s of scenarios) for (const unit of s.units) for (const d of s.dak) {
      const u = r.units.find((x) => x.id === unit)!;
      for (const f of s.findings) assert.ok(u.objects.find((o) => o.id === f.object.id)?.[d as 'D']?.findings.some((x) => x.scenario === s.id), `${s.id} → ${unit} ${d}`);
    }
  });
}

test('score: uncovered units count 0 for the lower bound and 1 for the upper one, with no presumed high risk', () => {
  const r = deriveUnits([], [], catalog, 3);
  const s = scoreUnits(r.units, catalog, 3);
  assert.equal(s.complete, false);
  assert.equal(s.total, 0);
  assert.equal(s.totalUpper, 100);
  assert.equal(s.counts.uncovered, 41);
  assert.deepEqual(s.highRisks, []);
  assert.equal(s.conclusion, '待人工判定');
  assert.ok(r.units.every((u) => u.result === '未覆盖'));
});

test('score: a complete set of attestations gives the scorer\'s total; a failed D on a high-risk unit makes it 不符合', () => {
  const atts = catalog.gbt39786.units.filter((u) => u.weight[2] !== null).map((u, i) => attestation({ unit: u.id, object: 'o', result: u.id === '7.3.5' ? '部分符合' : '符合' }, i));
  const ok = deriveUnits([], atts, catalog, 3);
  const s = scoreUnits(ok.units, catalog, 3);
  assert.equal(s.complete, true);
  // 建设运行 (1+1+0.7+1+0.35)/4.4 = 0.9205; total 70 + (8+8+8·0.9205+6) = 99.364 → 99.36
  assert.equal(s.total, 99.36);
  assert.equal(s.total, s.totalUpper);
  assert.equal(s.conclusion, '基本符合');
  const bad = deriveUnits([scenario('x/a#00000001', ['@unit:6.4.1', '@dak:D'], [['o', 'failed']])], atts, catalog, 3);
  const s2 = scoreUnits(bad.units, catalog, 3);
  assert.equal(s2.conclusion, '不符合');
  assert.ok(s2.highRisks.some((h) => h.unit === '6.4.1' && h.rule === 'highRiskFromCandidates'));
  assert.ok(bad.warnings.some((w) => /contradicts|findings are kept/.test(w)));
  assert.equal(bad.units.find((u) => u.id === '6.4.1')!.score, 0);
});

test('score: A✘ from a scenario uses its @bits strength for Ra, the lowest Ra without one', () => {
  const atts = [attestation({ unit: '6.4.5', object: 'api', result: '符合', dak: { D: true, K: true } })];
  const withBits = deriveUnits([scenario('x/a#00000001', ['@unit:6.4.5', '@dak:A', '@bits:128'], [['api', 'failed']])], atts, catalog, 3);
  scoreUnits(withBits.units, catalog, 3);
  assert.equal(withBits.units.find((u) => u.id === '6.4.5')!.objects[0]!.score, 0.5); // 0.5·Ra, Ra(128 bit) = 1
  const noBits = deriveUnits([scenario('x/a#00000001', ['@unit:6.4.5', '@dak:A'], [['api', 'failed']])], atts, catalog, 3);
  scoreUnits(noBits.units, catalog, 3);
  assert.equal(noBits.units.find((u) => u.id === '6.4.5')!.objects[0]!.score, 0.1); // 0.5·0.2
});
