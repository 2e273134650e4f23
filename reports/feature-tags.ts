import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Units and D/A/K that the feature files' scenarios cite (tags only; no run needed). */
export interface CitedScenario { file: string; line: number; units: string[]; dak: string[] }

const SCENARIO = /^\s*(场景大纲|场景|剧本大纲|剧本|Scenario Outline|Scenario Template|Scenario|Example)\s*:/;
const FEATURE = /^\s*(功能|Feature)\s*:/;

export function citedScenarios(paths: string[]): CitedScenario[] {
  const files: string[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    else if (p.endsWith('.feature')) files.push(p);
  };
  for (const p of paths) walk(p);
  const out: CitedScenario[] = [];
  for (const file of files.sort()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let featureTags: string[] = [];
    let pending: string[] = [];
    lines.forEach((l, i) => {
      const t = l.trim();
      if (t.startsWith('@')) pending.push(...t.split(/\s+/).filter((x) => x.startsWith('@')));
      else if (FEATURE.test(l)) { featureTags = pending; pending = []; }
      else if (SCENARIO.test(l)) {
        const tags = [...featureTags, ...pending];
        pending = [];
        out.push({ file, line: i + 1, units: tags.filter((x) => x.startsWith('@unit:')).map((x) => x.slice(6)), dak: tags.filter((x) => x.startsWith('@dak:')).map((x) => x.slice(5)) });
      } else if (t && !t.startsWith('#')) pending = [];
    });
  }
  return out;
}
