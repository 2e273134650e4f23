import { DIMENSIONS, DIMENSION_EN, type Dimension } from './finding.ts';
import { LABELS, type Lang } from './i18n.ts';
import type { Report, ReportScenario } from './model.ts';

const esc = (s: unknown) => String(s ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
:root{--ok:#1b7f3b;--bad:#b3261e;--nt:#8a6d00;--na:#5f6368;--bg:#fafafa;--line:#e0e0e0}
*{box-sizing:border-box}body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;margin:0;background:var(--bg);color:#202124;line-height:1.5}
header{background:#0b3d62;color:#fff;padding:20px 32px}header h1{margin:0 0 6px;font-size:22px}header .meta{font-size:13px;opacity:.9}
main{padding:20px 32px;max-width:1200px}section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin-bottom:16px}
h2{font-size:17px;margin:0 0 12px}h3{font-size:15px;margin:14px 0 8px}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}th{background:#f1f3f4}
.s-passed{color:var(--ok);font-weight:600}.s-failed{color:var(--bad);font-weight:600}.s-not_tested{color:var(--nt);font-weight:600}.s-not_applicable{color:var(--na)}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1;min-width:140px;border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card .n{font-size:26px;font-weight:700}.bar{display:flex;height:14px;border-radius:7px;overflow:hidden;background:#eee;margin-top:4px}
.bar span{display:block;height:100%}.b-passed{background:var(--ok)}.b-failed{background:var(--bad)}.b-not_tested{background:#e0b000}.b-not_applicable{background:#bbb}
details{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:6px 10px;background:#fff}summary{cursor:pointer;font-weight:600}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}.tag{display:inline-block;background:#eef3f8;border-radius:4px;padding:0 6px;margin-right:4px;font-size:12px}
.gate-ok{color:var(--ok)}.gate-bad{color:var(--bad)}footer{color:#777;font-size:12px;padding:0 32px 24px}`;

/** The single-file offline HTML report: no external resource, evidence referenced by relative path and hash. */
export function renderHtml(r: Report, lang: Lang = r.run.language): string {
  const L = LABELS[lang];
  const st = (s: string) => `<span class="s-${esc(s)}">${esc((L as Record<string, string>)[s] ?? s)}</span>`;
  const dimName = (d: Dimension) => (lang === 'en' ? DIMENSION_EN[d] : d);
  const bar = (c: Record<string, number>) => {
    const total = Object.values(c).reduce((a, b) => a + b, 0) || 1;
    return `<div class="bar">${['passed', 'failed', 'not_tested', 'not_applicable'].map((k) => `<span class="b-${k}" style="width:${((c[k] ?? 0) / total) * 100}%" title="${esc((L as Record<string, string>)[k])} ${c[k] ?? 0}"></span>`).join('')}</div>`;
  };
  const sc = r.summary.scenarios;
  const gate = r.gate
    ? `<p><b>${L.gate}</b> <code>${esc(r.gate.expression)}</code> — <span class="${r.gate.passed ? 'gate-ok' : 'gate-bad'}">${r.gate.passed ? L.gatePassed : L.gateFailed}</span> (${r.gate.clauses.map((c) => `${esc(c.clause)}: ${c.actual}${c.passed ? ' ✓' : ' ✗'}`).join('; ')})</p>`
    : '';
  const cards = ['passed', 'failed', 'not_tested', 'not_applicable']
    .map((k) => `<div class="card"><div class="s-${k}">${esc((L as Record<string, string>)[k])}</div><div class="n">${(sc as unknown as Record<string, number>)[k]}</div></div>`).join('');
  const dims = DIMENSIONS.map((d) => {
    const c = r.summary.byDimension[d];
    return `<tr><td>${esc(dimName(d))}</td><td>${c.passed}</td><td>${c.failed}</td><td>${c.not_tested}</td><td>${c.not_applicable}</td><td style="width:40%">${bar(c as unknown as Record<string, number>)}</td></tr>`;
  }).join('');

  const groups = DIMENSIONS.map((d) => [d, r.scenarios.filter((s) => s.dimension === d)] as const).filter(([, l]) => l.length);
  const other = r.scenarios.filter((s) => !s.dimension);
  const section = (title: string, list: ReportScenario[]) => {
    const byClause = new Map<string, ReportScenario[]>();
    for (const s of list) {
      const k = `${s.std ?? ''} ${s.clause ?? L.unclassified}`.trim();
      byClause.set(k, [...(byClause.get(k) ?? []), s]);
    }
    return `<section><h2>${esc(title)}</h2>${[...byClause.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([clause, l]) => `<h3>${esc(clause)}</h3>${l.map(scenario).join('')}`).join('')}</section>`;
  };
  const scenario = (s: ReportScenario) => `<details${s.status === 'failed' ? ' open' : ''} id="${esc(s.id)}"><summary>${st(s.status)} ${esc(s.name)} <span class="tag">${esc(s.feature.name)}</span></summary>
<p class="mono">${esc(s.id)} ${s.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join('')}</p>${s.reason ? `<p><b>${L.reason}:</b> ${esc(s.reason)}</p>` : ''}
<table><tr><th>${L.object}</th><th>${L.check}</th><th>${L.status}</th><th>${L.reason}</th><th>${L.expected} / ${L.observed}</th><th>${L.evidence}</th></tr>
${s.findings.map((f) => `<tr><td>${esc(f.object.name)}</td><td>${esc(f.check)}</td><td>${st(f.status)}${f.reasonCode ? `<br><code>${esc(f.reasonCode)}</code>` : ''}</td><td>${esc(f.reason)}</td><td class="mono">${f.expected ? `${L.expected}: ${esc(f.expected)}<br>` : ''}${f.observed ? `${L.observed}: ${esc(f.observed)}` : ''}</td><td class="mono">${f.evidence.map((e) => `<a href="${esc(e.path)}">${esc(e.name)}</a><br>SM3 ${esc(e.sm3.slice(0, 16))}…`).join('<br>')}</td></tr>`).join('')}
</table><h3>${L.steps}</h3><table>${s.steps.map((x) => `<tr><td style="width:70px">${esc(x.keyword)}</td><td>${esc(x.text)}${x.message && x.status !== 'PASSED' ? `<pre class="mono">${esc(x.message.split('\n').slice(0, 12).join('\n'))}</pre>` : ''}</td><td style="width:80px">${esc(x.status.toLowerCase())}</td><td style="width:70px">${x.durationMs} ms</td></tr>`).join('')}</table></details>`;

  return `<!DOCTYPE html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(L.title)} — ${esc(r.run.profile.name)}</title><style>${CSS}</style></head><body>
<header><h1>${esc(L.title)}</h1><div class="meta">${L.profile}: ${esc(r.run.profile.name)} · ${L.level} ${r.run.profile.level} · ${L.target}: ${r.run.target.kind === 'reference' ? L.reference : L.remote}${r.run.target.defects.length ? ` · ${L.defects}: ${esc(r.run.target.defects.join(', '))}` : ''} · ${L.started} ${esc(r.run.startedAt)} · ${L.finished} ${esc(r.run.finishedAt)}</div></header>
<main><section><h2>${L.summary}</h2><div class="cards">${cards}</div>${gate}
<h3>${L.byDimension}</h3><table><tr><th>${L.dimension}</th><th>${L.passed}</th><th>${L.failed}</th><th>${L.not_tested}</th><th>${L.not_applicable}</th><th></th></tr>${dims}</table></section>
${groups.map(([d, l]) => section(dimName(d), l)).join('\n')}${other.length ? section(L.unclassified, other) : ''}
</main><footer>${esc(L.generated)} ${esc(r.tool.version)} · report schema ${esc(r.schemaVersion)} · run ${esc(r.run.id)}</footer></body></html>
`;
}
