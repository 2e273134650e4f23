/** Scenarios of the feature files with their effective tags (feature + scenario), read without cucumber: fast, for static checks. */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Scenario { file: string; name: string; tags: string[] }
export function scenarios(dir: string): Scenario[] {
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
export const tagValues = (tags: string[], name: string) => tags.filter((t) => t.startsWith(`@${name}:`)).map((t) => t.slice(name.length + 2));
