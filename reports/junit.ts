import type { Report, ReportScenario } from './model.ts';

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML for generic CI: one suite per feature, one case per scenario; not tested = skipped with the reason. */
export function renderJunit(r: Report): string {
  const byFeature = new Map<string, ReportScenario[]>();
  for (const s of r.scenarios) byFeature.set(s.feature.name, [...(byFeature.get(s.feature.name) ?? []), s]);
  const suites = [...byFeature.entries()].map(([name, list]) => {
    const failures = list.filter((s) => s.status === 'failed').length;
    const skipped = list.filter((s) => s.status === 'not_tested' || s.status === 'not_applicable').length;
    const time = list.reduce((a, s) => a + s.durationMs, 0) / 1000;
    const cases = list.map((s) => {
      const cls = `${s.std ?? 'gmeval'}.${s.clause ?? 'unclassified'}`;
      const detail = s.findings.map((f) => `[${f.status}] ${f.object.name}: ${f.check} — ${f.reason}${f.expected ? `\n  expected: ${f.expected}` : ''}${f.observed ? `\n  observed: ${f.observed}` : ''}`).join('\n');
      const body = s.status === 'failed'
        ? `<failure message="${esc(s.findings.find((f) => f.status === 'failed')?.reason ?? 'failed')}" type="${esc(s.dimension ?? 'failed')}">${esc(detail)}</failure>`
        : s.status === 'not_tested' ? `<skipped message="${esc(`not_tested: ${s.reason ?? ''}`)}"/>`
        : s.status === 'not_applicable' ? `<skipped message="not_applicable"/>` : '';
      return `    <testcase classname="${esc(cls)}" name="${esc(s.name)} [${esc(s.id)}]" time="${(s.durationMs / 1000).toFixed(3)}">${body}<system-out>${esc(detail)}</system-out></testcase>`;
    });
    return `  <testsuite name="${esc(name)}" tests="${list.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const t = r.summary.scenarios;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="gmeval ${esc(r.run.profile.name)}" tests="${r.scenarios.length}" failures="${t.failed}" skipped="${t.not_tested + t.not_applicable}">\n${suites.join('\n')}\n</testsuites>\n`;
}
