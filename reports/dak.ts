import { unitsAtLevel, type Catalog, type Dimension as Dak, type Level, type Unit } from '../catalog/index.ts';
import { resolveRules, scoreEvaluation, type ScoreInput, type ScoreResult, type UnitInput, type ObjectInput } from './score/index.ts';
import { attestedDak, type Attestation, type DakValue } from './manual.ts';
import type { ReportScenario } from './model.ts';

/**
 * From findings to the 2023 score: each scenario's `@unit:` and `@dak:` tags say which GB/T 39786 unit and
 * dimension it feeds; per 测评对象 the findings decide D, A, K (any failed → ✘; any untested → unknown;
 * passed → ✔; all not applicable → "/"); attestations fill what no scenario judged. The chain
 * finding → dimension → object → unit is kept for the report; the scorer does unit → layer → total.
 */

export const DAKS: Dak[] = ['D', 'A', 'K'];

/** null = nobody judged it (no scenario, untested, no attestation). */
export type DimValue = DakValue | null;

export interface ChainFinding { scenario: string; check: string; status: string; reason: string }

export interface DimJudgement {
  value: DimValue;
  source: 'findings' | 'attestation' | 'none';
  findings: ChainFinding[];
  attestation?: string;
  /** an attestation that says otherwise than the findings (the findings win; listed for the assessor) */
  conflict?: string;
  /** why the value is unknown */
  reason?: string;
}

export type ManagementValue = '符合' | '部分符合' | '不符合' | null;

export interface ObjectChain {
  name: string;
  /** the profile object id when the object came from findings */
  id?: string;
  applicable: boolean;
  naReason?: string;
  D?: DimJudgement;
  A?: DimJudgement;
  K?: DimJudgement;
  result?: { value: ManagementValue; source: 'findings' | 'attestation' | 'none'; findings: ChainFinding[]; attestation?: string; conflict?: string };
  strengthBits?: number;
  kModuleLevelOnly?: boolean;
  risk?: '高' | '中' | '低' | '无';
  /** every dimension the score needs is known */
  complete: boolean;
  /** object score from the scorer (lower bound when incomplete) and the upper bound */
  score: number | null;
  scoreUpper: number | null;
}

export type Coverage = 'automated' | 'attested' | 'mixed' | 'uncovered';

export interface UnitChain {
  id: string;
  layer: string;
  kind: 'technical' | 'management';
  title: { zh: string; en: string };
  clause: string;
  strength: string;
  weight: number;
  coverage: Coverage;
  complete: boolean;
  applicable: boolean;
  naReason?: string;
  scenarios: string[];
  attestations: string[];
  objects: ObjectChain[];
  score: number | null;
  scoreUpper: number | null;
  result: string;
}

const tagValues = (tags: string[], name: string) => tags.filter((t) => t.startsWith(`@${name}:`)).map((t) => t.slice(name.length + 2));
export const scenarioUnits = (s: { tags: string[] }) => [...new Set(tagValues(s.tags, 'unit'))];
export const scenarioDaks = (s: { tags: string[] }) => [...new Set(tagValues(s.tags, 'dak').filter((d): d is Dak => DAKS.includes(d as Dak)))];
/** `@bits:N`: the strength of the non-compliant algorithm a scenario detects (→ Ra when its A fails); a failed finding's measured `strengthBits` counts too. */
const scenarioBits = (s: { tags: string[] }) => tagValues(s.tags, 'bits').map(Number).filter((n) => Number.isFinite(n));

interface Contribution { scenario: ReportScenario; statuses: ChainFinding[]; attestation?: Attestation }

/** Folds finding statuses: any failed → ✘, any untested → unknown, passed → ✔, only N/A → "/". */
function fold(statuses: ChainFinding[]): { value: DimValue; reason?: string } {
  if (!statuses.length) return { value: null, reason: 'no finding' };
  if (statuses.some((f) => f.status === 'failed')) return { value: false };
  const nt = statuses.find((f) => f.status === 'not_tested');
  if (nt) return { value: null, reason: nt.reason };
  if (statuses.some((f) => f.status === 'passed')) return { value: true };
  return { value: '/' };
}

export interface DeriveResult { units: UnitChain[]; warnings: string[] }

