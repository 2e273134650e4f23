import type { Envelope } from '@cucumber/messages';
import { DIMENSIONS, type Dimension, type Finding } from './finding.ts';
import type { RunScore, UnitChain } from './dak.ts';
import type { AttestationMethod, AttestationResult, WaiverState } from './manual.ts';
import type { EvidenceRef } from '../probes/evidence.ts';

/**
 * 1.1: score, units (the finding → D/A/K → object → unit chain), attestations, waivers, signing, scenario units/dak/line.
 * 1.2: a finding may carry the measured `strengthBits` of what it failed (→ Ra of the A dimension).
 */
export const REPORT_SCHEMA_VERSION = '1.2.0';

export type ScenarioStatus = 'passed' | 'failed' | 'not_tested' | 'not_applicable';

export interface ReportStep { keyword: string; text: string; status: string; message?: string; durationMs: number }

export interface ReportScenario {
  /** stable across runs: feature path + scenario name + step texts */
  id: string;
  name: string;
  feature: { name: string; uri: string; line?: number };
  std?: string;
  clause?: string;
  dimension?: Dimension;
  severity?: string;
  method?: string;
  probe?: string;
  /** first @unit tag (1.0 field); `units` has all of them */
  unit?: string;
  units: string[];
  /** D/A/K dimensions the scenario's findings decide (@dak tags) */
  dak: ('D' | 'A' | 'K')[];
  /** whether the scenario feeds the GB/T 39786 score (it cites a unit at the profile's level) */
  feedsScore: boolean;
  /** an active waiver covering this failed/not-tested scenario: the status stays, the gate does not count it */
  waiver?: string;
  /** an attestation that judged this scenario by hand (it could not be tested) */
  attestation?: string;
  tags: string[];
  status: ScenarioStatus;
  /** why a scenario is not tested / failed without a finding (error in a step) */
  reason?: string;
  steps: ReportStep[];
  findings: Finding[];
  durationMs: number;
}

export interface Counts { passed: number; failed: number; not_tested: number; not_applicable: number }

export interface GateResult { expression: string; passed: boolean; exitCode: number; clauses: { clause: string; actual: number; passed: boolean }[] }

export interface Report {
  schemaVersion: string;
  tool: { name: 'gmeval'; version: string };
  run: {
    id: string;
    startedAt: string;
    finishedAt: string;
    language: 'zh' | 'en';
    profile: { name: string; file: string; level: number };
    target: { kind: 'reference' | 'remote'; defects: string[]; endpoints: Record<string, string> };
  };
  summary: { scenarios: Counts; findings: Counts & { waived: number; attested: number }; byDimension: Record<Dimension, Counts> };
  scenarios: ReportScenario[];
  gate?: GateResult;
  assumptions: { id: string; value: unknown; basis: string }[];
  score?: RunScore;
  units?: UnitChain[];
  attestations?: AttestationRecord[];
  waivers?: WaiverRecord[];
  /** who signs manifest.json: the SM2 public key (the private key is never written) */
  signing?: { algorithm: 'SM2-SM3'; publicKeyPem: string; publicKeySm3: string; keySource: 'profile' | 'generated' };
  warnings?: string[];
}

export interface AttestationRecord {
  id: string;
  unit?: string;
  scenario?: string;
  object?: string;
  result: AttestationResult;
  dak?: { D?: boolean | '/'; A?: boolean | '/'; K?: boolean | '/' };
  strengthBits?: number;
  kModuleLevelOnly?: boolean;
  risk?: string;
  assessor: string;
  date: string;
  method: AttestationMethod;
  evidence: EvidenceRef[];
  note?: string;
  demonstration: boolean;
  source: { file: string; line: number };
}

export interface WaiverRecord {
  id: string;
  scenario?: string;
  tag?: string;
  unit?: string;
  justification: string;
  approver: string;
  risk?: string;
  start?: string;
  expires: string;
  state: WaiverState;
  /** scenarios it covers in this run (active) or would cover (expired/pending) */
  matched: string[];
  source: { file: string; line: number };
}

const zeroCounts = (): Counts => ({ passed: 0, failed: 0, not_tested: 0, not_applicable: 0 });
const tagValue = (tags: string[], name: string) => tags.find((t) => t.startsWith(`@${name}:`))?.slice(name.length + 2);

/** Collects cucumber messages and turns them into report scenarios with their findings. */
export class ReportCollector {
  private readonly pickles = new Map<string, NonNullable<Envelope['pickle']>>();
  private readonly features = new Map<string, string>();
  private readonly lines = new Map<string, number>();
  private readonly stepKeywords = new Map<string, string>();
  private readonly testCases = new Map<string, NonNullable<Envelope['testCase']>>();
  private readonly started = new Map<string, { testCaseId: string; at: number; steps: Map<string, ReportStep>; findings: Finding[] }>();
  readonly scenarios: ReportScenario[] = [];
  private readonly ids: (id: string, pickle: NonNullable<Envelope['pickle']>) => string;

  constructor(scenarioId: (uri: string, name: string, stepTexts: string[]) => string) {
    this.ids = (_id, p) => scenarioId(p.uri, p.name, p.steps.map((s) => s.text));
  }

