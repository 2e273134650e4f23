import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Label, Stage, Status, TestResult } from 'allure-js-commons';
import type { Report, ReportScenario } from './model.ts';

/**
 * Allure results (the `allure-results/` folder format that `allure generate` reads): one result per scenario,
 * its steps, and its findings as a JSON attachment. Written from the report, so it matches report.json exactly.
 */
const uuidOf = (s: string) => {
  const h = createHash('sha256').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function status(s: ReportScenario): Status {
  if (s.status === 'passed') return 'passed' as Status;
  if (s.status === 'failed') return 'failed' as Status;
  if (s.status === 'not_tested' && s.reason?.startsWith('error:')) return 'broken' as Status;
  return 'skipped' as Status;
}

export function writeAllureResults(dir: string, r: Report): string[] {
  const out = join(dir, 'allure-results');
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  const put = (name: string, body: string) => { writeFileSync(join(out, name), body); written.push(`allure-results/${name}`); };
  const start0 = Date.parse(r.run.startedAt);
  let t = start0;
  for (const s of r.scenarios) {
    const uuid = uuidOf(`${r.run.id}\n${s.id}`);
    const attachment = `${uuid}-attachment.json`;
    put(attachment, JSON.stringify({ findings: s.findings, waiver: s.waiver, attestation: s.attestation }, null, 2));
    const labels: Label[] = [
      { name: 'epic', value: s.std ?? 'gmeval' },
      { name: 'feature', value: s.feature.name },
      { name: 'story', value: `${s.std ?? ''} ${s.clause ?? ''}`.trim() },
      { name: 'suite', value: s.feature.name },
      { name: 'severity', value: s.severity === 'high' ? 'critical' : s.severity === 'low' ? 'minor' : 'normal' },
      { name: 'framework', value: 'gmeval' },
      ...s.units.map((u) => ({ name: 'tag', value: `unit:${u}` })),
      ...s.tags.map((tag) => ({ name: 'tag', value: tag.replace(/^@/, '') })),
    ];
    const begin = t;
    const steps = s.steps.map((x) => {
      const st = { name: `${x.keyword} ${x.text}`, status: (x.status === 'PASSED' ? 'passed' : x.status === 'FAILED' ? 'failed' : 'skipped') as Status, statusDetails: x.message ? { message: x.message.split('\n')[0] } : {}, stage: 'finished' as Stage, steps: [], attachments: [], parameters: [], start: t, stop: t + x.durationMs };
      t += x.durationMs;
      return st;
    });
    const message = s.status === 'failed' ? s.findings.filter((f) => f.status === 'failed').map((f) => `${f.object.name}: ${f.reason}`).join('\n') : s.reason;
    const result: TestResult = {
      uuid,
      historyId: createHash('sha256').update(s.id).digest('hex').slice(0, 32),
      testCaseId: createHash('sha256').update(`${s.feature.uri}\n${s.name}`).digest('hex').slice(0, 32),
      fullName: s.id,
      titlePath: [s.feature.uri, s.feature.name],
      name: s.name,
      status: status(s),
      statusDetails: { ...(message ? { message: s.waiver ? `[waived ${s.waiver}] ${message}` : message } : {}) },
      stage: 'finished' as Stage,
      description: s.findings.map((f) => `- [${f.status}] ${f.object.name}: ${f.check} — ${f.reason}`).join('\n'),
      steps,
      attachments: [{ name: 'findings.json', type: 'application/json', source: attachment }],
      parameters: s.findings.length ? [{ name: '测评对象', value: [...new Set(s.findings.map((f) => f.object.name))].join(', ') }] : [],
      labels,
      links: [],
      start: begin,
      stop: Math.max(t, begin + s.durationMs),
    };
    put(`${uuid}-result.json`, JSON.stringify(result, null, 2));
  }
  const env = [
    `profile=${r.run.profile.name}`, `level=${r.run.profile.level}`, `target=${r.run.target.kind}`, `defects=${r.run.target.defects.join(' ') || 'none'}`,
    ...(r.score ? [`score=${r.score.total ?? 'n/a'}`, `conclusion=${r.score.conclusion}`] : []), `gmeval=${r.tool.version}`, `run=${r.run.id}`,
  ];
  put('environment.properties', env.map((l) => l.replace(/\n/g, ' ')).join('\n') + '\n');
  put('executor.json', JSON.stringify({ name: 'gmeval', type: 'gmeval', buildName: r.run.id }, null, 2));
  return written;
}