/** Derives per unit and object the D/A/K (or management result) from scenarios and attestations. */
export function deriveUnits(scenarios: ReportScenario[], attestations: Attestation[], catalog: Catalog, level: Level): DeriveResult {
  const warnings: string[] = [];
  const scenarioAtt = new Map(attestations.filter((a) => a.scenario).map((a) => [a.scenario!, a]));
  for (const a of attestations) {
    if (a.scenario && !scenarios.some((s) => s.id === a.scenario)) warnings.push(`attestation ${a.id} (${a.source.file}:${a.source.line}) names scenario ${a.scenario}, which did not run`);
  }
  const out: UnitChain[] = [];
  for (const unit of unitsAtLevel(catalog, level)) {
    const feeding = scenarios.filter((s) => scenarioUnits(s).includes(unit.id));
    const unitAtts = attestations.filter((a) => a.unit === unit.id);
    out.push(deriveUnit(unit, level, feeding, unitAtts, scenarioAtt, warnings));
  }
  const known = new Set(out.map((u) => u.id));
  for (const s of scenarios) for (const u of scenarioUnits(s)) {
    if (!catalog.gbt39786.unitById.has(u)) warnings.push(`scenario ${s.id} cites unknown unit ${u}`);
    else if (!known.has(u)) warnings.push(`scenario ${s.id} cites unit ${u}, which level ${level} does not assess: not scored`);
  }
  return { units: out, warnings };
}

function objectKey(o: { id?: string; name: string }) { return o.id ?? o.name; }

