import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../lib/errors.ts';
import { DEFAULT_PROFILE_PATH, loadProfile } from '../profiles/profile.ts';
import type { Report, ScenarioStatus } from '../reports/model.ts';
import { writeAtomic } from '../reports/write.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface DefectColumn { name: string; summary: string; violates: { std: string; clause: string }[] }
export interface SensitivityRow { id: string; name: string; std?: string; clause?: string; feature: string }
export interface SensitivityResult {
  schemaVersion: '1.0.0';
  profile: string;
  generatedAt: string;
  defects: DefectColumn[];
  scenarios: SensitivityRow[];
  /** status of each scenario under each run: "clean" and every defect name */
  matrix: Record<string, Record<string, ScenarioStatus | 'absent'>>;
  rules: {
    cleanAllGreen: boolean;
    cleanNotGreen: string[];
    orphanScenarios: string[];
    deadDefects: string[];
    /** a defect turned red a scenario of a clause it does not claim: listed for review, not a failure */
    forReview: { defect: string; scenario: string; std?: string; clause?: string }[];
    runErrors: { run: string; message: string }[];
  };
  passed: boolean;
}

/**
 * `gmeval sensitivity`: the clean reference platform and every named defect, each a full run of the
 * automated features, as a defect × scenario matrix. Runs are separate processes (N at a time).
 */
export async function runSensitivity(o: { profile?: string; out: string; parallel?: number; log?: (l: string) => void }): Promise<SensitivityResult> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const profileFile = resolve(o.profile ?? DEFAULT_PROFILE_PATH);
  const { profile } = loadProfile(profileFile);
  if (profile.target.kind !== 'reference') throw new InputError(`${profileFile}: target.kind: sensitivity needs the bundled reference platform (kind: reference)`);
  const registry = (await import(new URL('../reference-platform/defects/registry.ts', import.meta.url).href)) as { DEFECTS: DefectColumn[] };
  const defects = registry.DEFECTS.map((d) => ({ name: d.name, summary: d.summary, violates: d.violates }));
  const out = resolve(o.out);
  mkdirSync(out, { recursive: true });
  const runs = ['clean', ...defects.map((d) => d.name)];
  const reports = new Map<string, Report>();
  const runErrors: { run: string; message: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const run = runs[next++]!;
      const started = Date.now();
      try {
        reports.set(run, await runOne(profileFile, run, join(out, 'runs', run)));
        log(`sensitivity: ${run} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (e) {
        runErrors.push({ run, message: (e as Error).message });
        log(`sensitivity: ${run} FAILED to run: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.parallel ?? 2) }, worker));

  const clean = reports.get('clean');
  const scenarios = automatedRows(clean);
  const matrix: SensitivityResult['matrix'] = {};
  for (const run of runs) {
    const rep = reports.get(run);
    if (!rep) continue;
    const byId = new Map(rep.scenarios.map((s) => [s.id, s.status]));
    matrix[run] = Object.fromEntries(scenarios.map((s) => [s.id, byId.get(s.id) ?? 'absent']));
  }
  const result = judgeSensitivity(profileFile, defects, scenarios, matrix, runErrors, !!clean);
  writeAtomic(join(out, 'sensitivity.json'), JSON.stringify(result, null, 2) + '\n');
  writeAtomic(join(out, 'sensitivity.html'), renderSensitivityHtml(result));
  return result;
}

