import { unitsAtLevel, type Catalog, type Group, type Level, type Unit } from '../../catalog/index.ts';
import { Dec } from './decimal.ts';
import { resolveRules, RuleOverrideError, type Assumption, type Rules } from './rules.ts';
import type {
  CompensationApplied, Conclusion, GroupScore, HighRiskItem, Judgement, LayerScore, ManagementResult, ObjectInput,
  ObjectScore, ScoreInput, ScoreResult, UnitInput, UnitScore,
} from './types.ts';

/** An input the scorer cannot score: every problem has a JSON pointer into the input and a reason. */
export class ScoreInputError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(problems.map((p) => `${p.path || '/'}: ${p.message}`).join('; '));
    this.name = 'ScoreInputError';
  }
}

export interface ScoreOptions {
  catalog: Catalog;
  /** overrides the input's level */
  level?: Level;
  /** rule-constant overrides on top of the input's own "rules" */
  rules?: Record<string, unknown>;
}

const DP = 4;
const r4 = (d: Dec) => d.round(DP);
const fmt = (d: Dec) => d.toString(DP);
const MGMT_SCORE: Record<ManagementResult, string> = { 符合: '1', 部分符合: '0.5', 不符合: '0' };
const mark = (j: Judgement | undefined) => (j === true ? '✔' : j === false ? '✘' : '/');
const ptr = (...segs: (string | number)[]) => segs.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function resultText(score: Dec): ManagementResult {
  return score.eq(1) ? '符合' : score.isZero() ? '不符合' : '部分符合';
}

interface WorkingObject {
  out: ObjectScore;
  base: Dec | null;
  final: Dec | null;
  path: string;
}

