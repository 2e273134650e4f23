/**
 * Every GB/T 39786 technical unit the catalogue assesses at levels 1–4 has, in the level's profile, an automated
 * scenario (a feature citing @unit, selected by the profile's tag expression) or an explicit attestation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import parseTagExpression from '@cucumber/tag-expressions';
import { parse } from 'yaml';
import { catalogCoverage, loadCatalog, unitsAtLevel, type Level } from '../../catalog/index.ts';
import { loadProfile } from '../../profiles/profile.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PROFILES: Record<Level, string> = { 1: 'profiles/level1.yaml', 2: 'profiles/level2.yaml', 3: 'profiles/reference.yaml', 4: 'profiles/level4.yaml' };

interface Scenario { file: string; name: string; tags: string[] }
function scenarios(dir: string): Scenario[] {
  const out: Scenario[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) { out.push(...scenarios(p)); continue; }
    if (!f.endsWith('.feature')) continue;
    let featureTags: string[] = [];
    let pending: string[] = [];
    for (const line of readFileSync(p, 'utf8').split('\n')) {
      const t = line.trim();
      if (t.startsWith('@')) { pending.push(...t.split(/\s+/).filter((x) => x.startsWith('@'))); continue; }
      if (/^功能[:：]/.test(t)) { featureTags = pending; pending = []; continue; }
      const m = /^(场景|场景大纲)[:：]\s*(.*)$/.exec(t);
      if (m) { out.push({ file: p, name: m[2]!, tags: [...featureTags, ...pending] }); pending = []; continue; }
      if (t && !t.startsWith('#')) pending = pending.length && /^(背景|例子)/.test(t) ? [] : pending;
    }
  }
  return out;
}
const tagValues = (tags: string[], name: string) => tags.filter((t) => t.startsWith(`@${name}:`)).map((t) => t.slice(name.length + 2));

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
    assert.ok(['6.2.1', '6.2.2', '6.2.3', '6.4.1'].every((u) => automated.has(u)), `level ${level}: network and application scenarios missing (${[...automated].join(', ')})`);
    if (level >= 3) assert.ok(automated.has('6.3.2'), 'remote-management scenarios run at levels 3 and 4');
  });
}

test('a level-N profile selects GB/T 39786 scenarios by @level:N (6.3.2 only at levels 3 and 4)', () => {
  const remote = all.filter((s) => s.file.includes('gbt39786') && s.tags.includes('@unit:6.3.2') && !s.tags.includes('@unit:6.2.1'));
  assert.ok(remote.length >= 1);
  for (const s of remote) assert.deepEqual(tagValues(s.tags, 'level').sort(), ['3', '4'], s.name);
});
