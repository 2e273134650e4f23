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
import { REPORT_SCHEMA_VERSION, ReportCollector, summarise, type Report } from '../reports/model.ts';
import { writeReports } from '../reports/write.ts';
import type { Lang } from '../reports/i18n.ts';
import { scenarioId } from '../steps/support/scenario-id.ts';
import type { RunContext } from '../steps/support/run-context.ts';
import { startReferenceTarget, type StartedReference } from './reference-target.ts';

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
      timeouts: { requestMs: profile.timeouts?.requestMs ?? 10_000, stepMs: profile.timeouts?.stepMs ?? 60_000 },
      targetKind: profile.target.kind,
    };
    const collector = new ReportCollector(scenarioId);
    const tags = [profile.features?.tags, o.tags].filter(Boolean).map((t) => `(${t})`).join(' and ');
    const paths = (profile.features?.paths ?? ['features']).map((p) => resolve(ROOT, p));
    const success = await runFeatures(paths, tags, ctx, o.parallel ?? 1, collector);
    void success;
    const scenarios = collector.scenarios.sort((a, b) => a.feature.uri.localeCompare(b.feature.uri) || a.id.localeCompare(b.id));
    const summary = summarise(scenarios);
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
      assumptions: [],
    };
    const errors = scenarios.filter((s) => s.status === 'not_tested' && s.reason?.startsWith('error:')).length;
    report.gate = evaluateGate(gateExpr, { ...summary.scenarios, errors, scenarios: scenarios.length });
    writeReports(outDir, report, lang);
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
      };
    } else out[name] = { type: 'module', name, moduleFile: resolve(l.dir, a.module), options: a.options ?? {}, timeoutMs: a.timeoutMs };
  }
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
