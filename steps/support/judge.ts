import assert from 'node:assert/strict';
import type { Observation } from '../../probes/observation.ts';
import type { ApiTarget } from '../../probes/api/call.ts';
import type { GmWorld } from './world.ts';

/** The result of judging one object's observation. */
export interface Judgement { passed: boolean; expected?: string; observed?: string; reason: string }

const OBS = 'observation';
const BLOCKED = 'blocked';

/** Stores what a When-step saw for an object; a not-tested observation blocks the object's later steps. */
export function remember(world: GmWorld, objectId: string, obs: Observation, key = OBS): void {
  const s = world.stateOf(objectId);
  s[key] = obs;
  if (obs.notTested && !s[BLOCKED]) s[BLOCKED] = obs;
}

export function recall<T>(world: GmWorld, objectId: string, key = OBS): Observation<T> | undefined {
  return world.stateOf(objectId)[key] as Observation<T> | undefined;
}

/** Runs a probe step on every target still testable (those blocked by an earlier not-tested step are left alone). */
export async function forEachTarget(world: GmWorld, fn: (t: ApiTarget) => Promise<void>): Promise<void> {
  for (const t of world.targets) {
    if (world.stateOf(t.object.id)[BLOCKED]) continue;
    await fn(t);
  }
}

/**
 * The Then-step pattern: one finding per object. Objects whose probing could not happen get
 * `not_tested` with the probe's reason. The step fails if any object failed, and is skipped
 * (scenario not tested) if nothing could be judged at all.
 */
export async function judgeEach<T>(world: GmWorld, check: string, judge: (data: T, t: ApiTarget) => Judgement, key = OBS): Promise<'skipped' | void> {
  let judged = 0;
  const failures: string[] = [];
  for (const u of world.unreachable) {
    await world.addFinding({ check, status: 'not_tested', reasonCode: 'could_not_test', reason: u.reason, object: { id: u.object.id, name: u.object.name }, evidence: [] });
  }
  if (!world.targets.length && !world.unreachable.length) {
    await world.addFinding({ check, status: 'not_applicable', reason: '测评配置中没有此类测评对象 / the profile declares no object of this kind', object: { id: '-', name: '-' }, evidence: [] });
    return 'skipped';
  }
  for (const t of world.targets) {
    const s = world.stateOf(t.object.id);
    const blocked = s[BLOCKED] as Observation | undefined;
    const obs = (blocked ?? s[key]) as Observation<T> | undefined;
    if (!obs || obs.notTested || obs.data === undefined) {
      const nt = obs?.notTested ?? { reason: 'error' as const, detail: `no observation "${key}" was made before this check (feature step order)` };
      await world.addFinding({ check, status: 'not_tested', reasonCode: nt.reason, reason: nt.detail, object: t.object, evidence: obs?.evidence ?? [] });
      continue;
    }
    let j: Judgement;
    try {
      j = judge(obs.data, t);
    } catch (e) {
      j = { passed: false, reason: `判定出错 / judgement error: ${(e as Error).message}` };
    }
    judged++;
    await world.addFinding({ check, status: j.passed ? 'passed' : 'failed', reason: j.reason, object: t.object, expected: j.expected, observed: j.observed, evidence: obs.evidence });
    if (!j.passed) failures.push(`${t.object.name}: ${j.reason}${j.expected ? `\n  expected: ${j.expected}` : ''}${j.observed ? `\n  observed: ${j.observed}` : ''}`);
  }
  if (failures.length) assert.fail(`${check}\n${failures.join('\n')}`);
  if (!judged) return 'skipped';
}
