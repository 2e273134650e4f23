/** Lint registry and profiles (gmt0015-2012, gmt0015-2023, rfc5280). */
import { ALL_LINTS } from './all.ts';
import type { Lint, LintMeta } from './types.ts';

export const PROFILES = {
  'gmt0015-2012': { description: 'GM/T 0015-2012 certificate profile with RFC 5280 / RFC 6960 base rules', include: (m: LintMeta) => m.editions.includes('2012') },
  'gmt0015-2023': { description: 'GM/T 0015-2023 certificate profile with RFC 5280 / RFC 6960 base rules', include: (m: LintMeta) => m.editions.includes('2023') },
  'rfc5280': { description: 'algorithm-neutral RFC 5280 / RFC 6960 / RFC 3161 / X.690 / X.520 rules only', include: (m: LintMeta) => ['RFC 5280', 'RFC 6960', 'RFC 3161', 'X.690', 'X.520'].includes(m.source) },
} as const;
export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

const byProfile = new Map<ProfileName, Lint[]>();
export function profileLints(name: ProfileName): readonly Lint[] {
  let l = byProfile.get(name);
  if (!l) {
    const p = PROFILES[name];
    if (!p) throw new Error(`unknown lint profile ${name}`);
    l = ALL_LINTS.filter((x) => p.include(x.meta));
    byProfile.set(name, l);
  }
  return l;
}

export function lintById(id: string): Lint | undefined {
  return ALL_LINTS.find((l) => l.meta.id === id);
}

export { ALL_LINTS };