/** Technical object: the 2023 Table 1 with Ra and Rk. Returns problems instead of throwing so that all are reported. */
function scoreTechnicalObject(o: ObjectInput, name: string, path: string, level: Level, rules: Rules, problems: { path: string; message: string }[], used: Set<string>): WorkingObject {
  const out: ObjectScore = { name, applicable: true, D: o.D, A: o.A, K: o.K, baseScore: null, compensations: [], score: null, explanation: '' };
  if (o.result !== undefined) problems.push({ path: `${path}/result`, message: 'a technical unit is judged on D/A/K, not with result' });
  const allNA = o.D === '/' && (o.A ?? '/') === '/' && (o.K ?? '/') === '/';
  if (o.applicable === false || allNA) {
    out.applicable = false;
    out.naReason = o.reason ?? (allNA ? 'D/A/K 均为 "/"' : undefined);
    out.explanation = `不适用 / not applicable${out.naReason ? `: ${out.naReason}` : ''}`;
    return { out, base: null, final: null, path };
  }
  if (o.D === undefined) { problems.push({ path, message: 'D is required (true, false or "/")' }); return { out, base: null, final: null, path }; }
  if (o.D === '/') { problems.push({ path: `${path}/D`, message: 'D may be "/" only when the whole object is not applicable (A and K "/" too, or applicable: false)' }); return { out, base: null, final: null, path }; }
  if (o.D === false) {
    out.baseScore = 0;
    out.explanation = `D✘ → 0`;
    return { out, base: Dec.ZERO, final: Dec.ZERO, path };
  }
  for (const k of ['A', 'K'] as const) {
    if (o[k] === undefined) problems.push({ path, message: `${k} is required when D is true (true, false or "/")` });
    else if (o[k] === '/') {
      if (rules.partialNotApplicableDimension === 'error') problems.push({ path: `${path}/${k}`, message: `${k} "/" while D passes is not accepted (rule partialNotApplicableDimension = error)` });
      else used.add('partialNotApplicableDimension');
    }
  }
  if (o.A === undefined || o.K === undefined) return { out, base: null, final: null, path };
  const aFails = o.A === false;
  const kFails = o.K === false;
  let ra = Dec.ONE;
  let rk = Dec.ONE;
  const terms: string[] = [];
  if (aFails) {
    if (o.Ra !== undefined) { ra = Dec.of(o.Ra); out.RaSource = 'input'; }
    else if (o.strengthBits !== undefined) {
      const bits = Array.isArray(o.strengthBits) ? o.strengthBits : [o.strengthBits];
      if (bits.length > 1) used.add('raSeveralAlgorithms');
      const decisive = rules.raSeveralAlgorithms === 'weakest' ? Math.min(...bits) : Math.max(...bits);
      const band = rules.raBands.find((b) => decisive >= b.minBits) ?? rules.raBands[rules.raBands.length - 1]!;
      ra = Dec.of(band.ra);
      out.RaSource = 'strengthBits';
      out.strengthBits = decisive;
      used.add('raBands');
    } else problems.push({ path, message: 'A is false: give strengthBits (security strength of the non-compliant algorithm) or Ra' });
    out.Ra = ra.toNumber();
    terms.push(`Ra=${fmt(ra)}${out.RaSource === 'strengthBits' ? ` (${out.strengthBits} bit)` : ''}`);
  } else if (o.strengthBits !== undefined || o.Ra !== undefined) {
    problems.push({ path, message: 'strengthBits/Ra apply only when A is false' });
  }
  if (kFails) {
    if (o.Rk !== undefined) { rk = Dec.of(o.Rk); out.RkSource = 'input'; }
    else if (o.kModuleLevelOnly && level === 3) { rk = Dec.of(rules.rkLevel3); out.RkSource = 'kModuleLevelOnly'; used.add('rkLevel3'); }
    else if (o.kModuleLevelOnly && level === 4) { rk = Dec.of(rules.rkLevel4); out.RkSource = 'kModuleLevelOnly'; used.add('rkLevel4'); }
    else { rk = Dec.of(rules.rkOtherwise); out.RkSource = 'default'; used.add('rkOtherwise'); }
    out.Rk = rk.toNumber();
    terms.push(`Rk=${fmt(rk)}${out.RkSource === 'kModuleLevelOnly' ? ` (仅密码产品等级不足 / products below the required level, L${level})` : ''}`);
  } else if (o.kModuleLevelOnly !== undefined || o.Rk !== undefined) {
    if (o.Rk !== undefined) problems.push({ path, message: 'Rk applies only when K is false' });
  }
  let base: Dec;
  let formula: string;
  if (!aFails && !kFails) { base = Dec.ONE; formula = '1'; }
  else if (aFails && !kFails) { base = r4(Dec.parse('0.5').mul(ra)); formula = `0.5×Ra = 0.5×${fmt(ra)}`; }
  else if (!aFails && kFails) { base = r4(Dec.parse('0.5').mul(rk)); formula = `0.5×Rk = 0.5×${fmt(rk)}`; }
  else { base = r4(Dec.parse('0.25').mul(ra).mul(rk)); formula = `0.25×Ra×Rk = 0.25×${fmt(ra)}×${fmt(rk)}`; }
  out.baseScore = base.toNumber();
  out.explanation = `D${mark(o.D)} A${mark(o.A)} K${mark(o.K)}${terms.length ? ` (${terms.join(', ')})` : ''} → ${formula === '1' ? '1' : `${formula} = ${fmt(base)}`}`;
  return { out, base, final: base, path };
}

function scoreManagementObject(o: ObjectInput, name: string, path: string, problems: { path: string; message: string }[]): WorkingObject {
  const out: ObjectScore = { name, applicable: true, baseScore: null, compensations: [], score: null, explanation: '' };
  for (const k of ['D', 'A', 'K', 'strengthBits', 'Ra', 'Rk', 'kModuleLevelOnly'] as const) {
    if (o[k] !== undefined) problems.push({ path: `${path}/${k}`, message: 'a management unit has no D/A/K: give result (符合/部分符合/不符合)' });
  }
  if (o.applicable === false) {
    out.applicable = false;
    out.naReason = o.reason;
    out.explanation = `不适用 / not applicable${o.reason ? `: ${o.reason}` : ''}`;
    return { out, base: null, final: null, path };
  }
  if (o.result === undefined) { problems.push({ path, message: 'result is required for a management unit (符合, 部分符合 or 不符合)' }); return { out, base: null, final: null, path }; }
  const base = Dec.parse(MGMT_SCORE[o.result]);
  out.result = o.result;
  out.baseScore = base.toNumber();
  out.explanation = `${o.result} → ${fmt(base)}`;
  return { out, base, final: base, path };
}

/**
 * Scores an evaluation by the 2023 quantitative rule: objects → units → layers → 70/30 total → conclusion.
 * Pure: no I/O; throws ScoreInputError (with JSON pointers) when the input cannot be scored.
 */
