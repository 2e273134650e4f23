import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { levelAttestations, levelFile } from './level-attestations.ts';

for (const level of [1, 2, 4] as const) {
  test(`profiles/reference-attestations-level${level}.yaml is the level-3 demonstration set restricted to level ${level}`, () => {
    assert.equal(readFileSync(levelFile(level), 'utf8'), levelAttestations(level), 'out of date: node --import tsx test/gbt39786/level-attestations.ts --write');
  });
}
