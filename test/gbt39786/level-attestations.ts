/**
 * The level-1/2/4 demonstration attestation files are derived from the level-3 one (profiles/reference-attestations.yaml):
 * unit attestations are kept where GB/T 39786 assesses the unit at that level, scenario attestations always.
 * `node --import tsx test/gbt39786/level-attestations.ts --write` regenerates them; level-attestations.test.ts keeps them in sync.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadCatalog, unitsAtLevel, type Level } from '../../catalog/index.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const LEVEL_ZH: Record<number, string> = { 1: '一', 2: '二', 4: '四' };
export const levelFile = (level: Level) => join(ROOT, `profiles/reference-attestations-level${level}.yaml`);

export function levelAttestations(level: Exclude<Level, 3>): string {
  const base = parse(readFileSync(join(ROOT, 'profiles/reference-attestations.yaml'), 'utf8')) as { attestations: { unit?: string }[]; waivers?: unknown[] };
  const assessed = new Set(unitsAtLevel(loadCatalog(), level).map((u) => u.id));
  const attestations = base.attestations.filter((a) => !a.unit || assessed.has(a.unit));
  const head = [
    `# 演示用人工确认（DEMONSTRATION ATTESTATIONS），等级 ${level} — 不是真实测评人员的结论。`,
    `# Generated from reference-attestations.yaml (level 3) keeping the units GB/T 39786 assesses at level ${level}`,
    `# (catalog/gbt39786.yaml); a real assessment writes its own: gmeval attest init --level ${level}.`,
    `# Regenerate: node --import tsx test/gbt39786/level-attestations.ts --write`,
  ].join('\n');
  return `${head}\n${stringify({ schemaVersion: 1, description: `参考平台${LEVEL_ZH[level]}级测评的演示用人工确认（demonstration only）`, attestations, waivers: base.waivers ?? [] }, { lineWidth: 0 })}`;
}

if (process.argv.includes('--write')) {
  for (const level of [1, 2, 4] as const) writeFileSync(levelFile(level), levelAttestations(level));
}
