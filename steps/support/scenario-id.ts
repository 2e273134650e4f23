import { createHash } from 'node:crypto';

/**
 * A stable id for a scenario (or one example row of an outline): feature file, scenario name and the
 * step texts (which carry the example row's values). Cucumber's AST ids are random per run, so they
 * are not used. Stable as long as the feature text is, so reports of two runs can be diffed.
 */
export function scenarioId(uri: string, name: string, stepTexts: readonly string[]): string {
  const file = uri.replace(/\\/g, '/').replace(/^.*?features\//, '').replace(/\.feature$/, '');
  const h = createHash('sha256').update(`${file}\n${name}\n${stepTexts.join('\n')}`).digest('hex').slice(0, 8);
  return `${file.replace(/[^\p{L}\p{N}/_-]+/gu, '_')}#${h}`;
}
