/**
 * Ra from measured strength: a failed finding of an @dak:A scenario may carry the strength (bits) the probe measured
 * (e.g. the TLS certificate of `tls10-enabled`: RSA-1024 signed with SHA-1, about 63 bits); the A dimension's Ra
 * then comes from the 2023 rules' bands instead of the conservative lowest Ra.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../../catalog/index.ts';
import { deriveUnits, scoreUnits } from '../../reports/dak.ts';
import type { Finding } from '../../reports/finding.ts';
import type { ReportScenario } from '../../reports/model.ts';
import { runEvaluation } from '../../runner/run.ts';
import { compileSchema } from '../../lib/yaml-schema/index.ts';

const catalog = loadCatalog();
const obj = { id: 'zone-x', name: '区域 X' };
const finding = (status: Finding['status'], strengthBits?: number): Finding => ({ check: 'c', status, reason: 'r', object: obj, evidence: [], ...(strengthBits !== undefined ? { strengthBits } : {}) });
const scenario = (id: string, dak: ('D' | 'A' | 'K')[], findings: Finding[], extraTags: string[] = []): ReportScenario => ({
  id, name: id, feature: { name: 'f', uri: 'f.feature' }, std: 'GBT39786-2021', clause: '8.2.a', units: ['6.2.1'], dak, feedsScore: true,
  tags: ['@unit:6.2.1', ...dak.map((d) => `@dak:${d}`), ...extraTags], status: findings.some((f) => f.status === 'failed') ? 'failed' : 'passed', steps: [], findings, durationMs: 0,
});
const unit621 = (scenarios: ReportScenario[]) => {
  const d = deriveUnits(scenarios, [], catalog, 3);
  scoreUnits(d.units, catalog, 3);
  return d.units.find((u) => u.id === '6.2.1')!.objects.find((o) => o.id === obj.id)!;
};

test('a failed A finding with measured strength sets the object strength; the bands give Ra (63 → 0.2, 96 → 0.5, 128 → 1)', () => {
  const D = scenario('d', ['D'], [finding('passed')]);
  const K = scenario('k', ['K'], [finding('passed')]);
  for (const [bits, score] of [[63, 0.2], [96, 0.5], [128, 1]] as const) {
    const o = unit621([D, K, scenario(`a${bits}`, ['A'], [finding('failed', bits)])]);
    assert.equal(o.A?.value, false);
    assert.equal(o.strengthBits, bits);
    // the measured strength scores exactly like the same strength declared with @bits (the scorer's bands decide Ra)
    const ref = unit621([D, K, scenario(`t${bits}`, ['A'], [finding('failed')], [`@bits:${bits}`])]);
    assert.equal(o.score, ref.score, `${bits} bits scores like @bits:${bits}`);
    if (score === 1) assert.ok(o.score! > unit621([D, K, scenario('low', ['A'], [finding('failed', 63)])]).score!);
  }
  // the weakest measured strength wins; a passing finding's strength is not a failure's strength
  assert.equal(unit621([D, K, scenario('w', ['A'], [finding('failed', 112), finding('failed', 63)])]).strengthBits, 63);
  assert.equal(unit621([D, K, scenario('p', ['A'], [finding('passed', 63)])]).strengthBits, undefined);
  // unknown strength stays conservative: the lowest Ra, the same as 63 bits here
  const unknown = unit621([D, K, scenario('u', ['A'], [finding('failed')])]);
  assert.equal(unknown.strengthBits, undefined);
  assert.equal(unknown.score, unit621([D, K, scenario('m', ['A'], [finding('failed', 63)])]).score);
});

test('tls10-enabled: the weak certificate finding carries its measured strength into the A dimension of 6.2.1', async () => {
  const out = mkdtempSync(join(tmpdir(), 'gmeval-strength-'));
  const r = await runEvaluation({ out, defects: ['tls10-enabled'], tags: '@probe:net and @std:GBT39786-2021 and @clause:8.2.a and @dak:A and not @dak:D', log: () => {} });
  const s = r.report.scenarios.find((x) => x.name.includes('弱算法'));
  assert.ok(s, r.report.scenarios.map((x) => x.name).join('; '));
  assert.equal(s.status, 'failed');
  const f = s.findings.find((x) => x.status === 'failed' && x.object.id === 'zone-service');
  assert.ok(f, 'the service zone fails');
  assert.ok(f.strengthBits !== undefined && f.strengthBits < 80, `measured strength ${f.strengthBits}`);
  const o = r.report.units!.find((u) => u.id === '6.2.1')!.objects.find((x) => x.id === 'zone-service')!;
  assert.equal(o.A?.value, false);
  assert.equal(o.strengthBits, f.strengthBits);
  const schema = compileSchema(JSON.parse(readFileSync(new URL('../../reports/schema/report.schema.json', import.meta.url), 'utf8')));
  const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.equal(json.schemaVersion, '1.2.0');
  assert.ok(schema(json), JSON.stringify(schema.errors));
});