export function scoreEvaluation(input: ScoreInput, options: ScoreOptions): ScoreResult {
  const { catalog } = options;
  const problems: { path: string; message: string }[] = [];
  const warnings: string[] = [];
  const level = (options.level ?? input.level) as Level | undefined;
  if (level === undefined || ![1, 2, 3, 4].includes(level)) {
    throw new ScoreInputError([{ path: '/level', message: 'the level (1–4) is required, in the input or with --level' }]);
  }
  if (options.level !== undefined && input.level !== undefined && options.level !== input.level) {
    warnings.push(`level ${options.level} from the command line overrides level ${input.level} in the input`);
  }
  if (input.ruleVersion !== undefined && input.ruleVersion !== '2023') {
    problems.push({ path: '/ruleVersion', message: 'only the 2023 rule is implemented' });
  }
  let rules: Rules;
  let ruleAssumptions: Assumption[];
  try {
    ({ rules, assumptions: ruleAssumptions } = resolveRules(catalog, { ...(input.rules ?? {}), ...(options.rules ?? {}) }));
  } catch (err) {
    if (err instanceof RuleOverrideError) throw new ScoreInputError(err.problems);
    throw err;
  }
  const used = new Set<string>(['layerWeights', 'groupWeights', 'passThreshold', 'compareRoundedTotal']);

  const assessed = unitsAtLevel(catalog, level);
  const assessedIds = new Set(assessed.map((u) => u.id));
  const units = input.units ?? {};
  for (const id of Object.keys(units)) {
    const u = catalog.gbt39786.unitById.get(id);
    if (!u) problems.push({ path: ptr('units', id), message: `unknown unit ${id}: GB/T 39786-2021 has units 6.1.1–6.4.8 and 7.1.1–7.4.3` });
    else if (!assessedIds.has(id)) warnings.push(`unit ${id} is not assessed at level ${level} (no requirement at that level): ignored`);
  }
  const missing = assessed.filter((u) => !(u.id in units)).map((u) => u.id);
  for (const id of missing) {
    const u = catalog.gbt39786.unitById.get(id)!;
    problems.push({ path: '/units', message: `missing unit ${id} (${u.title.zh}, clause ${u.clause[level - 1]}): level ${level} assesses it — give its judgement or {"applicable": false}` });
  }
  for (const [id, w] of Object.entries(input.unitWeights ?? {})) {
    if (!assessedIds.has(id)) problems.push({ path: ptr('unitWeights', id), message: `unit ${id} is not assessed at level ${level}` });
    else if (typeof w !== 'number' || !(w > 0 && w <= 1)) problems.push({ path: ptr('unitWeights', id), message: 'weight must be in (0, 1]' });
  }

  // ---- objects ----
  const working = new Map<string, { unit: Unit; objects: WorkingObject[]; input: UnitInput; naReason?: string }>();
  for (const unit of assessed) {
    const ui = units[unit.id];
    if (!ui) continue;
    const path = ptr('units', unit.id);
    const objs: WorkingObject[] = [];
    let naReason: string | undefined;
    if (ui.applicable === false) {
      naReason = ui.reason ?? '不适用';
      if (ui.objects || ui.D !== undefined || ui.result !== undefined) problems.push({ path, message: 'a unit marked applicable: false must not also carry judgements' });
    } else if (ui.objects) {
      const inlineKeys = (['D', 'A', 'K', 'strengthBits', 'Ra', 'Rk', 'kModuleLevelOnly', 'result', 'name'] as const).filter((k) => ui[k] !== undefined);
      if (inlineKeys.length) problems.push({ path, message: `give either objects or one inline object, not both (${inlineKeys.join(', ')})` });
      const names = new Set<string>();
      ui.objects.forEach((o, i) => {
        const name = o.name ?? `对象${i + 1}`;
        if (names.has(name)) problems.push({ path: ptr('units', unit.id, 'objects', i, 'name'), message: `duplicate object name ${name}` });
        names.add(name);
        const p = ptr('units', unit.id, 'objects', i);
        objs.push(unit.kind === 'technical' ? scoreTechnicalObject(o, name, p, level, rules, problems, used) : scoreManagementObject(o, name, p, problems));
      });
    } else {
      const name = ui.name ?? unit.title.zh;
      if (unit.kind === 'technical' && ui.D === undefined) problems.push({ path, message: 'give D/A/K (inline or under objects), or {"applicable": false}' });
      else if (unit.kind === 'management' && ui.result === undefined && ui.D === undefined && ui.A === undefined && ui.K === undefined) problems.push({ path, message: 'give result (符合/部分符合/不符合), objects, or {"applicable": false}' });
      else objs.push(unit.kind === 'technical' ? scoreTechnicalObject(ui, name, path, level, rules, problems, used) : scoreManagementObject(ui, name, path, problems));
    }
    working.set(unit.id, { unit, objects: objs, input: ui, naReason });
  }

  // ---- compensation (2023): P_B' = max(factor·P_A, P_B), on original scores only ----
  (input.compensations ?? []).forEach((c, i) => {
    const path = ptr('compensations', i);
    const target = catalog.gbt39786.unitById.get(c.for);
    const source = catalog.gbt39786.unitById.get(c.by);
    if (!target) { problems.push({ path: `${path}/for`, message: `unknown unit ${c.for}` }); return; }
    if (!source) { problems.push({ path: `${path}/by`, message: `unknown unit ${c.by}` }); return; }
    if (!target.compensatesWith.includes(c.by)) {
      const pairs = catalog.gbt39786.units.flatMap((u) => u.compensatesWith.map((o) => `${o}→${u.id}`));
      problems.push({ path, message: `${c.by} cannot compensate ${c.for}: the catalogue allows ${pairs.join(', ')}` });
      return;
    }
    const tw = working.get(c.for), sw = working.get(c.by);
    if (!tw || !sw) { problems.push({ path, message: `units ${c.by} and ${c.for} must both be assessed at level ${level}` }); return; }
    const srcObjs = sw.objects.filter((o) => o.out.applicable && o.base !== null);
    let pA: Dec | null = null;
    let byObject: string | null = null;
    if (c.byObject !== undefined) {
      const o = sw.objects.find((x) => x.out.name === c.byObject);
      if (!o) { problems.push({ path: `${path}/byObject`, message: `unit ${c.by} has no object named ${c.byObject}` }); return; }
      if (!o.out.applicable) { problems.push({ path: `${path}/byObject`, message: `object ${c.byObject} of ${c.by} is not applicable` }); return; }
      pA = o.base; byObject = c.byObject;
    } else if (srcObjs.length === 1) {
      pA = srcObjs[0]!.base; byObject = srcObjs[0]!.out.name;
    } else if (srcObjs.length > 1) {
      used.add('compensationUnnamedObjects');
      const scores = srcObjs.map((o) => o.base!);
      pA = rules.compensationUnnamedObjects === 'min' ? scores.reduce(Dec.min) : rules.compensationUnnamedObjects === 'max' ? scores.reduce(Dec.max) : r4(Dec.sum(scores).div(scores.length));
    } else {
      warnings.push(`compensation ${c.by} → ${c.for} ignored: ${c.by} has no applicable object`);
      return;
    }
    if (pA === null) return;
    const targets = c.forObject !== undefined ? tw.objects.filter((o) => o.out.name === c.forObject) : tw.objects.filter((o) => o.out.applicable);
    if (c.forObject !== undefined && targets.length === 0) { problems.push({ path: `${path}/forObject`, message: `unit ${c.for} has no object named ${c.forObject}` }); return; }
    used.add('compensationFactor');
    const candidate = r4(Dec.of(rules.compensationFactor).mul(pA));
    for (const t of targets) {
      if (!t.out.applicable || t.base === null || t.final === null) continue;
      const applied = candidate.cmp(t.base) > 0;
      const rec: CompensationApplied = { by: c.by, byObject, pA: pA.toNumber(), candidate: candidate.toNumber(), applied };
      t.out.compensations.push(rec);
      t.final = Dec.max(t.final, candidate);
    }
  });

  if (problems.length) throw new ScoreInputError(problems);

  // ---- units ----
  const unitScores: UnitScore[] = [];
  const unitDec = new Map<string, Dec | null>();
  const unitWeight = new Map<string, Dec>();
  const weightAssumptions: Assumption[] = [];
  for (const unit of assessed) {
    const w = working.get(unit.id)!;
    const overrideW = input.unitWeights?.[unit.id];
    const weight = Dec.of(overrideW ?? unit.weight[level - 1]!);
    unitWeight.set(unit.id, weight);
    if (overrideW !== undefined) weightAssumptions.push({ id: `unitWeight.${unit.id}`, value: overrideW, basis: 'input', source: `weight of unit ${unit.id} at level ${level} (catalogue: ${unit.weight[level - 1]}, ${unit.weightBasis[level - 1]})`, overridden: true });
    for (const o of w.objects) {
      if (o.final !== null) {
        o.out.score = o.final.toNumber();
        const comp = o.out.compensations.filter((c) => c.applied);
        if (comp.length) {
          const best = comp.reduce((a, b) => (b.candidate > a.candidate ? b : a));
          o.out.explanation += `; 弥补/compensated by ${best.by}${best.byObject ? ` (${best.byObject})` : ''}: max(${rules.compensationFactor}×${best.pA}, ${o.out.baseScore}) = ${fmt(o.final)}`;
        } else if (o.out.compensations.length) {
          o.out.explanation += `; 弥补不提高得分/compensation does not raise it: max(${o.out.compensations.map((c) => c.candidate).join(', ')}, ${o.out.baseScore}) = ${fmt(o.final)}`;
        }
      }
    }
    const applicable = w.objects.filter((o) => o.out.applicable && o.final !== null);
    let score: Dec | null = null;
    let explanation: string;
    let naReason = w.naReason;
    if (naReason !== undefined) explanation = `不适用 / not applicable: ${naReason}`;
    else if (applicable.length === 0) {
      naReason = '全部测评对象不适用 / every object not applicable';
      explanation = naReason;
    } else {
      score = r4(Dec.sum(applicable.map((o) => o.final!)).div(applicable.length));
      explanation = applicable.length === 1 ? `${fmt(score)}` : `(${applicable.map((o) => fmt(o.final!)).join(' + ')}) / ${applicable.length} = ${fmt(score)}`;
      const excluded = w.objects.length - applicable.length;
      if (excluded) explanation += ` (${excluded} 个不适用对象不计入 / ${excluded} N/A object(s) excluded)`;
    }
    unitDec.set(unit.id, score);
    unitScores.push({
      id: unit.id, layer: unit.layer, kind: unit.kind, title: unit.title, clause: unit.clause[level - 1]!,
      strength: unit.strength[level - 1]!, strengthBasis: unit.strengthBasis[level - 1]!,
      weight: weight.toNumber(), weightBasis: overrideW !== undefined ? 'input' : unit.weightBasis[level - 1]!,
      applicable: score !== null, ...(naReason !== undefined ? { naReason } : {}),
      score: score === null ? null : score.toNumber(), result: score === null ? '不适用' : resultText(score),
      objects: w.objects.map((o) => o.out), explanation,
    });
  }

  // ---- layers ----
  const layerScores: LayerScore[] = [];
  const layerDec = new Map<string, Dec | null>();
  for (const layer of catalog.gbt39786.layers) {
    const us = assessed.filter((u) => u.layer === layer.id);
    const app = us.filter((u) => unitDec.get(u.id) !== null);
    let score: Dec | null = null;
    let explanation: string;
    if (app.length === 0) explanation = '不适用 / not applicable: 全部测评单元不适用 / every unit not applicable';
    else {
      const num = Dec.sum(app.map((u) => unitWeight.get(u.id)!.mul(unitDec.get(u.id)!)));
      const den = Dec.sum(app.map((u) => unitWeight.get(u.id)!));
      score = r4(num.div(den));
      explanation = `(${app.map((u) => `${fmt(unitWeight.get(u.id)!)}×${fmt(unitDec.get(u.id)!)}`).join(' + ')}) / (${app.map((u) => fmt(unitWeight.get(u.id)!)).join(' + ')}) = ${num.toString(8)} / ${den.toString(8)} = ${fmt(score)}`;
    }
    layerDec.set(layer.id, score);
    layerScores.push({
      id: layer.id, zh: layer.zh, en: layer.en, group: layer.group, weight: rules.layerWeights[layer.id],
      applicable: score !== null, score: score === null ? null : score.toNumber(), units: us.map((u) => u.id), explanation,
    });
  }

  // ---- groups and total ----
  const groups: GroupScore[] = [];
  const groupMean = new Map<Group, Dec | null>();
  for (const g of ['technical', 'management'] as const) {
    const ls = layerScores.filter((l) => l.group === g && l.applicable);
    const gw = Dec.of(rules.groupWeights[g]);
    if (ls.length === 0) {
      groupMean.set(g, null);
      groups.push({ id: g, weight: rules.groupWeights[g], applicable: false, score: null, contribution: null, explanation: '不适用 / not applicable: 全部层面不适用 / every layer not applicable' });
      continue;
    }
    const num = Dec.sum(ls.map((l) => Dec.of(l.weight).mul(layerDec.get(l.id)!)));
    const den = Dec.sum(ls.map((l) => Dec.of(l.weight)));
    const mean = num.div(den);
    groupMean.set(g, mean);
    groups.push({
      id: g, weight: rules.groupWeights[g], applicable: true, score: r4(mean).toNumber(), contribution: r4(gw.mul(mean)).toNumber(),
      explanation: `${fmt(gw)} × (${ls.map((l) => `${l.weight}×${fmt(layerDec.get(l.id)!)}`).join(' + ')}) / ${den.toString(8)} = ${gw.mul(mean).toString(8)}`,
    });
  }
  let exact: Dec | null = null;
  let totalExplanation: string;
  const tm = groupMean.get('technical')!, mm = groupMean.get('management')!;
  if (tm !== null && mm !== null) {
    exact = Dec.of(rules.groupWeights.technical).mul(tm).add(Dec.of(rules.groupWeights.management).mul(mm));
    totalExplanation = `S = ${groups.map((g) => g.explanation.split(' = ').pop()).join(' + ')} = ${exact.toString(8)} → ${exact.toFixed(2)}`;
  } else if ((tm !== null || mm !== null) && rules.groupNotApplicable === 'renormalize') {
    used.add('groupNotApplicable');
    const [g, m] = tm !== null ? (['technical', tm] as const) : (['management', mm!] as const);
    exact = Dec.int(100).mul(m);
    totalExplanation = `S = 100 × ${g} mean ${m.toString(8)} (other group not applicable; rule groupNotApplicable = renormalize) = ${exact.toString(8)} → ${exact.toFixed(2)}`;
  } else {
    used.add('groupNotApplicable');
    totalExplanation = `S undefined: ${tm === null ? '技术' : '管理'}部分全部不适用 / the whole ${tm === null ? 'technical' : 'management'} group is not applicable — the rule gives no total; decide manually`;
  }
  const total = exact === null ? null : exact.round(2);

  // ---- high risks ----
  const highRisks: HighRiskItem[] = [];
  for (const h of input.highRisks ?? []) highRisks.push({ ...(h.unit ? { unit: h.unit } : {}), ...(h.object ? { object: h.object } : {}), source: 'input', basis: 'input', description: h.description, descriptionEn: h.description });
  for (const us of unitScores) {
    const w = working.get(us.id)!;
    const unit = w.unit;
    if (w.input.risk === '高') highRisks.push({ unit: us.id, source: 'input', basis: 'input', description: `${us.id} ${us.title.zh}: 测评人员判定为高风险`, descriptionEn: `${us.id} ${us.title.en}: rated high risk by the assessor` });
    for (const o of w.objects) {
      const oi = w.input.objects ? w.input.objects[w.objects.indexOf(o)]! : w.input;
      if (oi !== w.input && oi.risk === '高') highRisks.push({ unit: us.id, object: o.out.name, source: 'input', basis: 'input', description: `${us.id} ${us.title.zh}「${o.out.name}」: 测评人员判定为高风险`, descriptionEn: `${us.id} ${us.title.en} "${o.out.name}": rated high risk by the assessor` });
    }
    if (w.input.risk !== undefined) continue; // the assessor's rating replaces every presumption for the unit
    for (const o of w.objects) {
      const oi = w.input.objects ? w.input.objects[w.objects.indexOf(o)]! : w.input;
      if (!o.out.applicable || (oi !== w.input && oi.risk !== undefined)) continue;
      const hr = unit.highRisk;
      // a D✘ object lifted by compensation is protected at the other layer: that is the guideline's mitigation
      const compensated = o.out.compensations.some((c) => c.applied);
      if (rules.highRiskFromCandidates.enabled && hr && hr.levels.includes(level) && rules.highRiskFromCandidates.bases.includes(hr.basis) && o.out.D === false && !w.input.mitigated && !compensated) {
        used.add('highRiskFromCandidates');
        highRisks.push({
          unit: us.id, object: o.out.name, source: 'derived', rule: 'highRiskFromCandidates', basis: hr.basis,
          description: `${us.id} ${us.title.zh}「${o.out.name}」: 未使用密码技术或使用无效（D✘），属高风险判定指引所列情形${hr.mitigable ? '（存在可能的缓解措施，可由测评人员以 mitigated/risk 改判）' : ''}`,
          descriptionEn: `${us.id} ${us.title.en} "${o.out.name}": cryptography not used or ineffective (D✘), a case of the high-risk guideline${hr.mitigable ? ' (a mitigation may apply: the assessor can set mitigated/risk)' : ''}`,
        });
      }
      if (unit.kind === 'technical' && o.out.A === false && o.out.RaSource === 'strengthBits' && o.out.strengthBits! < rules.highRiskWeakAlgorithmBits) {
        used.add('highRiskWeakAlgorithmBits');
        highRisks.push({
          unit: us.id, object: o.out.name, source: 'derived', rule: 'highRiskWeakAlgorithmBits', basis: 'unverified',
          description: `${us.id} ${us.title.zh}「${o.out.name}」: 使用安全强度 ${o.out.strengthBits} bit（< ${rules.highRiskWeakAlgorithmBits}）的不合规密码算法（如 MD5/DES/SHA-1/RSA<2048），按高风险判定指引通用要求推定为高风险`,
          descriptionEn: `${us.id} ${us.title.en} "${o.out.name}": non-compliant algorithm of ${o.out.strengthBits}-bit strength (< ${rules.highRiskWeakAlgorithmBits}, e.g. MD5/DES/SHA-1/RSA<2048), presumed high risk by the guideline's general entries`,
        });
      }
    }
  }

  // ---- conclusion ----
  let conclusion: Conclusion;
  let reason: { zh: string; en: string };
  const compared = total === null ? null : rules.compareRoundedTotal ? total : exact!;
  if (total === null || compared === null) {
    conclusion = '待人工判定';
    reason = { zh: '整个技术或管理部分不适用，量化评估规则未给出总分，需人工判定', en: 'a whole technical or management group is not applicable; the rule gives no total — manual decision needed' };
  } else if (highRisks.length > 0) {
    conclusion = '不符合';
    reason = { zh: `存在 ${highRisks.length} 项高风险`, en: `${highRisks.length} high-risk item(s)` };
  } else if (compared.eq(100)) {
    conclusion = '符合';
    reason = { zh: '得分为 100 且无高风险', en: 'score is 100 and no high risk' };
  } else if (compared.cmp(rules.passThreshold) >= 0) {
    conclusion = '基本符合';
    reason = { zh: `${rules.passThreshold} ≤ 得分 < 100 且无高风险`, en: `${rules.passThreshold} ≤ score < 100 and no high risk` };
  } else {
    conclusion = '不符合';
    reason = { zh: `得分低于阈值 ${rules.passThreshold}`, en: `score below the threshold ${rules.passThreshold}` };
  }
  const conclusionEn = ({ 符合: 'conformant', 基本符合: 'basically conformant', 不符合: 'non-conformant', 待人工判定: 'undetermined' } as const)[conclusion];

  // ---- assumptions: the rule constants this result depends on, then catalogue figures that are not verified ----
  const assumptions: Assumption[] = ruleAssumptions.filter((a) => used.has(a.id) || a.overridden);
  const weak = new Map<string, Record<string, number>>();
  for (const u of assessed) {
    const b = u.weightBasis[level - 1]!;
    if (b !== 'verified' && input.unitWeights?.[u.id] === undefined) {
      const m = weak.get(b) ?? {};
      m[u.id] = u.weight[level - 1]!;
      weak.set(b, m);
    }
  }
  for (const [b, m] of weak) assumptions.push({ id: `catalog.unitWeights.level${level}.${b}`, value: m, basis: b as Assumption['basis'], source: `GB/T 39786 unit weights at level ${level} (2023 规则 表4), catalog/gbt39786.yaml`, overridden: false });
  assumptions.push(...weightAssumptions);

  const explanation = [
    totalExplanation,
    ...groups.map((g) => `${g.id === 'technical' ? '技术 technical' : '管理 management'}: ${g.explanation}`),
    ...layerScores.map((l) => `${l.zh} ${l.en}: ${l.explanation}`),
  ];

  return {
    schemaVersion: '1.0', ruleVersion: '2023', level, ...(input.system ? { system: input.system } : {}),
    total: total === null ? null : total.toNumber(2), totalText: total === null ? null : total.toFixed(2),
    conclusion, conclusionEn, conclusionReason: reason,
    groups, layers: layerScores, units: unitScores, highRisks, assumptions, warnings, explanation,
  };
}
