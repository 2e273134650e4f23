import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import { InputError } from '../lib/errors.ts';
import { DEFAULT_PROFILE_PATH, loadProfile, resolveSecret, type LoadedProfile } from '../profiles/profile.ts';
import type { ResolvedAdapterConfig } from '../probes/adapters/index.ts';
import { DEFAULT_GATE, evaluateGate, parseGate } from '../reports/gate.ts';
import { REPORT_SCHEMA_VERSION, ReportCollector, summarise, type AttestationRecord, type Report, type ReportScenario } from '../reports/model.ts';
import { signRunFolder, writeReports } from '../reports/write.ts';
import { applyWaivers, loadManualFile, manualFromProfile, mergeManual, type Attestation, type ManualInputs } from '../reports/manual.ts';
import { deriveUnits, scoreUnits } from '../reports/dak.ts';
import { signingKey } from '../reports/manifest.ts';
import { loadCatalog, type Catalog, type Level } from '../catalog/index.ts';
import { FileEvidenceSink } from '../probes/evidence.ts';
import { readFileSync } from 'node:fs';
import type { Lang } from '../reports/i18n.ts';
import { scenarioId } from '../steps/support/scenario-id.ts';
import type { RunContext } from '../steps/support/run-context.ts';
import { startReferenceTarget, type StartedReference } from './reference-target.ts';
import { resolveSdfAdapter } from '../probes/sdf/config.ts';
import { resolveTlcpChannel, resolveTlcpTransport, type ResolvedTlcpChannel, type TlcpChannelOptions, type TlcpTransportOptions } from '../probes/tlcp/config.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const VERSION = '0.1.0';

export interface RunOptions {
  profile?: string;
  tags?: string;
  out?: string;
  gate?: string;
  lang?: Lang;
  parallel?: number;
  /** reference target only: defects to switch on instead of the profile's (sensitivity runs, tests) */
  defects?: string[];
  /** attestations/waivers file on top of the profile's (`--attestations FILE`) */
  attestations?: string;
  /** the run's clock for waiver expiry (tests) */
  now?: Date;
  /** where progress lines go (default stderr) */
  log?: (line: string) => void;
}

export interface RunResult { report: Report; exitCode: number; outDir: string }