function deriveUnit(unit: Unit, level: Level, feeding: ReportScenario[], unitAtts: Attestation[], scenarioAtt: Map<string, Attestation>, warnings: string[]): UnitChain {
  const technical = unit.kind === 'technical';
  const objects = new Map<string, ObjectChain>();
  const ensure = (id: string | undefined, name: string) => {
    const k = objectKey({ id, name });
    let o = objects.get(k);
    if (!o) objects.set(k, (o = { name, ...(id ? { id } : {}), applicable: true, complete: false, score: null, scoreUpper: null }));
    return o;
  };
  // contributions per object and dimension ('R' = management result)
  const contrib = new Map<string, Map<string, Contribution[]>>();
  const add = (objKey: string, dim: string, c: Contribution) => {
    const m = contrib.get(objKey) ?? new Map<string, Contribution[]>();
    contrib.set(objKey, m);
    m.set(dim, [...(m.get(dim) ?? []), c]);
  };
  const bitsFor = new Map<string, number[]>();
  for (const s of feeding) {
    const dims: string[] = technical ? scenarioDaks(s) : ['R'];
    if (technical && !dims.length) {
      warnings.push(`scenario ${s.id} cites unit ${unit.id} without @dak:D|A|K: not scored`);
      continue;
    }
    const att = scenarioAtt.get(s.id);
    const real = s.findings.filter((f) => f.object.id !== '-');
    const byObject = new Map<string, { id: string; name: string; statuses: ChainFinding[]; measuredBits: number[] }>();
    for (const f of real) {
      const e = byObject.get(f.object.id) ?? { id: f.object.id, name: f.object.name, statuses: [], measuredBits: [] };
      e.statuses.push({ scenario: s.id, check: f.check, status: f.status, reason: f.reason });
      if (f.status === 'failed' && typeof f.strengthBits === 'number' && Number.isFinite(f.strengthBits)) e.measuredBits.push(f.strengthBits);
      byObject.set(f.object.id, e);
    }
    // a scenario that broke before judging any object still says "this unit was not tested"
    if (!byObject.size && s.status === 'not_tested') byObject.set('*', { id: '*', name: '*', statuses: [{ scenario: s.id, check: s.name, status: 'not_tested', reason: s.reason ?? 'not tested' }], measuredBits: [] });
    for (const e of byObject.values()) {
      let statuses = e.statuses;
      let attestation: Attestation | undefined;
      if (att && fold(statuses).value === null) {
        // the assessor judged by hand what the run could not test
        attestation = att;
        const status = att.result === '符合' ? 'passed' : att.result === '不符合' ? 'failed' : 'not_applicable';
        statuses = [{ scenario: s.id, check: `${s.name}（人工确认 ${att.id}）`, status, reason: att.note ?? `${att.assessor} ${att.date} ${att.method}` }];
      }
      if (e.id !== '*') ensure(e.id, e.name);
      for (const d of dims) add(e.id, d, { scenario: s, statuses, attestation });
      // measured strength (from the failed findings) and the scenario's declared @bits; the weakest decides Ra
      const bits = attestation ? scenarioBits(s) : [...scenarioBits(s), ...e.measuredBits];
      if (bits.length && dims.includes('A')) bitsFor.set(e.id, [...(bitsFor.get(e.id) ?? []), ...bits]);
    }
  }
  // an untested scenario with no object applies to every object the unit has
  const star = contrib.get('*');
  contrib.delete('*');
  if (star) {
    if (!objects.size && !unitAtts.length) ensure(undefined, '（未能确定测评对象）');
    for (const k of objects.keys()) for (const [d, cs] of star) for (const c of cs) add(k, d, c);
  }

  for (const [k, o] of objects) {
    const m = contrib.get(k) ?? new Map<string, Contribution[]>();
    const judge = (dim: string): DimJudgement => {
      const cs = m.get(dim) ?? [];
      const statuses = cs.flatMap((c) => c.statuses);
      const f = fold(statuses);
      const att = cs.find((c) => c.attestation)?.attestation;
      return { value: f.value, source: statuses.length ? (att && cs.every((c) => c.attestation) ? 'attestation' : 'findings') : 'none', findings: statuses, ...(att ? { attestation: att.id } : {}), ...(f.reason && f.value === null ? { reason: f.reason } : {}) };
    };
    if (technical) {
      for (const d of DAKS) o[d] = judge(d);
      const bits = bitsFor.get(k);
      if (bits?.length && o.A?.value === false) o.strengthBits = Math.min(...bits);
    } else {
      const j = judge('R');
      o.result = { value: j.value === true ? '符合' : j.value === false ? '不符合' : null, source: j.source, findings: j.findings, ...(j.attestation ? { attestation: j.attestation } : {}) };
      if (j.value === '/') { o.applicable = false; o.naReason = '场景判定为不适用 / scenarios found it not applicable'; }
    }
  }

  // attestations on the unit: fill the dimensions no finding judged; a contradiction is listed, findings win
  for (const a of unitAtts) {
    const match = [...objects.values()].find((o) => a.object !== undefined && (o.id === a.object || o.name === a.object))
      ?? (a.object === undefined && objects.size === 1 && feeding.length ? [...objects.values()][0] : undefined);
    const o = match ?? ensure(undefined, a.object ?? unit.title.zh);
    if (a.risk) o.risk = a.risk;
    if (a.result === '不适用') {
      const judged = technical ? DAKS.some((d) => o[d]?.source === 'findings' && o[d]?.value !== null) : o.result?.source === 'findings' && o.result.value !== null;
      if (judged) warnings.push(`attestation ${a.id} says ${unit.id} "${o.name}" is 不适用, but scenarios judged it: the findings are kept`);
      else { o.applicable = false; o.naReason = a.note ?? `人工确认不适用（${a.id}）`; o.result = undefined; for (const d of DAKS) delete o[d]; (o as ObjectChain & { naAttestation?: string }).naAttestation = a.id; }
      continue;
    }
    if (!technical) {
      const cur = o.result;
      if (cur && cur.value !== null && cur.source === 'findings') {
        if (cur.value !== a.result) { cur.conflict = `${a.id}: ${a.result}`; warnings.push(`attestation ${a.id} (${a.result}) contradicts the findings for ${unit.id} "${o.name}" (${cur.value}): the findings are kept and the attestation is not used`); }
      } else o.result = { value: a.result as ManagementValue, source: 'attestation', findings: cur?.findings ?? [], attestation: a.id };
      continue;
    }
    const dak = attestedDak(a) as Exclude<ReturnType<typeof attestedDak>, 'na'>;
    // an attestation the findings contradict is not used at all: its other dimensions rest on the same judgement
    const conflicts = DAKS.filter((d) => dak[d] !== undefined && o[d] && o[d]!.value !== null && o[d]!.source !== 'none' && o[d]!.value !== dak[d]);
    for (const d of conflicts) {
      o[d]!.conflict = `${a.id}: ${String(dak[d])}`;
      warnings.push(`attestation ${a.id} says ${d}=${String(dak[d])} for ${unit.id} "${o.name}", contradicting the findings (${String(o[d]!.value)}): the findings are kept and the attestation is not used`);
    }
    if (conflicts.length) continue;
    for (const d of DAKS) {
      const v = dak[d];
      const cur = o[d];
      if (v === undefined || (cur && cur.value !== null && cur.source !== 'none')) continue;
      o[d] = { value: v, source: 'attestation', findings: cur?.findings ?? [], attestation: a.id, ...(cur?.reason ? { reason: `untested by the run (${cur.reason}); attested` } : {}) };
    }
    if (a.strengthBits !== undefined) o.strengthBits = a.strengthBits;
    if (a.kModuleLevelOnly !== undefined) o.kModuleLevelOnly = a.kModuleLevelOnly;
  }

  for (const o of objects.values()) {
    if (!o.applicable) { o.complete = true; continue; }
    if (technical) {
      const D = o.D?.value ?? null;
      o.complete = D === false || D === '/' ? true : D === true && (o.A?.value ?? null) !== null && (o.K?.value ?? null) !== null;
    } else o.complete = (o.result?.value ?? null) !== null;
  }
  const fromFindings = feeding.length > 0;
  const fromAtt = unitAtts.length > 0 || feeding.some((s) => scenarioAtt.has(s.id));
  const coverage: Coverage = !objects.size || (!fromFindings && !fromAtt) ? 'uncovered' : fromFindings && fromAtt ? 'mixed' : fromFindings ? 'automated' : 'attested';
  const list = [...objects.values()];
  const applicable = list.length === 0 || list.some((o) => o.applicable);
  return {
    id: unit.id, layer: unit.layer, kind: unit.kind, title: unit.title, clause: unit.clause[level - 1]!, strength: unit.strength[level - 1]!, weight: unit.weight[level - 1]!,
    coverage, complete: coverage !== 'uncovered' && list.every((o) => o.complete), applicable,
    ...(!applicable ? { naReason: list.map((o) => o.naReason).filter(Boolean).join('; ') } : {}),
    scenarios: feeding.map((s) => s.id), attestations: unitAtts.map((a) => a.id), objects: list,
    score: null, scoreUpper: null, result: coverage === 'uncovered' ? '未覆盖' : '',
  };
}

