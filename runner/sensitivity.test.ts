import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { judgeSensitivity, renderSensitivityHtml, type DefectColumn, type SensitivityRow } from './sensitivity.ts';
import { compileSchema } from '../lib/yaml-schema/index.ts';

const schema = compileSchema(JSON.parse(readFileSync(new URL('../reports/schema/sensitivity.schema.json', import.meta.url), 'utf8')));
const defects: DefectColumn[] = [
  { name: 'a', summary: 'breaks X', violates: [{ std: 'S', clause: '1' }] },
  { name: 'b', summary: 'breaks Y', violates: [{ std: 'S', clause: '2' }] },
  { name: 'dead', summary: 'breaks nothing', violates: [{ std: 'S', clause: '3' }] },
];
const scenarios: SensitivityRow[] = [
  { id: 'x', name: 'X', std: 'S', clause: '1', feature: 'f' },
  { id: 'y', name: 'Y', std: 'S', clause: '2', feature: 'f' },
  { id: 'z', name: 'Z', std: 'S', clause: '9', feature: 'f' },
];

test('the rules: orphan scenarios, dead defects and reds outside the claimed clauses are found', () => {
  const r = judgeSensitivity('p.yaml', defects, scenarios, {
    clean: { x: 'passed', y: 'passed', z: 'passed' },
    a: { x: 'failed', y: 'failed', z: 'passed' },
    b: { x: 'passed', y: 'failed', z: 'passed' },
    dead: { x: 'passed', y: 'passed', z: 'passed' },
  }, []);
  assert.equal(r.rules.cleanAllGreen, true);
  assert.deepEqual(r.rules.orphanScenarios, ['S 9 Z']);
  assert.deepEqual(r.rules.deadDefects, ['dead']);
  assert.deepEqual(r.rules.forReview.map((x) => `${x.defect}:${x.clause}`), ['a:2']);
  assert.equal(r.passed, false);
  assert.ok(schema(r), JSON.stringify(schema.errors));
  assert.match(renderSensitivityHtml(r), /class="c failed review"/);
});

test('a clean run that is not green, or a run that could not be made, fails the rules', () => {
  const r = judgeSensitivity('p.yaml', defects.slice(0, 1), scenarios.slice(0, 1), { clean: { x: 'not_tested' }, a: { x: 'failed' } }, [{ run: 'b', message: 'crashed' }]);
  assert.equal(r.rules.cleanAllGreen, false);
  assert.equal(r.passed, false);
  const ok = judgeSensitivity('p.yaml', defects.slice(0, 1), scenarios.slice(0, 1), { clean: { x: 'passed' }, a: { x: 'failed' } }, []);
  assert.equal(ok.passed, true);
});
