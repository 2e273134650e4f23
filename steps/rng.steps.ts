import { Given, Then, When } from '@cucumber/cucumber';
import { judgeItem } from '../lib/rng/index.ts';
import { FileEvidenceSink } from '../probes/evidence.ts';
import { TargetUnreachableError, type Adapter } from '../probes/adapters/index.ts';
import type { EvidenceRef } from '../probes/evidence.ts';
import type { Observation } from '../probes/observation.ts';
import {
  adapterRandomSource, openSdfRandomSession, probeRandomFile, probeRandomSource, resolveRngPlan, sampleScope, sdfRandomSource,
  type RngPlan, type RngSample,
} from '../probes/rng/index.ts';
import type { EvalObject } from '../profiles/profile.ts';
import { forEachTarget, judgeEach, remember, type Judgement } from './support/judge.ts';
import type { GmWorld } from './support/world.ts';

// Randomness steps (GM/T 0005-2021 clause 6; T/TCGIA 0003-2023 6.5.3 a). The When-step takes a sample group
// through probes/rng (P- and Q-values only); the Then-steps apply the decision rules of lib/rng.

const ALPHA = 0.01; // GM/T 0005-2021 6.2
const ALPHA_T = 0.0001; // GM/T 0005-2021 6.3

/** The groups taken from one source: the first, and fresh ones after a failed group (options.resamples). */
interface RngEvaluation {
  groups: RngSample[];
  resamples: number;
  /** why resampling stopped early (a later group could not be collected) */
  resampleNote?: string;
}

/** Adapter slot for sources that need none (files, SDF): it offers no operation. */
const NO_ADAPTER: Adapter = {
  name: 'none', type: 'none', operations: () => [], authModes: () => [],
  call: async (op) => { throw new Error(`no adapter: operation ${op} unavailable`); },
};

const PLAN = 'rngPlan';

/**
 * The profile's rng-source objects. A profile that declares none still has its crypto-service interfaces'
 * random service sampled (adapter operation `random`, quick sample), as object "<id>.random".
 */
async function selectRngSources(w: GmWorld): Promise<void> {
  const declared = w.ctx.objects.some((o) => o.kind === 'rng-source');
  await w.selectObjects(declared ? 'rng-source' : 'crypto-service');
  const derive = (o: EvalObject): EvalObject => (declared ? o : { id: `${o.id}.random`, name: `${o.name}的随机数服务`, kind: 'rng-source', adapter: o.adapter, options: { source: 'api' } });
  const reachable = w.targets;
  const unreachable = w.unreachable;
  w.targets = [];
  w.unreachable = [];
  const add = (raw: EvalObject, adapter: Adapter | undefined, why?: string) => {
    let plan: RngPlan;
    try {
      plan = resolveRngPlan(raw.options ?? {}, `objects[id=${raw.id}].options`);
    } catch (e) {
      w.unreachable.push({ object: raw, reason: `测评配置错误 / profile error: ${(e as Error).message}` });
      return;
    }
    if (plan.source === 'api' && !adapter) {
      w.unreachable.push({ object: raw, reason: why ?? `object ${raw.id} names no adapter` });
      return;
    }
    const object = { id: raw.id, name: raw.name };
    w.stateOf(raw.id)[PLAN] = plan;
    w.targets.push({ adapter: adapter ?? NO_ADAPTER, object, raw, evidence: new FileEvidenceSink(w.ctx.runDir, `${w.scenarioId}/${raw.id}`) });
  };
  for (const t of reachable) add(derive(t.raw), t.adapter);
  for (const u of unreachable) add(derive(u.object), undefined, u.reason);
}

Given('被测对象为各随机数源', async function (this: GmWorld) {
  await selectRngSources(this);
});

// One sample group per source and run, shared by the scenarios that judge it (6.2, 6.3, 6.4, 6.5.3 a), as an
// assessor takes one sample and applies every rule to it. Keyed by run folder: a new run never sees an old sample.
const samples = new Map<string, Promise<Observation<RngEvaluation>>>();

function groupPasses(g: RngSample): boolean {
  return g.items.every((it) => judgeItem(it.pValues, it.qValues, ALPHA, ALPHA_T).passed);
}

