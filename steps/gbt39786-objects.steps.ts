import assert from 'node:assert/strict';
import { FileEvidenceSink } from '../probes/evidence.ts';
import type { Observation } from '../probes/observation.ts';
import type { EvalObject, ObjectKind } from '../profiles/profile.ts';
import type { Judgement } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';

/**
 * Objects reached without an adapter (network zones, the web console): their probes run once per run and
 * object — every scenario about the same zone or console judges the same observation — and each Then-step
 * writes one finding per object (not_tested with the probe's reason when it saw nothing; never a pass).
 */
const cache = new Map<string, Promise<Observation>>();

export function objectsOf(world: GmWorld, kind: ObjectKind, filter: (o: EvalObject) => boolean = () => true): EvalObject[] {
  return world.ctx.objects.filter((o) => o.kind === kind && filter(o));
}

export function observeOnce<T>(world: GmWorld, o: EvalObject, probe: string, run: (evidence: FileEvidenceSink) => Promise<Observation<T>>): Promise<Observation<T>> {
  const key = `${world.ctx.runDir}\u0000${probe}\u0000${o.id}`;
  let p = cache.get(key);
  if (!p) {
    p = run(new FileEvidenceSink(world.ctx.runDir, `${probe}/${o.id}`)).catch((e: Error) => ({ probe, object: { id: o.id, name: o.name }, at: new Date().toISOString(), notTested: { reason: 'error' as const, detail: `${probe}: ${e.message}` }, evidence: [] }));
    cache.set(key, p);
    // a run's observations are not needed once the run is over; keep the cache small across runs
    if (cache.size > 64) cache.delete(cache.keys().next().value!);
  }
  return p as Promise<Observation<T>>;
}

export interface Selected<T> { object: EvalObject; obs: Observation<T> }

/** One finding per object; a failed judgement fails the step, nothing judged skips it. */
/** A judgement, or: this object has nothing the check is about (e.g. a zone without TLS services). */
export type ObjectJudgement = (Judgement & { strengthBits?: number }) | { notApplicable: true; reason: string };

export async function judgeObjects<T>(world: GmWorld, check: string, selected: Selected<T>[], judge: (data: T, o: EvalObject) => ObjectJudgement): Promise<'skipped' | void> {
  if (!selected.length) {
    await world.addFinding({ check, status: 'not_applicable', reason: '测评配置中没有此类测评对象 / the profile declares no object of this kind', object: { id: '-', name: '-' }, evidence: [] });
    return 'skipped';
  }
  let judged = 0;
  const failures: string[] = [];
  for (const { object, obs } of selected) {
    const ref = { id: object.id, name: object.name };
    if (!obs.data || obs.notTested) {
      await world.addFinding({ check, status: 'not_tested', reasonCode: obs.notTested?.reason ?? 'error', reason: obs.notTested?.detail ?? 'no observation', object: ref, evidence: obs.evidence });
      continue;
    }
    let j: ObjectJudgement;
    try { j = judge(obs.data, object); } catch (e) { j = { passed: false, reason: `判定出错 / judgement error: ${(e as Error).message}` }; }
    if ('notApplicable' in j) {
      await world.addFinding({ check, status: 'not_applicable', reason: j.reason, object: ref, evidence: obs.evidence });
      continue;
    }
    judged++;
    // a measured strength is reported only with the failure it explains (it sets Ra of the A dimension)
    const bits = !j.passed && j.strengthBits !== undefined ? { strengthBits: j.strengthBits } : {};
    await world.addFinding({ check, status: j.passed ? 'passed' : 'failed', reason: j.reason, object: ref, expected: j.expected, observed: j.observed, ...bits, evidence: obs.evidence });
    if (!j.passed) failures.push(`${object.name}: ${j.reason}${j.observed ? `\n  observed: ${j.observed}` : ''}`);
  }
  if (failures.length) assert.fail(`${check}\n${failures.join('\n')}`);
  // only not-applicable objects: the scenario is not applicable (cucumber: skipped); untested ones are not_tested
  if (!judged) return 'skipped';
}
