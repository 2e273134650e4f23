import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actualLines, loadCases, updateCase } from './fixture-cases.ts';

const cases = loadCases();

test('golden fixtures exist for every profile', () => {
  const profiles = new Set(cases.map((c) => c.profile));
  for (const p of ['gmt0015-2012', 'gmt0015-2023', 'rfc5280']) assert.ok(profiles.has(p as never), `no fixtures for ${p}`);
  assert.ok(cases.length >= 100, `only ${cases.length} fixtures`);
});

for (const c of cases) {
  test(`golden ${c.profile}/${c.name}`, () => {
    const actual = actualLines(c);
    if (process.env.UPDATE_GOLDEN === '1') { updateCase(c, actual); return; }
    assert.deepEqual(actual, c.expected, `${c.file}: findings differ (UPDATE_GOLDEN=1 to rewrite, then review the diff)`);
  });
}