  onMessage(e: Envelope): void {
    if (e.gherkinDocument?.feature) {
      const f = e.gherkinDocument.feature;
      this.features.set(e.gherkinDocument.uri ?? '', f.name);
      const walk = (children: typeof f.children) => {
        for (const c of children) {
          for (const s of c.background?.steps ?? []) this.stepKeywords.set(s.id, s.keyword.trim());
          for (const s of c.scenario?.steps ?? []) this.stepKeywords.set(s.id, s.keyword.trim());
          if (c.scenario) {
            this.lines.set(c.scenario.id, c.scenario.location.line);
            for (const ex of c.scenario.examples) for (const row of ex.tableBody) this.lines.set(row.id, row.location.line);
          }
          if (c.rule) walk(c.rule.children as typeof f.children);
        }
      };
      walk(f.children);
    } else if (e.pickle) this.pickles.set(e.pickle.id, e.pickle);
    else if (e.testCase) this.testCases.set(e.testCase.id, e.testCase);
    else if (e.testCaseStarted) this.started.set(e.testCaseStarted.id, { testCaseId: e.testCaseStarted.testCaseId, at: Date.now(), steps: new Map(), findings: [] });
    else if (e.testStepFinished) {
      const s = this.started.get(e.testStepFinished.testCaseStartedId);
      if (!s) return;
      const tc = this.testCases.get(s.testCaseId)!;
      const ts = tc.testSteps.find((x) => x.id === e.testStepFinished!.testStepId);
      if (!ts?.pickleStepId) {
        // a hook: only its failure matters
        const r = e.testStepFinished.testStepResult;
        if (r.status === 'FAILED') s.steps.set(`hook-${ts?.id}`, { keyword: 'hook', text: 'hook', status: r.status, message: r.message, durationMs: 0 });
        return;
      }
      const pickle = this.pickles.get(tc.pickleId)!;
      const ps = pickle.steps.find((x) => x.id === ts.pickleStepId)!;
      const r = e.testStepFinished.testStepResult;
      s.steps.set(ts.id, { keyword: this.stepKeywords.get(ps.astNodeIds[0]!) ?? '', text: ps.text, status: r.status, message: r.message, durationMs: Math.round((r.duration.seconds * 1e9 + r.duration.nanos) / 1e6) });
    } else if (e.attachment && e.attachment.mediaType === 'application/vnd.gmeval.finding+json') {
      const s = this.started.get(e.attachment.testCaseStartedId ?? '');
      if (s) s.findings.push(JSON.parse(e.attachment.body) as Finding);
    } else if (e.testCaseFinished) {
      if (e.testCaseFinished.willBeRetried) return;
      const s = this.started.get(e.testCaseFinished.testCaseStartedId);
      if (s) this.scenarios.push(this.finish(s));
    }
  }

  private finish(s: { testCaseId: string; at: number; steps: Map<string, ReportStep>; findings: Finding[] }): ReportScenario {
    const tc = this.testCases.get(s.testCaseId)!;
    const p = this.pickles.get(tc.pickleId)!;
    const tags = p.tags.map((t) => t.name);
    const steps = [...s.steps.values()];
    const dim = tagValue(tags, 'dim');
    const { status, reason } = scenarioStatus(steps, s.findings);
    return {
      id: this.ids(p.id, p),
      name: p.name,
      feature: { name: this.features.get(p.uri) ?? p.uri, uri: p.uri, ...(this.lines.has(p.astNodeIds.at(-1)!) ? { line: this.lines.get(p.astNodeIds.at(-1)!)! } : {}) },
      std: tagValue(tags, 'std'),
      clause: tagValue(tags, 'clause'),
      dimension: DIMENSIONS.includes(dim as Dimension) ? (dim as Dimension) : undefined,
      severity: tagValue(tags, 'severity'),
      method: tagValue(tags, 'method'),
      probe: tagValue(tags, 'probe'),
      unit: tagValue(tags, 'unit'),
      units: [...new Set(tags.filter((t) => t.startsWith('@unit:')).map((t) => t.slice(6)))],
      dak: [...new Set(tags.filter((t) => /^@dak:[DAK]$/.test(t)).map((t) => t.slice(5) as 'D' | 'A' | 'K'))],
      feedsScore: false,
      tags,
      status,
      ...(reason ? { reason } : {}),
      steps,
      findings: s.findings,
      durationMs: steps.reduce((a, x) => a + x.durationMs, 0),
    };
  }
}

/**
 * A scenario fails only through a failed finding (a judged non-conformance). A step that broke without
 * judging (an exception in a probe step, an undefined step) makes it not_tested with reason `error`.
 */
export function scenarioStatus(steps: ReportStep[], findings: Finding[]): { status: ScenarioStatus; reason?: string } {
  const broken = steps.find((x) => ['FAILED', 'UNDEFINED', 'AMBIGUOUS', 'PENDING', 'UNKNOWN'].includes(x.status));
  if (findings.some((f) => f.status === 'failed')) return { status: 'failed' };
  if (broken) {
    const why = broken.status === 'UNDEFINED' ? `步骤未定义 / undefined step: ${broken.text}` : `${broken.status}: ${broken.text}: ${(broken.message ?? '').split('\n')[0]}`;
    return { status: 'not_tested', reason: `error: ${why}` };
  }
  if (findings.some((f) => f.status === 'not_tested')) return { status: 'not_tested', reason: findings.find((f) => f.status === 'not_tested')!.reason };
  if (findings.length && findings.every((f) => f.status === 'not_applicable')) return { status: 'not_applicable' };
  if (!findings.length) return { status: 'not_tested', reason: 'error: 场景没有产生任何判定 / the scenario produced no finding' };
  return { status: 'passed' };
}

export function summarise(scenarios: ReportScenario[]): Report['summary'] {
  const sc = zeroCounts();
  const fc = { ...zeroCounts(), waived: 0, attested: 0 };
  const byDimension = Object.fromEntries(DIMENSIONS.map((d) => [d, zeroCounts()])) as Record<Dimension, Counts>;
  for (const s of scenarios) {
    sc[s.status]++;
    if (s.dimension) byDimension[s.dimension][s.status]++;
    for (const f of s.findings) fc[f.status]++;
  }
  return { scenarios: sc, findings: fc, byDimension };
}