async function sampleOnce(w: GmWorld, t: GmWorld['targets'][number], plan: RngPlan, label: string, deadline: number): Promise<Observation<RngSample>> {
  const target = { object: t.object, evidence: t.evidence };
  if (plan.source === 'file') return probeRandomFile(target, plan, { label });
  if (plan.source === 'api') return probeRandomSource(target, adapterRandomSource(t.adapter, plan.requestBytes, w.ctx.timeouts.requestMs), plan, { label, deadline });
  try {
    // an sdf adapter on the object supplies the device when the options do not name one
    const conf = (t.adapter as { config?: { endpoint?: string; library?: string; edition?: '2012' | '2023' } }).config;
    const device = plan.sdf?.endpoint || plan.sdf?.library ? plan.sdf : t.adapter.type === 'sdf' ? { endpoint: conf?.endpoint, library: conf?.library, edition: conf?.edition } : {};
    const session = await openSdfRandomSession({ ...device, timeoutMs: w.ctx.timeouts.requestMs });
    try {
      return await probeRandomSource(target, sdfRandomSource(session, plan.requestBytes), plan, { label, deadline });
    } finally {
      await session.close();
    }
  } catch (e) {
    const reason = e instanceof TargetUnreachableError ? 'could_not_test' : 'not_offered';
    return { probe: 'rng', object: t.object, at: new Date().toISOString(), notTested: { reason, detail: (e as Error).message }, evidence: [] };
  }
}

async function evaluateSource(w: GmWorld, t: GmWorld['targets'][number], plan: RngPlan, deadline: number): Promise<Observation<RngEvaluation>> {
  const groups: RngSample[] = [];
  const evidence: EvidenceRef[] = [];
  let resampleNote: string | undefined;
  for (let k = 0; k <= plan.resamples; k++) {
    const obs = await sampleOnce(w, t, plan, k ? `-${k + 1}` : '', deadline);
    evidence.push(...obs.evidence);
    if (!obs.data) {
      if (!groups.length) return { ...obs, evidence } as Observation<RngEvaluation>;
      resampleNote = `第 ${k + 1} 组样本未能采集 / group ${k + 1} could not be collected: ${obs.notTested?.detail}`;
      break;
    }
    groups.push(obs.data);
    if (groupPasses(obs.data)) break;
  }
  return { probe: 'rng', object: t.object, at: new Date().toISOString(), data: { groups, resamples: plan.resamples, resampleNote }, evidence };
}

When('从随机数源采集样本，按 GM\\/T 0005-2021 计算各检测项的 P 值和 Q 值', async function (this: GmWorld) {
  for (const k of samples.keys()) if (!k.startsWith(`${this.ctx.runDir}\0`)) samples.delete(k);
  // one deadline for all sources of the step, with a margin before cucumber's own timeout, so that a slow
  // source is reported (sample incomplete), not killed
  const deadline = Date.now() + Math.max(1000, this.ctx.timeouts.stepMs - 3000);
  // sources are sampled side by side (network-bound); results are recorded in object order
  const pending = new Map<string, { key: string; p: Promise<Observation<RngEvaluation>> }>();
  await forEachTarget(this, async (t) => {
    const plan = this.stateOf(t.object.id)[PLAN] as RngPlan;
    const key = `${this.ctx.runDir}\0${t.object.id}\0${JSON.stringify(plan)}`;
    let p = samples.get(key);
    if (!p) samples.set(key, (p = evaluateSource(this, this.targets.find((x) => x.object.id === t.object.id)!, plan, deadline)));
    pending.set(t.object.id, { key, p });
  });
  await forEachTarget(this, async (t) => {
    const { key, p } = pending.get(t.object.id)!;
    const obs = await p;
    // a sample that could not be taken is not cached: the next scenario tries again
    if (!obs.data) samples.delete(key);
    remember(this, t.object.id, obs);
  });
});

// --- judging -------------------------------------------------------------------------------------

/** The group the verdict rests on: the first that passes 6.4, or the last one taken. */
function decisive(e: RngEvaluation): { g: RngSample; index: number } {
  const i = e.groups.findIndex(groupPasses);
  const index = i >= 0 ? i : e.groups.length - 1;
  return { g: e.groups[index]!, index };
}

/** Scope and procedure every finding states: quick or full sample, which group, re-sampling. */
function context(e: RngEvaluation): string {
  const { g, index } = decisive(e);
  const scope = sampleScope(g.bits, g.sequences);
  const parts = [scope.zh, `样本 SM3 ${g.sm3.slice(0, 16)}…（${g.bytes} 字节，${g.source.description}）`];
  if (e.groups.length > 1) {
    parts.push(index > 0 && index === e.groups.findIndex(groupPasses)
      ? `判定依据第 ${index + 1} 组样本：前 ${index} 组未通过 6.4，按测评配置重新采样（resamples=${e.resamples}，测评程序而非 GM/T 0005 的规定）`
      : `共采集 ${e.groups.length} 组样本均未通过（resamples=${e.resamples}），判定依据最后一组`);
  }
  if (e.resampleNote) parts.push(e.resampleNote);
  parts.push(scope.en);
  return parts.join('；');
}

