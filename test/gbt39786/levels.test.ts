/**
 * Every GB/T 39786 technical unit the catalogue assesses at levels 1–4 has, in the level's profile, an automated
 * scenario (a feature citing @unit, selected by the profile's tag expression) or an explicit attestation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import parseTagExpression from '@cucumber/tag-expressions';
import { parse } from 'yaml';
import { catalogCoverage, loadCatalog, unitsAtLevel, type Level } from '../../catalog/index.ts';
import { loadProfile } from '../../profiles/profile.ts';
import { scenarios, tagValues } from './scenarios.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PROFILES: Record<Level, string> = { 1: 'profiles/level1.yaml', 2: 'profiles/level2.yaml', 3: 'profiles/reference.yaml', 4: 'profiles/level4.yaml' };

const all = scenarios(join(ROOT, 'features'));

for (const level of [1, 2, 3, 4] as Level[]) {
  test(`level ${level}: ${PROFILES[level]} leaves no technical unit without a scenario or an attestation`, () => {
    const { profile, dir } = loadProfile(join(ROOT, PROFILES[level]));
    assert.equal(profile.level, level);
    const expr = profile.features?.tags ? parseTagExpression(profile.features.tags) : undefined;
    const selected = all.filter((s) => !expr || expr.evaluate(s.tags));
    const citedUnits = selected.flatMap((s) => tagValues(s.tags, 'unit'));
    const citedClauses = selected.flatMap((s) => tagValues(s.tags, 'std').flatMap((std) => tagValues(s.tags, 'clause').map((clause) => ({ std, clause }))));
    const file = typeof profile.attestations === 'string' ? resolve(dir, profile.attestations) : undefined;
    const attested = file ? (parse(readFileSync(file, 'utf8')) as { attestations: { unit?: string }[] }).attestations.flatMap((a) => (a.unit ? [a.unit] : [])) : [];
    const cov = catalogCoverage({ level, citedClauses, citedUnits, attestedUnits: attested });
    assert.deepEqual(cov.unknownClauses, []);
    assert.deepEqual(cov.unknownUnits, []);
    const technical = cov.uncoveredUnits.filter((u) => u.id.startsWith('6.'));
    assert.deepEqual(technical.map((u) => u.id), [], `uncovered technical units at level ${level}`);
    // the GB/T 39786 scenarios a level runs cite, in @unit, units that level assesses (a @level tag that lies would show here)
    const atLevel = new Set(unitsAtLevel(loadCatalog(), level).map((u) => u.id));
    for (const s of selected.filter((x) => x.file.includes('gbt39786') && tagValues(x.tags, 'std').includes('GBT39786-2021'))) {
      assert.ok(tagValues(s.tags, 'unit').some((u) => atLevel.has(u)), `${s.name} runs at level ${level} but cites no unit assessed there`);
    }
    // every automated GB/T 39786 unit of this layer set is reached by scenarios in features/gbt39786 or the platform features
    const automated = new Set(citedUnits.filter((u) => atLevel.has(u)));
    assert.ok(['6.2.1', '6.2.2', '6.2.3', '6.3.1', '6.3.5', '6.4.1', '6.4.2', '6.4.4', '6.4.5', '6.4.6', '6.4.7'].every((u) => automated.has(u)), `level ${level}: network and application scenarios missing (${[...automated].join(', ')})`);
    if (level >= 3) assert.ok(['6.3.2', '6.3.6', '6.4.8'].every((u) => automated.has(u)), 'remote management, executable integrity and non-repudiation are automated at levels 3 and 4');
  });
}

test('a level-N profile selects GB/T 39786 scenarios by @level:N (6.3.2 only at levels 3 and 4)', () => {
  const remote = all.filter((s) => s.file.includes('gbt39786') && s.tags.includes('@unit:6.3.2') && !s.tags.includes('@unit:6.2.1'));
  assert.ok(remote.length >= 1);
  for (const s of remote) assert.deepEqual(tagValues(s.tags, 'level').sort(), ['3', '4'], s.name);
});
