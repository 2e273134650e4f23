import { InputError } from '../lib/errors.ts';
import type { GateResult } from './model.ts';

/**
 * CI gate expressions: comma-separated clauses `metric OP number`, e.g. `failed=0,not_tested<=2`
 * or `score>=90,high=0`. Metrics come from the report; asking for one the run does not have is an input error.
 */
export interface GateClause { metric: string; op: '>=' | '<=' | '>' | '<' | '=' | '=='; value: number; text: string }

const CLAUSE = /^\s*([a-z_]+)\s*(>=|<=|==|=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/;

export function parseGate(expr: string): GateClause[] {
  const parts = expr.split(',').filter((p) => p.trim());
  if (!parts.length) throw new InputError(`--gate: empty expression`);
  return parts.map((p) => {
    const m = CLAUSE.exec(p);
    if (!m) throw new InputError(`--gate: cannot read "${p.trim()}"`, ['form: metric OP number, e.g. failed=0,not_tested<=2,score>=90']);
    return { metric: m[1]!, op: m[2] as GateClause['op'], value: Number(m[3]), text: p.trim() };
  });
}

/**
 * The default when no gate is given: no automated check failed and every one could be tested (waived ones
 * excepted). Uncovered catalogue units and the score are not in it — they are always reported, and a CI
 * gate asks for them explicitly (`score>=90,high=0,uncovered=0`); see docs/reports.md.
 */
export const DEFAULT_GATE = 'failed=0,not_tested=0';

/** Metrics about what could not be tested or judged: their clauses fail with exit 3, not 1. */
export const UNTESTABLE_METRICS = ['not_tested', 'uncovered', 'incomplete'];

/** What each metric means (listed in docs/ci.md and in the error for an unknown metric). */
export const GATE_METRICS: Record<string, string> = {
  failed: 'failed scenarios not covered by an active waiver',
  not_tested: 'not-tested scenarios not covered by an active waiver',
  passed: 'passed scenarios',
  not_applicable: 'not-applicable scenarios',
  waived: 'failed or not-tested scenarios covered by an active waiver',
  errors: 'scenarios that broke (a step crashed)',
  scenarios: 'scenarios run',
  score: 'GB/T 39786 total (2023 rule), unknowns counted as failing; 0 when no total can be computed',
  score_max: 'the total with unknowns counted as passing',
  high: 'high-risk items among the judged results',
  uncovered: 'units at the level with no scenario and no attestation',
  incomplete: 'covered units with a dimension nobody judged',
  expired_waivers: 'waivers past their expiry (ignored)',
};

/** Clauses about untestable targets fail with exit 3; any other failed clause with exit 1 (which wins). */
export function evaluateGate(expr: string, metrics: Record<string, number | undefined>): GateResult {
  const clauses = parseGate(expr).map((c) => {
    const actual = metrics[c.metric];
    if (actual === undefined) throw new InputError(`--gate: metric "${c.metric}" is not available in this run`, [`available: ${Object.keys(metrics).filter((k) => metrics[k] !== undefined).join(', ')}`]);
    const ok = c.op === '>=' ? actual >= c.value : c.op === '<=' ? actual <= c.value : c.op === '>' ? actual > c.value : c.op === '<' ? actual < c.value : actual === c.value;
    return { clause: c.text, metric: c.metric, actual, passed: ok };
  });
  const failed = clauses.filter((c) => !c.passed);
  const exitCode = failed.some((c) => !UNTESTABLE_METRICS.includes(c.metric)) ? 1 : failed.length ? 3 : 0;
  return { expression: expr, passed: failed.length === 0, exitCode, clauses: clauses.map(({ clause, actual, passed }) => ({ clause, actual, passed })) };
}