/** One evaluation (DESIGN.md §3 "Run"): profile → target → features → findings → reports → exit code. */
export async function runEvaluation(o: RunOptions = {}): Promise<RunResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const loaded = loadProfile(o.profile ?? DEFAULT_PROFILE_PATH);
  const { profile } = loaded;
  const lang: Lang = o.lang ?? profile.language ?? 'zh';
  const gateExpr = o.gate ?? profile.gate ?? DEFAULT_GATE;
  parseGate(gateExpr); // parse now: a bad gate is a usage error before anything starts
  // attestations, waivers and the signing key are inputs too: reject bad ones before the target starts
  const catalog = loadCatalog();
  const manual = loadManual(loaded, catalog, o.attestations);
  const key = signingKey(profile.report?.signingKey ? resolve(loaded.dir, profile.report.signingKey.file) : undefined, `${loaded.file}: report.signingKey.file`);
  const startedAt = new Date();
  const outDir = resolve(o.out ?? join('gmeval-report', startedAt.toISOString().replace(/[:.]/g, '-')));
  mkdirSync(outDir, { recursive: true });

  let reference: StartedReference | undefined;
  if (profile.target.kind === 'reference') {
    reference = await startReferenceTarget(o.defects ?? profile.target.defects ?? []);
    log(`gmeval: reference platform on ${reference.endpoints.api}${reference.defects.length ? ` with defects ${reference.defects.join(', ')}` : ''}`);
  } else if (o.defects?.length) throw new InputError('--defect applies only to the bundled reference platform (target.kind: reference)');
  try {
    const endpoints: Record<string, string> = { ...(profile.target.endpoints as Record<string, string> | undefined), ...(reference?.endpoints ?? {}) };
    const ctx: RunContext = {
      runDir: outDir,
      level: profile.level,
      language: lang,
      objects: profile.objects,
      adapters: resolveAdapters(loaded, endpoints, reference?.provisioned ?? {}),
      tlcpChannels: resolveTlcpChannels(loaded, endpoints, reference?.provisioned ?? {}),
      timeouts: { requestMs: profile.timeouts?.requestMs ?? 10_000, stepMs: profile.timeouts?.stepMs ?? 60_000 },
      targetKind: profile.target.kind,
      endpoints,
    };
    const collector = new ReportCollector(scenarioId);
    const tags = [profile.features?.tags, o.tags].filter(Boolean).map((t) => `(${t})`).join(' and ');
    const paths = (profile.features?.paths ?? ['features']).map((p) => resolve(ROOT, p));
    const success = await runFeatures(paths, tags, ctx, o.parallel ?? 1, collector);
    void success;
    const scenarios = collector.scenarios.sort((a, b) => a.feature.uri.localeCompare(b.feature.uri) || a.id.localeCompare(b.id));
    const summary = summarise(scenarios);
    const now = o.now ?? new Date();
    const waivers = applyWaivers(manual.waivers, scenarios, now);
    for (const w of waivers.filter((x) => x.state === 'expired')) log(`gmeval: WAIVER EXPIRED — ${w.id} expired ${w.expires} (${w.source.file}:${w.source.line}); ignored${w.matched.length ? `, ${w.matched.length} scenario(s) count again` : ''}`);
    const level = profile.level as Level;
    const derived = deriveUnits(scenarios, manual.attestations, catalog, level);
    const scored = new Set(derived.units.map((u) => u.id));
    for (const s of scenarios) s.feedsScore = s.units.some((u) => scored.has(u));
    for (const a of manual.attestations) if (a.scenario) { const s = scenarios.find((x) => x.id === a.scenario); if (s && s.status === 'not_tested') s.attestation = a.id; }
    const score = scoreUnits(derived.units, catalog, level);
    const attestations = manual.attestations.map((a) => attestationRecord(a, outDir));
    const report: Report = {
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'gmeval', version: VERSION },
      run: {
        id: randomUUID(),
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        language: lang,
        profile: { name: profile.name, file: relative(process.cwd(), loaded.file) || loaded.file, level: profile.level },
        target: { kind: profile.target.kind, defects: reference?.defects ?? [], endpoints },
      },
      summary,
      scenarios,
      assumptions: score.assumptions.map((a) => ({ id: a.id, value: a.value, basis: `${a.basis}: ${a.source}` })),
      score,
      units: derived.units,
      attestations,
      waivers,
      signing: { algorithm: 'SM2-SM3', publicKeyPem: key.publicKeyPem, publicKeySm3: key.publicKeySm3, keySource: key.source },
      warnings: derived.warnings,
    };
    const errors = scenarios.filter((s) => s.status === 'not_tested' && s.reason?.startsWith('error:') && !s.waiver).length;
    report.gate = evaluateGate(gateExpr, gateMetrics(report, errors));
    writeReports(outDir, report, lang);
    signRunFolder(outDir, report.run.id, key);
    let exitCode = report.gate.exitCode;
    // a check that broke (not a judged failure) is a toolkit error: it outranks "could not test"
    if (exitCode !== 1 && errors) exitCode = 4;
    return { report, exitCode, outDir };
  } finally {
    await reference?.stop();
  }
}

function resolveAdapters(l: LoadedProfile, endpoints: Record<string, string>, provisioned: Record<string, string>): Record<string, ResolvedAdapterConfig> {
  const out: Record<string, ResolvedAdapterConfig> = {};
  for (const [name, a] of Object.entries(l.profile.adapters ?? {})) {
    if (a.type === 'http') {
      const ep = a.endpoint ?? 'api';
      const baseUrl = /^https?:\/\//.test(ep) ? ep : endpoints[ep];
      if (!baseUrl) throw new InputError(`${l.file}: adapters.${name}.endpoint: no endpoint "${ep}" in target.endpoints`);
      const cred = a.credential ? l.profile.credentials?.[a.credential] : undefined;
      const where = `${l.file}: credentials.${a.credential}`;
      out[name] = {
        type: 'http', name, mappingFile: resolve(l.dir, a.mapping), baseUrl, timeoutMs: a.timeoutMs,
        accessKey: resolveSecret(cred?.accessKey, `${where}.accessKey`, l.dir, provisioned),
        secret: resolveSecret(cred?.secret, `${where}.secret`, l.dir, provisioned),
        // transport: tlcp — the same requests over GB/T 38636 (docs/tlcp.md)
        ...(a.transport === 'tlcp' ? { tlcp: resolveTlcpTransport(name, a.tlcp as TlcpTransportOptions | undefined, { file: l.file, dir: l.dir, endpoints, provisioned }) } : {}),
      };
    } else if (a.type === 'sdf') {
      out[name] = resolveSdfAdapter(name, a, l.file, l.dir, endpoints, resolveSecret(a.pin, `${l.file}: adapters.${name}.pin`, l.dir, provisioned));
    } else out[name] = { type: 'module', name, moduleFile: resolve(l.dir, a.module), options: a.options ?? {}, timeoutMs: a.timeoutMs };
  }
  return out;
}