interface ItemRow { id: string; nameZh: string; v: ReturnType<typeof judgeItem> }
function rows(g: RngSample): ItemRow[] {
  return g.items.map((it) => ({ id: it.id, nameZh: it.nameZh, v: judgeItem(it.pValues, it.qValues, ALPHA, ALPHA_T) }));
}
const list = (xs: string[], max = 8) => (xs.length > max ? [...xs.slice(0, max), `… 共 ${xs.length} 项`] : xs).join('；');
const p6 = (x: number) => (x === 0 ? '0' : x < 1e-6 ? x.toExponential(2) : x.toFixed(6));

Then('每个检测项中 P 值不小于 0.01 的序列数应达到样本通过率要求', async function (this: GmWorld) {
  return judgeEach<RngEvaluation>(this, 'GM/T 0005-2021 6.2 样本通过率：每个检测项的通过序列数不少于 t(s)', (e): Judgement => {
    const { g } = decisive(e);
    const r = rows(g);
    const bad = r.filter((x) => !x.v.passedCount);
    const t = r[0]?.v.threshold ?? 0;
    return {
      passed: r.length > 0 && bad.length === 0,
      expected: `${r.length} 个检测项，每项 P ≥ ${ALPHA} 的序列数 ≥ t(${g.sequences}) = ${t}`,
      observed: bad.length ? `未达到的检测项：${list(bad.map((x) => `${x.id}（${x.nameZh}）${x.v.passCount}/${g.sequences}`))}` : `最少通过数 ${Math.min(...r.map((x) => x.v.passCount))}/${g.sequences}`,
      reason: `${bad.length ? `${bad.length} 个检测项的通过序列数低于 ${t}` : `全部 ${r.length} 个检测项的通过序列数均不少于 ${t}`}。${context(e)}`,
    };
  });
});

Then('每个检测项的 Q 值应分布均匀，P_T 不小于 0.0001', async function (this: GmWorld) {
  return judgeEach<RngEvaluation>(this, 'GM/T 0005-2021 6.3 样本分布均匀性：每个检测项 Q 值的 P_T ≥ 0.0001', (e): Judgement => {
    const { g } = decisive(e);
    const r = rows(g);
    const bad = r.filter((x) => !x.v.passedUniformity);
    return {
      passed: r.length > 0 && bad.length === 0,
      expected: `${r.length} 个检测项，每项 Q 值 10 等分直方图的 P_T = igamc(9/2, V/2) ≥ ${ALPHA_T}`,
      observed: bad.length ? `不均匀的检测项：${list(bad.map((x) => `${x.id} P_T=${p6(x.v.pT)} 分布[${x.v.bins.join(',')}]`))}` : `最小 P_T = ${p6(Math.min(...r.map((x) => x.v.pT)))}`,
      reason: `${bad.length ? `${bad.length} 个检测项的 Q 值分布不均匀` : `全部 ${r.length} 个检测项的 Q 值分布均匀`}。${context(e)}`,
    };
  });
});

Then('样本组应通过全部检测项的通过率和分布均匀性判定', async function (this: GmWorld) {
  return judgeEach<RngEvaluation>(this, 'GM/T 0005-2021 6.4 样本组判定：全部检测项同时满足 6.2 与 6.3', (e): Judgement => {
    const { g } = decisive(e);
    const r = rows(g);
    const bad = r.filter((x) => !x.v.passed);
    const why = (x: ItemRow) => [!x.v.passedCount && `通过数 ${x.v.passCount}<${x.v.threshold}`, !x.v.passedUniformity && `P_T=${p6(x.v.pT)}`].filter(Boolean).join('，');
    return {
      passed: r.length > 0 && bad.length === 0,
      expected: `全部 ${r.length} 个检测项通过（通过数 ≥ ${r[0]?.v.threshold ?? '-'}，P_T ≥ ${ALPHA_T}）`,
      observed: bad.length ? `未通过的检测项：${list(bad.map((x) => `${x.id}（${why(x)}）`))}` : `${r.length} 个检测项全部通过`,
      reason: `${bad.length ? `样本组未通过随机性检测：${bad.length}/${r.length} 个检测项未通过` : '样本组通过随机性检测'}。${context(e)}`,
    };
  });
});
