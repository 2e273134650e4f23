import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { InputError } from '../lib/errors.ts';
import { compileSchema, formatIssue, parseYamlWithSchema, type YamlIssue } from '../lib/yaml-schema/index.ts';
import { unitsAtLevel, type Catalog, type Level } from '../catalog/index.ts';

/**
 * Attestations (an assessor's manual findings) and waivers (accepted exceptions), from a profile or a
 * separate YAML file (reports/schema/attestations.schema.json). Validation names file:line:column.
 */

export type AttestationResult = '符合' | '部分符合' | '不符合' | '不适用';
export type AttestationMethod = '说和看' | '简单实操' | '深度验证';
export type DakValue = boolean | '/';

export interface AttestationInput {
  id?: string;
  unit?: string;
  scenario?: string;
  object?: string;
  result: AttestationResult;
  dak?: { D?: DakValue; A?: DakValue; K?: DakValue };
  strengthBits?: number;
  kModuleLevelOnly?: boolean;
  risk?: '高' | '中' | '低' | '无';
  assessor: string;
  date: string;
  method: AttestationMethod;
  evidence?: string[];
  note?: string;
  demonstration?: boolean;
}

export interface WaiverInput {
  id: string;
  scenario?: string;
  tag?: string;
  unit?: string;
  justification: string;
  approver: string;
  risk?: '高' | '中' | '低';
  start?: string;
  expires: string;
}

export interface SourceRef { file: string; line: number }

export interface Attestation extends AttestationInput {
  id: string;
  source: SourceRef;
  /** absolute paths of the evidence files (checked to exist) */
  evidenceFiles: string[];
}

export interface Waiver extends WaiverInput { source: SourceRef }

export interface ManualInputs { attestations: Attestation[]; waivers: Waiver[] }

const HERE = dirname(fileURLToPath(import.meta.url));
export const ATTESTATIONS_SCHEMA_PATH = resolve(HERE, 'schema/attestations.schema.json');
let validator: ReturnType<typeof compileSchema> | undefined;
const fileValidator = () => (validator ??= compileSchema(JSON.parse(readFileSync(ATTESTATIONS_SCHEMA_PATH, 'utf8'))));

type Locate = (path: (string | number)[]) => { line: number; column: number };

function locator(doc: Document, lines: LineCounter): Locate {
  return (path) => {
    // the closest existing node: the field itself, else its parent
    for (let p = path; ; p = p.slice(0, -1)) {
      const node = doc.getIn(p, true) as { range?: [number, number, number] } | undefined;
      if (node?.range || !p.length) {
        const pos = lines.linePos(node?.range?.[0] ?? 0);
        return { line: pos.line, column: pos.col };
      }
    }
  };
}

/** Loads a separate attestations file (`--attestations FILE`, or a profile's `attestations: FILE`). */
export function loadManualFile(file: string, catalog: Catalog, level: Level): ManualInputs {
  if (!existsSync(file)) throw new InputError(`${file}: file not found`);
  const text = readFileSync(file, 'utf8');
  const r = parseYamlWithSchema<{ attestations?: AttestationInput[]; waivers?: WaiverInput[] }>(text, file, fileValidator());
  if (!r.ok) throw new InputError(`${file}: invalid attestations file`, r.issues.map(formatIssue));
  return checkManual(r.value.attestations ?? [], r.value.waivers ?? [], file, locator(r.doc, r.lines), catalog, level);
}

/** Attestations and waivers written inline in a profile (already schema-checked by the profile loader). */
export function manualFromProfile(profileFile: string, attestations: AttestationInput[], waivers: WaiverInput[], catalog: Catalog, level: Level): ManualInputs {
  const lines = new LineCounter();
  let locate: Locate = () => ({ line: 1, column: 1 });
  try {
    const doc = parseDocument(readFileSync(profileFile, 'utf8'), { lineCounter: lines });
    locate = locator(doc, lines);
  } catch { /* lines are a courtesy: the profile itself was already read and validated */ }
  return checkManual(attestations, waivers, profileFile, locate, catalog, level);
}

export function mergeManual(...parts: ManualInputs[]): ManualInputs {
  const out: ManualInputs = { attestations: parts.flatMap((p) => p.attestations), waivers: parts.flatMap((p) => p.waivers) };
  const issues: string[] = [];
  const seen = new Map<string, SourceRef>();
  for (const a of [...out.attestations, ...out.waivers]) {
    const prev = seen.get(a.id);
    if (prev) issues.push(`${a.source.file}:${a.source.line}: id "${a.id}" is already used at ${prev.file}:${prev.line}`);
    else seen.set(a.id, a.source);
  }
  if (issues.length) throw new InputError('duplicate attestation/waiver ids', issues);
  return out;
}

const shortHash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

/** The id an attestation gets when it names none: stable across runs (unit or scenario, and object). */
export function attestationId(a: AttestationInput): string {
  return a.id ?? (a.unit ? `att-${a.unit}-${shortHash(a.object ?? '')}` : `att-scn-${shortHash(`${a.scenario}\n${a.object ?? ''}`)}`);
}