/** Resolves every tlcp-channel object's endpoint, trust anchors and client certificate (probes/tlcp/config.ts). */
function resolveTlcpChannels(l: LoadedProfile, endpoints: Record<string, string>, provisioned: Record<string, string>): Record<string, ResolvedTlcpChannel> {
  const out: Record<string, ResolvedTlcpChannel> = {};
  l.profile.objects.forEach((o, i) => {
    if (o.kind === 'tlcp-channel') out[o.id] = resolveTlcpChannel(o.id, i, (o.options ?? {}) as TlcpChannelOptions, { file: l.file, dir: l.dir, endpoints, provisioned });
  });
  return out;
}

let supportLibrary: Awaited<ReturnType<typeof loadSupport>> | undefined;

async function runFeatures(paths: string[], tags: string, ctx: RunContext, parallel: number, collector: ReportCollector): Promise<boolean> {
  const sink = new PassThrough();
  sink.resume();
  const env: NodeJS.ProcessEnv = { ...process.env, GMEVAL_STEP_TIMEOUT_MS: String(ctx.timeouts.stepMs) };
  const environment = { cwd: ROOT, stdout: sink, stderr: process.stderr, env };
  if (parallel > 1) {
    // cucumber's workers are child processes: they need tsx to load the TypeScript step definitions
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import tsx`.trim();
  }
  const { runConfiguration } = await loadConfiguration({
    provided: {
      paths,
      import: [resolve(ROOT, 'steps/**/*.ts')],
      tags,
      language: 'zh-CN',
      format: [],
      parallel: parallel > 1 ? parallel : 0,
      worldParameters: ctx as unknown as Record<string, never>,
      strict: true,
      publish: false,
    },
  }, environment);
  // Step definitions register themselves when their modules are first imported; a second run in the
  // same process must reuse that library (cucumber's documented pattern), except in parallel mode,
  // where each worker loads it afresh.
  const support = parallel > 1 ? runConfiguration.support : (supportLibrary ??= await loadSupport(runConfiguration, environment));
  const { success } = await runCucumber({ ...runConfiguration, support }, environment, (e) => collector.onMessage(e));
  return success;
}

/** The profile's attestations and waivers (inline, or its attestations file) plus `--attestations FILE`. */
function loadManual(l: LoadedProfile, catalog: Catalog, extraFile?: string): ManualInputs {
  const level = l.profile.level as Level;
  const parts: ManualInputs[] = [];
  const a = l.profile.attestations;
  if (typeof a === 'string') parts.push(loadManualFile(resolve(l.dir, a), catalog, level));
  if (Array.isArray(a) || l.profile.waivers?.length) parts.push(manualFromProfile(l.file, Array.isArray(a) ? a : [], l.profile.waivers ?? [], catalog, level));
  if (extraFile) parts.push(loadManualFile(resolve(extraFile), catalog, level));
  return mergeManual(...parts);
}

/** Copies an attestation's evidence into the run folder (so the manifest covers it) and records it. */
function attestationRecord(a: Attestation, outDir: string): AttestationRecord {
  const sink = new FileEvidenceSink(outDir, `attestations/${a.id}`);
  const evidence = a.evidenceFiles.map((f) => sink.save(f.split(/[\\/]/).pop()!, 'application/octet-stream', readFileSync(f)));
  const { evidenceFiles: _files, evidence: _names, source, ...rest } = a;
  return { ...rest, evidence, demonstration: a.demonstration ?? false, source: { file: relative(process.cwd(), source.file) || source.file, line: source.line } };
}

/** Every metric a gate may use (reports/gate.ts GATE_METRICS). Waived scenarios leave failed/not_tested. */
export function gateMetrics(r: Report, errors: number): Record<string, number> {
  const count = (f: (s: ReportScenario) => boolean) => r.scenarios.filter(f).length;
  const attestedResult = new Map((r.attestations ?? []).map((a) => [a.id, a.result]));
  const attested = (s: ReportScenario) => (s.attestation ? attestedResult.get(s.attestation) : undefined);
  const s = r.score;
  return {
    passed: count((x) => x.status === 'passed'),
    // a not-tested scenario answered by an assessor's scenario attestation counts by that answer (不符合 → failed)
    failed: count((x) => !x.waiver && (x.status === 'failed' || (x.status === 'not_tested' && attested(x) === '不符合'))),
    not_tested: count((x) => x.status === 'not_tested' && !x.waiver && !attested(x)),
    not_applicable: count((x) => x.status === 'not_applicable'),
    waived: count((x) => !!x.waiver),
    errors,
    scenarios: r.scenarios.length,
    score: s?.total ?? 0,
    score_max: s?.totalUpper ?? 0,
    high: s?.highRisks.length ?? 0,
    uncovered: s?.counts.uncovered ?? 0,
    incomplete: s?.counts.incomplete ?? 0,
    expired_waivers: (r.waivers ?? []).filter((w) => w.state === 'expired').length,
  };
}
