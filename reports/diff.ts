import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../lib/errors.ts';
import type { Report } from './model.ts';

/** Baseline comparison of two runs by stable scenario id (and unit id): what broke, what was fixed, how the score moved. */
export interface DiffEntry { id: string; name: string; from: string | null; to: string | null }
export interface ReportDiff {
  schemaVersion: '1.0';
  old: { runId: string; startedAt: string; profile: string };
  new: { runId: string; startedAt: string; profile: string };
  newFailures: DiffEntry[];
  fixes: DiffEntry[];
  statusChanges: DiffEntry[];
  added: DiffEntry[];
  removed: DiffEntry[];
  units: { id: string; from: string | null; to: string | null; scoreFrom: number | null; scoreTo: number | null }[];
  score: { old: number | null; new: number | null; delta: number | null; oldConclusion: string | null; newConclusion: string | null; highRisksOld: number; highRisksNew: number };
}

export function readReport(path: string): Report {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'report.json') : path;
  if (!existsSync(file)) throw new InputError(`${file}: not found (give a run folder or its report.json)`);
  let r: Report;
  try {
    r = JSON.parse(readFileSync(file, 'utf8')) as Report;
  } catch (e) {
    throw new InputError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (!r || typeof r.schemaVersion !== 'string' || !/^1\./.test(r.schemaVersion) || !Array.isArray(r.scenarios)) throw new InputError(`${file}: not a gmeval report (schemaVersion 1.x with scenarios[])`);
  return r;
}

export function diffReports(a: Report, b: Report): ReportDiff {
  const before = new Map(a.scenarios.map((s) => [s.id, s]));
  const after = new Map(b.scenarios.map((s) => [s.id, s]));
  const d: ReportDiff = {
    schemaVersion: '1.0',
    old: { runId: a.run.id, startedAt: a.run.startedAt, profile: a.run.profile.name },
    new: { runId: b.run.id, startedAt: b.run.startedAt, profile: b.run.profile.name },
    newFailures: [], fixes: [], statusChanges: [], added: [], removed: [], units: [],
    score: {
      old: a.score?.total ?? null, new: b.score?.total ?? null,
      delta: a.score?.total != null && b.score?.total != null ? Math.round((b.score.total - a.score.total) * 100) / 100 : null,
      oldConclusion: a.score?.conclusion ?? null, newConclusion: b.score?.conclusion ?? null,
      highRisksOld: a.score?.highRisks.length ?? 0, highRisksNew: b.score?.highRisks.length ?? 0,
    },
  };
  for (const [id, s] of after) {
    const o = before.get(id);
    const e: DiffEntry = { id, name: s.name, from: o?.status ?? null, to: s.status };
    if (!o) d.added.push(e);
    if (s.status === 'failed' && o?.status !== 'failed') d.newFailures.push(e);
    else if (o?.status === 'failed' && s.status === 'passed') d.fixes.push(e);
    else if (o && o.status !== s.status) d.statusChanges.push(e);
  }
  for (const [id, o] of before) if (!after.has(id)) d.removed.push({ id, name: o.name, from: o.status, to: null });
  const ua = new Map((a.units ?? []).map((u) => [u.id, u]));
  for (const u of b.units ?? []) {
    const o = ua.get(u.id);
    if (!o || o.result !== u.result || o.score !== u.score) d.units.push({ id: u.id, from: o?.result ?? null, to: u.result, scoreFrom: o?.score ?? null, scoreTo: u.score });
  }
  return d;
}

export function formatDiff(d: ReportDiff): string {
  const out: string[] = [];
  const f = (n: number | null) => (n === null ? '—' : n.toFixed(2));
  out.push(`gmeval report diff: ${d.old.runId} (${d.old.startedAt}) → ${d.new.runId} (${d.new.startedAt})`);
  out.push(`score 得分: ${f(d.score.old)} → ${f(d.score.new)}${d.score.delta !== null ? ` (${d.score.delta >= 0 ? '+' : ''}${d.score.delta.toFixed(2)})` : ''}; conclusion 结论: ${d.score.oldConclusion ?? '—'} → ${d.score.newConclusion ?? '—'}; high risks 高风险: ${d.score.highRisksOld} → ${d.score.highRisksNew}`);
  const list = (title: string, l: DiffEntry[], sym: string) => {
    out.push(`${title}: ${l.length}`);
    for (const e of l) out.push(`  ${sym} ${e.name} [${e.id}] ${e.from ?? '(new)'} → ${e.to ?? '(gone)'}`);
  };
  list('new failures 新增不通过', d.newFailures, '✗');
  list('fixes 已修复', d.fixes, '✓');
  list('other status changes 其他状态变化', d.statusChanges, '~');
  list('added scenarios 新增检查项', d.added, '+');
  list('removed scenarios 移除的检查项', d.removed, '-');
  if (d.units.length) {
    out.push(`unit changes 单元变化: ${d.units.length}`);
    for (const u of d.units) out.push(`  ${u.id}: ${u.from ?? '—'} (${u.scoreFrom ?? '—'}) → ${u.to ?? '—'} (${u.scoreTo ?? '—'})`);
  }
  return out.join('\n') + '\n';
}
