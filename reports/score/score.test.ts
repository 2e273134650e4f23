import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCatalog, unitsAtLevel, type Level } from '../../catalog/index.ts';
import { formatScoreTable, scoreEvaluation, ScoreInputError, type ScoreInput, type UnitInput } from './index.ts';

const catalog = loadCatalog();
function allPass(level: Level, extra: Record<string, UnitInput> = {}): ScoreInput {
  const units: Record<string, UnitInput> = {};
  for (const u of unitsAtLevel(catalog, level)) units[u.id] = u.kind === 'technical' ? { D: true, A: true, K: true } : { result: '符合' };
  return { level, units: { ...units, ...extra } };
}
const unit = (r: ReturnType<typeof scoreEvaluation>, id: string) => r.units.find((u) => u.id === id)!;
const problemsOf = (f: () => unknown) => {
  try { f(); } catch (e) { if (e instanceof ScoreInputError) return e.problems; throw e; }
  assert.fail('expected a ScoreInputError');
};

test('Ra: the weakest of several algorithms decides; explicit Ra wins; bands are overridable', () => {
  const r = scoreEvaluation(allPass(3, { '6.4.7': { D: true, A: false, strengthBits: [128, 96, 70], K: true, risk: '中' } }), { catalog });
  assert.equal(unit(r, '6.4.7').score, 0.1); // 70 bit → Ra 0.2 → 0.5×0.2
  assert.ok(r.assumptions.some((a) => a.id === 'raSeveralAlgorithms' && a.basis === 'unverified'));
  const r2 = scoreEvaluation(allPass(3, { '6.4.7': { D: true, A: false, Ra: 0.5, K: true } }), { catalog });
  assert.equal(unit(r2, '6.4.7').score, 0.25);
  assert.equal(unit(r2, '6.4.7').objects[0]!.RaSource, 'input');
  const r3 = scoreEvaluation(allPass(3, { '6.4.7': { D: true, A: false, strengthBits: 100, K: true, risk: '中' } }), { catalog, rules: { raBands: [{ minBits: 96, ra: 1 }, { minBits: 0, ra: 0.2 }] } });
  assert.equal(unit(r3, '6.4.7').score, 0.5);
  assert.ok(r3.assumptions.some((a) => a.id === 'raBands' && a.overridden && a.basis === 'input'));
});

test('Rk: levels 1–2 give 1 even when only the product level falls short', () => {
  const r = scoreEvaluation(allPass(2, { '6.4.5': { D: true, A: true, K: false, kModuleLevelOnly: true } }), { catalog });
  assert.equal(unit(r, '6.4.5').score, 0.5);
  const r4 = scoreEvaluation(allPass(4, { '6.4.5': { D: true, A: true, K: false, kModuleLevelOnly: true } }), { catalog });
  assert.equal(unit(r4, '6.4.5').score, 0.75);
  assert.ok(r4.assumptions.some((a) => a.id === 'rkLevel4' && a.basis === 'single-source'));
});

test('"/" handling: an all-"/" object is excluded; A "/" while D passes does not deduct unless the rule says error', () => {
  const r = scoreEvaluation(allPass(3, { '6.4.5': { objects: [{ name: 'a', D: '/', A: '/', K: '/' }, { name: 'b', D: true, A: true, K: false, kModuleLevelOnly: true }] } }), { catalog });
  assert.equal(unit(r, '6.4.5').score, 0.6);
  assert.equal(unit(r, '6.4.5').objects[0]!.applicable, false);
  const r2 = scoreEvaluation(allPass(3, { '6.4.5': { D: true, A: true, K: '/' } }), { catalog });
  assert.equal(unit(r2, '6.4.5').score, 1);
  assert.ok(r2.assumptions.some((a) => a.id === 'partialNotApplicableDimension'));
  const p = problemsOf(() => scoreEvaluation(allPass(3, { '6.4.5': { D: true, A: true, K: '/' } }), { catalog, rules: { partialNotApplicableDimension: 'error' } }));
  assert.equal(p[0]!.path, '/units/6.4.5/K');
  const p2 = problemsOf(() => scoreEvaluation(allPass(3, { '6.4.5': { D: '/', A: true, K: true } }), { catalog }));
  assert.equal(p2[0]!.path, '/units/6.4.5/D');
});

