import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { loadCatalog } from '../../catalog/index.ts';
import { scoreEvaluation, ScoreInputError, validateScoreInput, SCORE_RESULT_SCHEMA_PATH, type ScoreInput, type ScoreResult } from './index.ts';

// Golden cases: test/fixtures/score/<case>.json = {description, arithmetic[], input, expected}; the expected values were
// worked out by hand (the arithmetic is in each file), from the digest's worked examples E1–E8, G1–G6 and constructed cases.
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'score');

interface Expected {
  total?: number | null;
  totalText?: string | null;
  conclusion?: string;
  layers?: Record<string, number | null>;
  units?: Record<string, number | null>;
  objects?: Record<string, number | null>;
  highRiskUnits?: (string | null)[];
  highRiskRules?: string[];
  unitCount?: number;
  assumptionIds?: string[];
  assumptionsOverridden?: string[];
  error?: { path: string; message: string }[];
}

const catalog = loadCatalog();
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
const validateResult = ajv.compile(JSON.parse(readFileSync(SCORE_RESULT_SCHEMA_PATH, 'utf8')) as object);

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();

test('the golden folder holds the cases the issue requires', () => {
  assert.ok(files.length >= 20, `only ${files.length} fixtures`);
  for (const must of ['e2-rk-l3', 'e3-rk-l4', 'e6-compensation', 'compensation-no-cascading', 'g4-physical-na', 'g5-management-layers-na', 'rounding-total-half-up', 'g6-composite-with-high-risk']) {
    assert.ok(files.includes(`${must}.json`), `missing fixture ${must}`);
  }
});

for (const file of files) {
  const { description, input, expected } = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { description: string; input: ScoreInput; expected: Expected };
  test(`golden ${file}: ${description}`, () => {
    assert.deepEqual(validateScoreInput(input), [], 'fixture input must match the published input schema');
    if (expected.error) {
      assert.throws(() => scoreEvaluation(input, { catalog }), (err: unknown) => {
        assert.ok(err instanceof ScoreInputError, String(err));
        for (const e of expected.error!) {
          assert.ok(err.problems.some((p) => p.path === e.path && p.message.includes(e.message)), `expected problem ${e.path}: ${e.message}; got ${JSON.stringify(err.problems)}`);
        }
        return true;
      });
      return;
    }
    const r: ScoreResult = scoreEvaluation(input, { catalog });
    assert.ok(validateResult(r), `result must match score.schema.json: ${JSON.stringify(validateResult.errors)}`);
    if ('total' in expected) assert.equal(r.total, expected.total);
    if ('totalText' in expected) assert.equal(r.totalText, expected.totalText);
    if (expected.conclusion) assert.equal(r.conclusion, expected.conclusion);
    for (const [id, v] of Object.entries(expected.layers ?? {})) assert.equal(r.layers.find((l) => l.id === id)?.score, v, `layer ${id}`);
    for (const [id, v] of Object.entries(expected.units ?? {})) assert.equal(r.units.find((u) => u.id === id)?.score, v, `unit ${id}`);
    for (const [key, v] of Object.entries(expected.objects ?? {})) {
      const [uid, name] = key.split('/');
      assert.equal(r.units.find((u) => u.id === uid)?.objects.find((o) => o.name === name)?.score, v, `object ${key}`);
    }
    if (expected.highRiskUnits) assert.deepEqual(r.highRisks.map((h) => h.unit ?? null), expected.highRiskUnits, JSON.stringify(r.highRisks.map((h) => h.description)));
    if (expected.highRiskRules) assert.deepEqual(r.highRisks.map((h) => h.rule), expected.highRiskRules);
    if (expected.unitCount !== undefined) assert.equal(r.units.length, expected.unitCount);
    for (const id of expected.assumptionIds ?? []) assert.ok(r.assumptions.some((a) => a.id === id), `assumption ${id} listed`);
    for (const id of expected.assumptionsOverridden ?? []) assert.ok(r.assumptions.some((a) => a.id === id && a.overridden), `override ${id} echoed`);
    // the chain is always present: every applicable object, unit and layer explains its number
    assert.ok(r.explanation.length >= 3);
    for (const u of r.units) { assert.ok(u.explanation.length > 0); for (const o of u.objects) assert.ok(o.explanation.length > 0); }
  });
}