/** Cross-checks no JSON Schema can express: units known at the level, D/A/K consistent with the result, files present. */
function checkManual(atts: AttestationInput[], waivers: WaiverInput[], file: string, locate: Locate, catalog: Catalog, level: Level): ManualInputs {
  const issues: YamlIssue[] = [];
  const baseDir = dirname(resolve(file));
  const issue = (path: (string | number)[], field: string, reason: string) => issues.push({ file, ...locate(path), field, reason });
  const assessed = new Set(unitsAtLevel(catalog, level).map((u) => u.id));
  const out: ManualInputs = { attestations: [], waivers: [] };
  const ids = new Map<string, number>();
  atts.forEach((a, i) => {
    const at = (k?: string) => (k ? ['attestations', i, k] : ['attestations', i]);
    const f = (k: string) => `attestations[${i}].${k}`;
    const id = attestationId(a);
    if (ids.has(id)) issue(at(a.id ? 'id' : undefined), f('id'), a.id ? `duplicate id "${id}"` : `a second attestation for ${a.unit ?? a.scenario} object "${a.object ?? '(default)'}" (first is attestations[${ids.get(id)}])`);
    ids.set(id, i);
    if (a.unit) {
      const u = catalog.gbt39786.unitById.get(a.unit);
      if (!u) issue(at('unit'), f('unit'), `unknown unit ${a.unit}: GB/T 39786-2021 has units 6.1.1–6.4.8 and 7.1.1–7.4.3`);
      else if (!assessed.has(a.unit)) issue(at('unit'), f('unit'), `unit ${a.unit} is not assessed at level ${level}`);
      else if (u.kind === 'management') {
        for (const k of ['dak', 'strengthBits', 'kModuleLevelOnly'] as const) if (a[k] !== undefined) issue(at(k), f(k), `management unit ${a.unit} has no D/A/K: give result only`);
      } else checkDak(a, (k, reason) => issue(at(k), f(k), reason));
    } else {
      if (a.result === '部分符合') issue(at('result'), f('result'), 'a scenario is judged 符合, 不符合 or 不适用 (部分符合 applies to units)');
      for (const k of ['dak', 'strengthBits', 'kModuleLevelOnly'] as const) if (a[k] !== undefined) issue(at(k), f(k), 'a scenario attestation feeds the dimension its scenario is tagged with: give result only');
    }
    const evidenceFiles = (a.evidence ?? []).map((e, j) => {
      const p = resolve(baseDir, e);
      if (!existsSync(p)) issue(['attestations', i, 'evidence', j], `attestations[${i}].evidence[${j}]`, `evidence file not found: ${p}`);
      return p;
    });
    out.attestations.push({ ...a, id, source: { file, line: locate(at()).line }, evidenceFiles });
  });
  const wids = new Map<string, number>();
  waivers.forEach((w, i) => {
    const at = (k: string) => ['waivers', i, k];
    if (wids.has(w.id)) issue(at('id'), `waivers[${i}].id`, `duplicate id "${w.id}" (first is waivers[${wids.get(w.id)}])`);
    wids.set(w.id, i);
    if (w.unit && !catalog.gbt39786.unitById.has(w.unit)) issue(at('unit'), `waivers[${i}].unit`, `unknown unit ${w.unit}`);
    if (w.start && Date.parse(w.start) >= Date.parse(w.expires)) issue(at('start'), `waivers[${i}].start`, `start ${w.start} is not before expires ${w.expires}`);
    out.waivers.push({ ...w, source: { file, line: locate(['waivers', i]).line } });
  });
  if (issues.length) throw new InputError(`${file}: invalid attestations or waivers`, issues.map(formatIssue));
  return out;
}

function checkDak(a: AttestationInput, issue: (field: string, reason: string) => void): void {
  const d = a.dak;
  if (!d) {
    if (a.result === '部分符合') issue('result', '部分符合 on a technical unit needs dak: say which of D, A, K fail');
    return;
  }
  if (a.result === '不适用') return issue('dak', 'an object that is 不适用 carries no D/A/K');
  const given = Object.values(d);
  const fails = given.some((v) => v === false);
  const expected: AttestationResult = d.D === false ? '不符合' : fails ? '部分符合' : '符合';
  if (a.result !== expected) issue('result', `result ${a.result} contradicts dak ${JSON.stringify(d)} (that reads as ${expected})`);
  if (d.D === false && (d.A !== undefined && d.A !== '/' || d.K !== undefined && d.K !== '/')) issue('dak', 'D ✘ → A and K are not judged ("/" or omitted)');
  if (a.strengthBits !== undefined && d.A !== false) issue('strengthBits', 'strengthBits applies only when dak.A is false');
  if (a.kModuleLevelOnly !== undefined && d.K !== false) issue('kModuleLevelOnly', 'kModuleLevelOnly applies only when dak.K is false');
}

/** What a waiver does in this run. */
export type WaiverState = 'active' | 'expired' | 'pending';
export function waiverState(w: WaiverInput, now: Date): WaiverState {
  if (Date.parse(w.expires) <= now.getTime()) return 'expired';
  if (w.start && Date.parse(w.start) > now.getTime()) return 'pending';
  return 'active';
}

/** The D/A/K an attestation on a technical unit stands for. */
export function attestedDak(a: AttestationInput): { D?: DakValue; A?: DakValue; K?: DakValue } | 'na' {
  if (a.result === '不适用') return 'na';
  if (a.dak) return a.dak;
  if (a.result === '符合') return { D: true, A: true, K: true };
  return { D: false, A: '/', K: '/' };
}

/** Marks failed/not-tested scenarios covered by an active waiver; every waiver is returned with its state and matches. */
export function applyWaivers(waivers: Waiver[], scenarios: import('./model.ts').ReportScenario[], now: Date): import('./model.ts').WaiverRecord[] {
  return waivers.map((w) => {
    const state = waiverState(w, now);
    const matched = scenarios.filter((s) => (s.status === 'failed' || s.status === 'not_tested')
      && ((w.scenario !== undefined && s.id === w.scenario) || (w.tag !== undefined && s.tags.includes(w.tag)) || (w.unit !== undefined && s.units.includes(w.unit))));
    if (state === 'active') for (const s of matched) s.waiver ??= w.id;
    const { source, ...rest } = w;
    return { ...rest, state, matched: matched.map((s) => s.id), source };
  });
}