test('all objects N/A makes the unit N/A: its weight leaves the layer', () => {
  const r = scoreEvaluation(allPass(3, { '6.4.8': { objects: [{ name: 'x', applicable: false, reason: '不涉及法律责任认定' }] }, '6.4.5': { D: false, risk: '中' } }), { catalog });
  assert.equal(unit(r, '6.4.8').result, '不适用');
  // (6.2 − 1 (6.4.8) − 1 (6.4.5 = 0)) / 5.2 = 4.2/5.2 = 0.807692 → 0.8077
  assert.equal(r.layers.find((l) => l.id === 'application')!.score, 0.8077);
});

test('mitigated and assessor ratings replace the presumption; object-level 高 is listed', () => {
  const base = allPass(3, { '6.1.1': { D: false } });
  assert.equal(scoreEvaluation(base, { catalog }).conclusion, '不符合');
  assert.equal(scoreEvaluation(allPass(3, { '6.1.1': { D: false, mitigated: true } }), { catalog }).conclusion, '基本符合');
  const r = scoreEvaluation(allPass(3, { '7.1.2': { objects: [{ name: '密钥管理制度', result: '部分符合', risk: '高' }] } }), { catalog });
  assert.equal(r.conclusion, '不符合');
  assert.deepEqual(r.highRisks.map((h) => [h.unit, h.object, h.source]), [['7.1.2', '密钥管理制度', 'input']]);
  const off = scoreEvaluation(base, { catalog, rules: { highRiskFromCandidates: { enabled: false, bases: [] } } });
  assert.equal(off.highRisks.length, 0);
});

test('threshold is compared on the rounded total and is overridable', () => {
  const input = allPass(3, { '6.4.5': { D: false, risk: '中' } });
  const r = scoreEvaluation(input, { catalog, rules: { passThreshold: 97.04 } });
  // 应用 (6.2 − 1)/6.2 = 0.83871 → 0.8387; S = 40 + 25.161 + 30 = 95.161 → 95.16 < 97.04
  assert.equal(r.totalText, '95.16');
  assert.equal(r.conclusion, '不符合');
  assert.equal(scoreEvaluation(input, { catalog, rules: { passThreshold: 95.16 } }).conclusion, '基本符合');
});

test('input problems are collected with JSON pointers', () => {
  const p = problemsOf(() => scoreEvaluation({ level: 3, units: { '6.9.9': { D: true } } as Record<string, UnitInput> }, { catalog }));
  assert.ok(p.some((x) => x.path === '/units/6.9.9' && /unknown unit/.test(x.message)));
  assert.equal(p.filter((x) => /missing unit/.test(x.message)).length, 41);
  const q = problemsOf(() => scoreEvaluation({ units: {} }, { catalog }));
  assert.equal(q[0]!.path, '/level');
  const r = problemsOf(() => scoreEvaluation(allPass(3), { catalog, rules: { passThreshold: 'sixty', nope: 1 } }));
  assert.deepEqual(r.map((x) => x.path).sort(), ['/rules/nope', '/rules/passThreshold']);
  const s = problemsOf(() => scoreEvaluation({ ...allPass(3), compensations: [{ by: '6.2.3', byObject: 'ghost', for: '6.4.4' }] }, { catalog }));
  assert.equal(s[0]!.path, '/compensations/0/byObject');
});

test('units not assessed at the level are warned about and ignored; --level overrides', () => {
  const input = allPass(1, { '6.3.2': { D: true, A: true, K: true } });
  const r = scoreEvaluation(input, { catalog });
  assert.equal(r.units.length, 24);
  assert.ok(r.warnings.some((w) => w.includes('6.3.2')));
  const p = problemsOf(() => scoreEvaluation(input, { catalog, level: 3 }));
  assert.ok(p.some((x) => x.message.includes('missing unit 6.1.3')));
});

test('the readable table shows total, layers, units, conclusion and the chain in zh and en', () => {
  const r = scoreEvaluation(allPass(3, { '6.4.4': { D: false } }), { catalog });
  const zh = formatScoreTable(r, 'zh');
  assert.match(zh, /总分: 95\.16 {4}结论: 不符合/);
  assert.match(zh, /应用和数据安全\s+30\s+0\.8387/);
  assert.match(zh, /高风险项:/);
  assert.match(zh, /6\.4\.4 重要数据传输机密性/);
  const en = formatScoreTable(r, 'en');
  assert.match(en, /Total: 95\.16 {4}Conclusion: non-conformant/);
  assert.match(en, /Calculation:/);
});