type Bound = 'lower' | 'upper';

/** Turns derived units into the scorer's input; unknowns become ✘ (lower bound) or ✔ (upper bound). */
export function toScoreInput(units: UnitChain[], level: Level, bound: Bound, lowestRa: number): ScoreInput {
  const lower = bound === 'lower';
  const input: ScoreInput = { level, ruleVersion: '2023', units: {} };
  for (const u of units) {
    if (!u.applicable) { input.units[u.id] = { applicable: false, reason: u.naReason || '不适用' }; continue; }
    if (u.coverage === 'uncovered' || !u.objects.length) {
      // nobody looked: counted as failing for the lower bound without presuming a high risk
      input.units[u.id] = u.kind === 'technical'
        ? (lower ? { name: '（未覆盖）', D: false, risk: '无' } : { name: '（未覆盖）', D: true, A: true, K: true })
        : (lower ? { result: '不符合', risk: '无' } : { result: '符合' });
      continue;
    }
    const objects: ObjectInput[] = u.objects.map((o) => {
      if (!o.applicable) return { name: o.name, applicable: false, reason: o.naReason };
      if (u.kind === 'management') {
        const v = o.result?.value ?? null;
        return { name: o.name, result: v ?? (lower ? '不符合' : '符合'), ...(v === null && lower ? { risk: '无' as const } : o.risk ? { risk: o.risk } : {}) };
      }
      const D = o.D?.value ?? null;
      const risk = o.risk ? { risk: o.risk } : {};
      if (D === null) {
        if (lower) return { name: o.name, D: false, risk: '无' as const };
        const up: ObjectInput = { name: o.name, D: true, A: val(o.A, true), K: val(o.K, true), ...risk };
        if (up.A === false) Object.assign(up, ra(o, lowestRa));
        if (up.K === false && o.kModuleLevelOnly) up.kModuleLevelOnly = true;
        return up;
      }
      if (D === false) return { name: o.name, D: false, ...risk };
      if (D === '/') return { name: o.name, D: '/', A: '/', K: '/' };
      const A = val(o.A, !lower);
      const K = val(o.K, !lower);
      const obj: ObjectInput = { name: o.name, D: true, A, K, ...risk };
      if (A === false) Object.assign(obj, ra(o, lowestRa));
      if (K === false && o.kModuleLevelOnly) obj.kModuleLevelOnly = true;
      return obj;
    });
    input.units[u.id] = { objects } as UnitInput;
  }
  return input;
}

function val(j: DimJudgement | undefined, unknown: boolean): DakValue {
  const v = j?.value ?? null;
  return v === null ? unknown : v;
}
/** A✘ with a known strength goes through the scorer's bands; unknown strength takes the lowest Ra (conservative). */
function ra(o: ObjectChain, lowestRa: number): Partial<ObjectInput> {
  return o.strengthBits !== undefined ? { strengthBits: o.strengthBits } : { Ra: lowestRa };
}