function runOne(profile: string, run: string, out: string): Promise<Report> {
  const args = [join(ROOT, 'bin/gmeval.js'), 'run', '--profile', profile, '--out', out, '--gate', 'failed>=0'];
  if (run !== 'clean') args.push('--defect', run);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err = (err + c.toString('utf8')).slice(-4000); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 1 && code !== 3) return reject(new Error(`gmeval run exited ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
      try {
        resolvePromise(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report);
      } catch (e) {
        reject(new Error(`no report.json: ${(e as Error).message}`));
      }
    });
  });
}

const esc = (s: unknown) => String(s ?? '').replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
const CELL: Record<string, string> = { passed: '·', failed: '✗', not_tested: '?', not_applicable: '–', absent: ' ' };

/**
 * The rows of the matrix: the automated scenarios of the clean run. Examine/interview scenarios are answered by
 * an assessor's attestation, not by a probe, so no defect can (or should) turn them red.
 */
export function automatedRows(clean: Report | undefined): SensitivityRow[] {
  return (clean?.scenarios ?? [])
    .filter((s) => !s.method || s.method === 'test')
    .map((s) => ({ id: s.id, name: s.name, std: s.std, clause: s.clause, feature: s.feature.name }));
}

/** The sensitivity rules over a finished matrix (pure, so the rules themselves are unit-tested). */
export function judgeSensitivity(profile: string, defects: DefectColumn[], scenarios: SensitivityRow[], matrix: SensitivityResult['matrix'], runErrors: { run: string; message: string }[], haveClean = true): SensitivityResult {
  const cleanNotGreen = scenarios.filter((s) => matrix.clean?.[s.id] !== 'passed').map((s) => `${s.name} (${matrix.clean?.[s.id] ?? 'absent'})`);
  const redIn = (run: string, id: string) => matrix[run]?.[id] === 'failed';
  const orphanScenarios = scenarios.filter((s) => !defects.some((d) => redIn(d.name, s.id))).map((s) => `${s.std ?? ''} ${s.clause ?? ''} ${s.name}`.trim());
  const deadDefects = defects.filter((d) => matrix[d.name] && !scenarios.some((s) => redIn(d.name, s.id))).map((d) => d.name);
  const forReview = defects.flatMap((d) =>
    scenarios.filter((s) => redIn(d.name, s.id) && !d.violates.some((v) => v.std === s.std && v.clause === s.clause)).map((s) => ({ defect: d.name, scenario: s.name, std: s.std, clause: s.clause })));
  const rules = { cleanAllGreen: cleanNotGreen.length === 0 && haveClean, cleanNotGreen, orphanScenarios, deadDefects, forReview, runErrors };
  return {
    schemaVersion: '1.0.0', profile, generatedAt: new Date().toISOString(), defects, scenarios, matrix, rules,
    passed: rules.cleanAllGreen && orphanScenarios.length === 0 && deadDefects.length === 0 && runErrors.length === 0,
  };
}

export function renderSensitivityHtml(r: SensitivityResult): string {
  const runs = ['clean', ...r.defects.map((d) => d.name)];
  const head = runs.map((x) => `<th class="v"><div>${esc(x)}</div></th>`).join('');
  const rows = r.scenarios.map((s) => `<tr><td>${esc(s.std)} ${esc(s.clause)}</td><td>${esc(s.name)}</td>${runs.map((x) => {
    const st = r.matrix[x]?.[s.id] ?? 'absent';
    const review = x !== 'clean' && st === 'failed' && !r.defects.find((d) => d.name === x)!.violates.some((v) => v.std === s.std && v.clause === s.clause);
    return `<td class="c ${st}${review ? ' review' : ''}" title="${esc(x)}: ${esc(st)}">${CELL[st]}</td>`;
  }).join('')}</tr>`).join('\n');
  const list = (title: string, items: string[]) => `<h3>${esc(title)} (${items.length})</h3>${items.length ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : '<p>—</p>'}`;
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>gmeval 敏感性矩阵 / sensitivity matrix</title><style>
body{font-family:"Noto Sans CJK SC",system-ui,sans-serif;margin:20px;color:#202124}table{border-collapse:collapse;font-size:12px}
th,td{border:1px solid #ddd;padding:2px 4px}th.v{height:150px;vertical-align:bottom}th.v div{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
td.c{text-align:center;width:18px}.failed{background:#f4c7c3;color:#b3261e;font-weight:700}.passed{color:#1b7f3b}.not_tested{background:#fce8b2}.review{outline:2px solid #e37400}
</style></head><body><h1>敏感性矩阵 / Sensitivity matrix</h1><p>${esc(r.profile)} · ${esc(r.generatedAt)} · ${r.passed ? '规则全部满足 / all rules hold' : '<b style="color:#b3261e">规则未满足 / rules violated</b>'}</p>
<p>· 通过 passed　✗ 不通过 failed　? 未测 not tested　– 不适用 n/a　<span style="outline:2px solid #e37400">✗</span> 非所声明条款，待复核 / outside the defect's claimed clauses, for review</p>
<table><tr><th>条款 clause</th><th>场景 scenario</th>${head}</tr>
${rows}</table>
${list('干净平台未通过 / clean run not green', r.rules.cleanNotGreen)}${list('无缺陷可使之失败的场景 / orphan scenarios', r.rules.orphanScenarios)}${list('未使任何场景失败的缺陷 / dead defects', r.rules.deadDefects)}
${list('待复核 / for review', r.rules.forReview.map((x) => `${x.defect} → ${x.std ?? ''} ${x.clause ?? ''} ${x.scenario}`))}${list('运行错误 / run errors', r.rules.runErrors.map((x) => `${x.run}: ${x.message}`))}
</body></html>
`;
}