export interface RunScore {
  ruleVersion: '2023';
  level: Level;
  /** every unit covered and every needed dimension judged */
  complete: boolean;
  /** total with every unknown counted as failing (the conservative figure the gate uses) */
  total: number | null;
  /** total with every unknown counted as passing */
  totalUpper: number | null;
  conclusion: string;
  conclusionEn: string;
  conclusionReason: { zh: string; en: string };
  layers: { id: string; zh: string; en: string; group: string; weight: number; applicable: boolean; score: number | null; scoreUpper: number | null }[];
  groups: ScoreResult['groups'];
  highRisks: ScoreResult['highRisks'];
  counts: { units: number; uncovered: number; incomplete: number; notApplicable: number; automated: number; attested: number; mixed: number };
  assumptions: ScoreResult['assumptions'];
  warnings: string[];
  explanation: string[];
}

/** Scores a run twice (unknowns ✘, unknowns ✔) and writes the object/unit scores back into the chain. */
export function scoreUnits(units: UnitChain[], catalog: Catalog, level: Level, extraWarnings: string[] = []): RunScore {
  const { rules } = resolveRules(catalog, {});
  const lowestRa = Math.min(...rules.raBands.map((b) => b.ra));
  const lo = scoreEvaluation(toScoreInput(units, level, 'lower', lowestRa), { catalog });
  const hi = scoreEvaluation(toScoreInput(units, level, 'upper', lowestRa), { catalog });
  for (const u of units) {
    const l = lo.units.find((x) => x.id === u.id)!;
    const h = hi.units.find((x) => x.id === u.id)!;
    u.score = l.score;
    u.scoreUpper = h.score;
    u.result = u.coverage === 'uncovered' ? '未覆盖' : !u.complete ? '未完成' : l.result;
    if (u.coverage !== 'uncovered') u.objects.forEach((o, i) => { o.score = l.objects[i]?.score ?? null; o.scoreUpper = h.objects[i]?.score ?? null; });
  }
  const complete = units.every((u) => u.complete || !u.applicable);
  const counts = {
    units: units.length,
    uncovered: units.filter((u) => u.coverage === 'uncovered').length,
    incomplete: units.filter((u) => u.coverage !== 'uncovered' && !u.complete && u.applicable).length,
    notApplicable: units.filter((u) => !u.applicable).length,
    automated: units.filter((u) => u.coverage === 'automated').length,
    attested: units.filter((u) => u.coverage === 'attested').length,
    mixed: units.filter((u) => u.coverage === 'mixed').length,
  };
  let conclusion: string = lo.conclusion;
  let conclusionEn: string = lo.conclusionEn;
  let conclusionReason = lo.conclusionReason;
  if (!complete) {
    const known = lo.highRisks.length > 0;
    const hopeless = hi.total !== null && hi.total < rules.passThreshold;
    if (known || hopeless) {
      conclusion = '不符合';
      conclusionEn = 'non-conformant';
      conclusionReason = known
        ? { zh: `已判定的结果中存在 ${lo.highRisks.length} 项高风险（另有单元未完成）`, en: `${lo.highRisks.length} high-risk item(s) among the judged results (other units incomplete)` }
        : { zh: `即使未完成的单元全部符合，得分上限 ${hi.totalText} 仍低于阈值`, en: `even with every open unit conformant the score cannot exceed ${hi.totalText}` };
    } else {
      conclusion = '待人工判定';
      conclusionEn = 'undetermined';
      conclusionReason = {
        zh: `${counts.uncovered} 个单元未覆盖、${counts.incomplete} 个单元判定不完整；得分介于 ${lo.totalText ?? '—'} 与 ${hi.totalText ?? '—'} 之间`,
        en: `${counts.uncovered} unit(s) uncovered and ${counts.incomplete} incomplete; the score lies between ${lo.totalText ?? '—'} and ${hi.totalText ?? '—'}`,
      };
    }
  }
  return {
    ruleVersion: '2023', level, complete, total: lo.total, totalUpper: hi.total, conclusion, conclusionEn, conclusionReason,
    layers: lo.layers.map((l) => ({ id: l.id, zh: l.zh, en: l.en, group: l.group, weight: l.weight, applicable: l.applicable, score: l.score, scoreUpper: hi.layers.find((x) => x.id === l.id)!.score })),
    groups: lo.groups, highRisks: lo.highRisks, counts, assumptions: lo.assumptions, warnings: [...extraWarnings, ...lo.warnings], explanation: lo.explanation,
  };
}
