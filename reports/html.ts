import { DIMENSIONS, DIMENSION_EN, type Dimension } from './finding.ts';
import { LABELS, type Lang } from './i18n.ts';
import type { Report, ReportScenario } from './model.ts';
import type { DimJudgement, ObjectChain, UnitChain } from './dak.ts';
import type { RunScore } from './dak.ts';
import { requirementText } from './sarif.ts';

const esc = (s: unknown) => String(s ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
const anchor = (id: string) => `s-${id.replace(/[^\p{L}\p{N}_-]/gu, '_')}`;

const CSS = `
:root{--ok:#1b7f3b;--bad:#b3261e;--nt:#8a6d00;--na:#5f6368;--bg:#fafafa;--line:#e0e0e0;--accent:#0b3d62}
*{box-sizing:border-box}body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;margin:0;background:var(--bg);color:#202124;line-height:1.5}
header{background:var(--accent);color:#fff;padding:20px 32px}header h1{margin:0 0 6px;font-size:22px}header .meta{font-size:13px;opacity:.9}
main{padding:20px 32px;max-width:1280px}section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin-bottom:16px}
h2{font-size:17px;margin:0 0 12px}h3{font-size:15px;margin:14px 0 8px}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}th{background:#f1f3f4}
.s-passed,.v-ok{color:var(--ok);font-weight:600}.s-failed,.v-bad{color:var(--bad);font-weight:600}.s-not_tested,.v-nt{color:var(--nt);font-weight:600}.s-not_applicable,.v-na{color:var(--na)}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1;min-width:140px;border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.card .n{font-size:26px;font-weight:700}.card.big .n{font-size:34px}.c-符合{color:var(--ok)}.c-基本符合{color:#2e6f9e}.c-不符合{color:var(--bad)}.c-待人工判定{color:var(--nt)}
.bar{display:flex;height:14px;border-radius:7px;overflow:hidden;background:#eee;margin-top:4px}
.bar span{display:block;height:100%}.b-passed{background:var(--ok)}.b-failed{background:var(--bad)}.b-not_tested{background:#e0b000}.b-not_applicable{background:#bbb}
details{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:6px 10px;background:#fff}summary{cursor:pointer;font-weight:600}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}.tag{display:inline-block;background:#eef3f8;border-radius:4px;padding:0 6px;margin-right:4px;font-size:12px}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;background:#eef3f8}.badge.uncovered,.badge.expired{background:#fde7e7;color:var(--bad)}.badge.demo{background:#fff4d6;color:#7a5a00}
.alert{border-left:4px solid var(--bad);background:#fff5f5;padding:8px 12px;margin:8px 0}.notice{border-left:4px solid #e0b000;background:#fffbea;padding:8px 12px;margin:8px 0}
.gate-ok{color:var(--ok)}.gate-bad{color:var(--bad)}footer{color:#777;font-size:12px;padding:0 32px 24px}.req{color:#444;background:#f7f7f7;border-left:3px solid #ccd;padding:4px 8px;margin:6px 0}
.dak{white-space:nowrap}ul.plain{margin:4px 0;padding-left:18px}svg text{font-family:inherit}`;

/** The single-file offline HTML report: no script, no external resource; evidence referenced by relative path and hash. */
export function renderHtml(r: Report, lang: Lang = r.run.language): string {
  const L = LABELS[lang];
  const zh = lang === 'zh';
  const lbl = (k: string) => (L as Record<string, string>)[k] ?? k;
  const st = (s: string) => `<span class="s-${esc(s)}">${esc(lbl(s))}</span>`;
  const dimName = (d: Dimension) => (zh ? d : DIMENSION_EN[d]);
  const bar = (c: Record<string, number>) => {
    const total = Object.values(c).reduce((a, b) => a + b, 0) || 1;
    return `<div class="bar">${['passed', 'failed', 'not_tested', 'not_applicable'].map((k) => `<span class="b-${k}" style="width:${((c[k] ?? 0) / total) * 100}%" title="${esc(lbl(k))} ${c[k] ?? 0}"></span>`).join('')}</div>`;
  };
  const sc = r.summary.scenarios;
  const waivedCount = r.scenarios.filter((s) => s.waiver).length;
  const gate = r.gate
    ? `<p><b>${L.gate}</b> <code>${esc(r.gate.expression)}</code> — <span class="${r.gate.passed ? 'gate-ok' : 'gate-bad'}">${r.gate.passed ? L.gatePassed : L.gateFailed}</span> (${r.gate.clauses.map((c) => `${esc(c.clause)}: ${c.actual}${c.passed ? ' ✓' : ' ✗'}`).join('; ')})</p>`
    : '';
  const score = r.score;
  const scoreCards = score ? scoreSummary(score) : '';
  const cards = ['passed', 'failed', 'not_tested', 'not_applicable']
    .map((k) => `<div class="card"><div class="s-${k}">${esc(lbl(k))}</div><div class="n">${(sc as unknown as Record<string, number>)[k]}</div></div>`).join('')
    + `<div class="card"><div>${L.waived}</div><div class="n">${waivedCount}</div></div>`;
  const dims = DIMENSIONS.map((d) => {
    const c = r.summary.byDimension[d];
    return `<tr><td>${esc(dimName(d))}</td><td>${c.passed}</td><td>${c.failed}</td><td>${c.not_tested}</td><td>${c.not_applicable}</td><td style="width:40%">${bar(c as unknown as Record<string, number>)}</td></tr>`;
  }).join('');
  const demo = (r.attestations ?? []).some((a) => a.demonstration) ? `<div class="notice">${esc(L.demoNote)}</div>` : '';
  const expired = (r.waivers ?? []).filter((w) => w.state === 'expired');
  const expiredAlert = expired.length ? `<div class="alert"><b>${L.expiredWaivers}:</b> ${expired.map((w) => `<code>${esc(w.id)}</code> (${L.expires} ${esc(w.expires)})`).join(', ')}</div>` : '';

  function scoreSummary(s: RunScore): string {
    const total = s.total === null ? '—' : s.total.toFixed(2);
    const upper = !s.complete && s.totalUpper !== null && s.totalUpper !== s.total ? ` <span style="font-size:16px">– ${s.totalUpper.toFixed(2)}</span>` : '';
    return `<div class="cards"><div class="card big"><div>${L.score}（2023）</div><div class="n">${total}${upper}</div></div>
<div class="card big"><div>${L.conclusion}</div><div class="n c-${esc(s.conclusion)}">${esc(zh ? s.conclusion : s.conclusionEn)}</div><div>${esc(zh ? s.conclusionReason.zh : s.conclusionReason.en)}</div></div>
<div class="card"><div>${L.units}</div><div class="n">${s.counts.units}</div><div>${L.automated} ${s.counts.automated} · ${L.mixed} ${s.counts.mixed} · ${L.attested} ${s.counts.attested}</div></div>
<div class="card"><div class="${s.counts.uncovered ? 's-failed' : ''}">${L.uncovered}</div><div class="n">${s.counts.uncovered}</div><div>${L.incomplete} ${s.counts.incomplete}</div></div>
<div class="card"><div class="${s.highRisks.length ? 's-failed' : ''}">${L.highRisks}</div><div class="n">${s.highRisks.length}</div></div></div>
${s.complete ? '' : `<p class="notice">${esc(L.scoreIncomplete)}</p>`}`;
  }

  const scenarioById = new Map(r.scenarios.map((s) => [s.id, s]));
  const link = (id: string) => `<a href="#${anchor(id)}" class="mono">${esc(scenarioById.get(id)?.name ?? id)}</a>`;
  const attLink = (id: string) => `<a href="#att-${esc(id)}" class="mono">${esc(id)}</a>`;
  const mark = (j?: DimJudgement) => {
    const v = j?.value ?? null;
    const cls = v === true ? 'v-ok' : v === false ? 'v-bad' : v === '/' ? 'v-na' : 'v-nt';
    const sym = v === true ? '✔' : v === false ? '✘' : v === '/' ? '/' : '?';
    return `<span class="${cls}">${sym}</span>`;
  };
  const dimChain = (d: string, j?: DimJudgement) => {
    if (!j || (j.source === 'none' && !j.findings.length)) return '';
    const src = j.findings.map((f) => `${st(f.status)} ${link(f.scenario)}`).join('<br>');
    return `<div><b>${d}</b> ${mark(j)} ${j.attestation ? `${L.attested} ${attLink(j.attestation)}` : ''}${j.conflict ? ` <span class="v-bad">≠ ${esc(j.conflict)}</span>` : ''}${j.reason ? ` <i>${esc(j.reason)}</i>` : ''}${src ? `<div style="padding-left:14px">${src}</div>` : ''}</div>`;
  };
  const objectCell = (u: UnitChain, o: ObjectChain) => {
    if (!o.applicable) return `<div><b>${esc(o.name)}</b>: <span class="v-na">${L.notApplicableUnit}</span> ${esc(o.naReason ?? '')}</div>`;
    const fmt = (n: number | null) => (n === null ? '—' : n.toFixed(4));
    const sc = o.score === o.scoreUpper ? fmt(o.score) : `${fmt(o.score)}–${fmt(o.scoreUpper)}`;
    if (u.kind === 'management') {
      const res = o.result;
      return `<div><b>${esc(o.name)}</b>: ${res?.value ? esc(res.value) : '<span class="v-nt">?</span>'} ${res?.attestation ? attLink(res.attestation) : ''} (${sc})${res?.findings.length ? `<div style="padding-left:14px">${res.findings.map((f) => `${st(f.status)} ${link(f.scenario)}`).join('<br>')}</div>` : ''}</div>`;
    }
    return `<details><summary><span class="dak">${esc(o.name)}: D${mark(o.D)} A${mark(o.A)} K${mark(o.K)}</span> → ${sc}</summary>${dimChain('D', o.D)}${dimChain('A', o.A)}${dimChain('K', o.K)}${o.strengthBits !== undefined ? `<div>strength ${o.strengthBits} bit</div>` : ''}</details>`;
  };
  const RESULT_EN: Record<string, string> = { 符合: 'conformant', 部分符合: 'partially conformant', 不符合: 'non-conformant', 不适用: 'not applicable', 未覆盖: 'uncovered', 未完成: 'incomplete' };
  const resultText = (s: string) => (zh ? s : RESULT_EN[s] ?? s);
  const fmtScore = (a: number | null, b: number | null) => (a === null ? '—' : a === b || b === null ? a.toFixed(4) : `${a.toFixed(4)}–${b.toFixed(4)}`);
  const covBadge = (u: UnitChain) => `<span class="badge ${u.coverage === 'uncovered' ? 'uncovered' : ''}">${esc(lbl(u.coverage === 'uncovered' ? 'uncoveredShort' : u.coverage))}</span>`;
  const unitTables = score && r.units ? score.layers.map((layer) => {
    const list = r.units!.filter((u) => u.layer === layer.id);
    return `<h3>${esc(zh ? layer.zh : layer.en)} · ${L.weight} ${layer.weight} · ${L.score} ${layer.applicable ? fmtScore(layer.score, layer.scoreUpper) : L.notApplicableUnit}</h3>
<table><tr><th style="width:60px">${L.unit}</th><th style="width:22%">${L.requirement}</th><th style="width:60px">${L.weight}</th><th style="width:80px">${L.coverage}</th><th>${L.objects}</th><th style="width:110px">${L.score}</th><th style="width:80px">${L.result}</th></tr>
${list.map((u) => `<tr id="u-${esc(u.id)}"><td><b>${esc(u.id)}</b></td><td>${esc(zh ? u.title.zh : u.title.en)}<br><span class="mono">GB/T 39786 ${esc(u.clause)} · ${esc(u.strength)}</span></td><td>${u.weight}</td><td>${covBadge(u)}</td>
<td>${u.coverage === 'uncovered' ? `<span class="v-nt">${zh ? '无检查项，无人工确认' : 'no scenario, no attestation'}</span>` : u.objects.map((o) => objectCell(u, o)).join('')}</td><td>${u.applicable ? fmtScore(u.score, u.scoreUpper) : '—'}</td><td>${esc(u.applicable ? resultText(u.result) : L.notApplicableUnit)}</td></tr>`).join('')}</table>`;
  }).join('') : '';

  const highRisks = score ? `<section><h2>${L.highRisks}</h2>${score.highRisks.length ? `<ul>${score.highRisks.map((h) => `<li class="v-bad">${esc(zh ? h.description : h.descriptionEn)}${h.unit ? ` <a href="#u-${esc(h.unit)}">${esc(h.unit)}</a>` : ''}</li>`).join('')}</ul>` : `<p class="v-ok">${L.noHighRisk}</p>`}</section>` : '';
  const attestations = (r.attestations ?? []).length ? `<section><h2>${L.attestations}</h2><table><tr><th>ID</th><th>${L.unit}</th><th>${L.object}</th><th>${L.result}</th><th>${L.assessor}</th><th>${L.date}</th><th>${L.method}</th><th>${L.evidence}</th><th>${L.note}</th></tr>
${r.attestations!.map((a) => `<tr id="att-${esc(a.id)}"><td class="mono">${esc(a.id)}${a.demonstration ? ' <span class="badge demo">demo</span>' : ''}</td><td>${a.unit ? `<a href="#u-${esc(a.unit)}">${esc(a.unit)}</a>` : link(a.scenario!)}</td><td>${esc(a.object ?? '')}</td><td>${esc(a.result)}${a.dak ? ` <span class="mono">${esc(Object.entries(a.dak).map(([k, v]) => `${k}${v === true ? '✔' : v === false ? '✘' : '/'}`).join(' '))}</span>` : ''}</td><td>${esc(a.assessor)}</td><td>${esc(a.date)}</td><td>${esc(a.method)}</td><td class="mono">${a.evidence.map((e) => `<a href="${esc(e.path)}">${esc(e.name)}</a> SM3 ${esc(e.sm3.slice(0, 12))}…`).join('<br>')}</td><td>${esc(a.note ?? '')}</td></tr>`).join('')}</table></section>` : '';
  const waivers = (r.waivers ?? []).length ? `<section><h2>${L.waivers}</h2><table><tr><th>ID</th><th>${L.scenarios}</th><th>${L.justification}</th><th>${L.approver}</th><th>${L.expires}</th><th>${L.state}</th><th>${L.matched}</th></tr>
${r.waivers!.map((w) => `<tr><td class="mono">${esc(w.id)}</td><td class="mono">${esc(w.scenario ?? w.tag ?? w.unit)}</td><td>${esc(w.justification)}</td><td>${esc(w.approver)}</td><td>${esc(w.expires)}</td><td><span class="badge ${w.state}">${esc(lbl(w.state))}</span></td><td>${w.matched.map(link).join('<br>')}</td></tr>`).join('')}</table></section>` : '';
  const warnings = [...(r.warnings ?? [])];
  const warnSection = warnings.length ? `<section><h2>${L.warnings}</h2><ul>${warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>` : '';

  const groups = DIMENSIONS.map((d) => [d, r.scenarios.filter((s) => s.dimension === d)] as const).filter(([, l]) => l.length);
  const other = r.scenarios.filter((s) => !s.dimension);
  const section = (title: string, list: ReportScenario[]) => {
    const byClause = new Map<string, ReportScenario[]>();
    for (const s of list) {
      const k = `${s.std ?? ''} ${s.clause ?? L.unclassified}`.trim();
      byClause.set(k, [...(byClause.get(k) ?? []), s]);
    }
    return `<h3 style="font-size:16px">${esc(title)}</h3>${[...byClause.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([clause, l]) => {
      const req = requirementText(l[0]!.std, l[0]!.clause);
      return `<h3>${esc(clause)}</h3>${req ? `<div class="req"><b>${L.requirement}:</b> ${esc(req)}</div>` : ''}${l.map(scenario).join('')}`;
    }).join('')}`;
  };
  const scenario = (s: ReportScenario) => `<details${s.status === 'failed' ? ' open' : ''} id="${anchor(s.id)}"><summary>${st(s.status)}${s.waiver ? ` <span class="badge">${L.waived} ${esc(s.waiver)}</span>` : ''}${s.attestation ? ` <span class="badge">${L.attested} ${esc(s.attestation)}</span>` : ''} ${esc(s.name)} <span class="tag">${esc(s.feature.name)}</span></summary>
<p class="mono">${esc(s.id)} ${s.tags.map((t) => `<span class="tag">${esc(t)}</span>`).join('')}</p>
<p>${s.units.length ? `${L.feeds} ${s.units.map((u) => `<a href="#u-${esc(u)}">${esc(u)}</a>`).join(', ')} · ${esc(s.dak.join('/') || '—')}${s.feedsScore ? '' : ` (${L.notScored})`}` : esc(L.notScored)}</p>${s.reason ? `<p><b>${L.reason}:</b> ${esc(s.reason)}</p>` : ''}
<table><tr><th>${L.object}</th><th>${L.check}</th><th>${L.status}</th><th>${L.reason}</th><th>${L.expected} / ${L.observed}</th><th>${L.evidence}</th></tr>
${s.findings.map((f) => `<tr><td>${esc(f.object.name)}</td><td>${esc(f.check)}</td><td>${st(f.status)}${f.reasonCode ? `<br><code>${esc(f.reasonCode)}</code>` : ''}</td><td>${esc(f.reason)}</td><td class="mono">${f.expected ? `${L.expected}: ${esc(f.expected)}<br>` : ''}${f.observed ? `${L.observed}: ${esc(f.observed)}` : ''}</td><td class="mono">${f.evidence.map((e) => `<a href="${esc(e.path)}">${esc(e.name)}</a><br>SM3 ${esc(e.sm3.slice(0, 16))}…`).join('<br>')}</td></tr>`).join('')}
</table><h3>${L.steps}</h3><table>${s.steps.map((x) => `<tr><td style="width:70px">${esc(x.keyword)}</td><td>${esc(x.text)}${x.message && x.status !== 'PASSED' ? `<pre class="mono">${esc(x.message.split('\n').slice(0, 12).join('\n'))}</pre>` : ''}</td><td style="width:80px">${esc(x.status.toLowerCase())}</td><td style="width:70px">${x.durationMs} ms</td></tr>`).join('')}</table></details>`;

  return `<!DOCTYPE html>
<html lang="${zh ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(L.title)} — ${esc(r.run.profile.name)}</title><style>${CSS}</style></head><body>
<header><h1>${esc(L.title)}</h1><div class="meta">${L.profile}: ${esc(r.run.profile.name)} · ${L.level} ${r.run.profile.level} · ${L.target}: ${r.run.target.kind === 'reference' ? L.reference : L.remote}${r.run.target.defects.length ? ` · ${L.defects}: ${esc(r.run.target.defects.join(', '))}` : ''} · ${L.started} ${esc(r.run.startedAt)} · ${L.finished} ${esc(r.run.finishedAt)}</div></header>
<main><section><h2>${L.summary}</h2>${demo}${expiredAlert}${scoreCards}<h3>${L.scenarios}</h3><div class="cards">${cards}</div>${gate}
<h3>${L.byDimension}</h3><table><tr><th>${L.dimension}</th><th>${L.passed}</th><th>${L.failed}</th><th>${L.not_tested}</th><th>${L.not_applicable}</th><th></th></tr>${dims}</table></section>
${score ? `<section><h2>${L.layerChart}</h2>${layerSvg(score, lang)}</section>` : ''}
${highRisks}
${score && r.units ? `<section><h2>${L.units}（GB/T 39786-2021 · ${L.level} ${score.level}）</h2>${unitTables}
<details><summary>${L.explanation}</summary><ul class="plain">${score.explanation.map((e) => `<li class="mono">${esc(e)}</li>`).join('')}</ul></details></section>` : ''}
${attestations}${waivers}${warnSection}
<section><h2>${L.scenarioDetails}</h2>${groups.map(([d, l]) => section(dimName(d), l)).join('\n')}${other.length ? section(L.unclassified, other) : ''}</section>
${r.signing ? `<section><h2>${L.signing}</h2><p class="mono">SM3(SPKI) ${esc(r.signing.publicKeySm3)} · ${esc(r.signing.keySource)}</p><pre class="mono">${esc(r.signing.publicKeyPem)}</pre></section>` : ''}
</main><footer>${esc(L.generated)} ${esc(r.tool.version)} · report schema ${esc(r.schemaVersion)} · run ${esc(r.run.id)}</footer></body></html>
`;
}

/** Horizontal bars per layer: the solid part is the lower bound, the pale part up to the upper bound. */
export function layerSvg(s: RunScore, lang: Lang): string {
  const zh = lang === 'zh';
  const rowH = 30, labelW = 190, barW = 460, top = 24, width = labelW + barW + 130;
  const height = top + s.layers.length * rowH + 26;
  const rows = s.layers.map((l, i) => {
    const y = top + i * rowH;
    const name = `${zh ? l.zh : l.en}（${l.weight}）`;
    if (!l.applicable) return `<text x="0" y="${y + 15}" font-size="13">${esc(name)}</text><rect x="${labelW}" y="${y + 3}" width="${barW}" height="16" fill="#eee"/><text x="${labelW + 8}" y="${y + 16}" font-size="12" fill="#5f6368">${zh ? '不适用' : 'not applicable'}</text>`;
    const lo = l.score ?? 0, hi = l.scoreUpper ?? lo;
    const color = lo >= 0.999999 ? '#1b7f3b' : lo >= 0.6 ? '#2e6f9e' : '#b3261e';
    const label = lo === hi ? lo.toFixed(4) : `${lo.toFixed(4)}–${hi.toFixed(4)}`;
    return `<text x="0" y="${y + 15}" font-size="13">${esc(name)}</text><rect x="${labelW}" y="${y + 3}" width="${barW}" height="16" fill="#f1f3f4"/>`
      + (hi > lo ? `<rect x="${labelW + lo * barW}" y="${y + 3}" width="${(hi - lo) * barW}" height="16" fill="${color}" opacity="0.25"/>` : '')
      + `<rect x="${labelW}" y="${y + 3}" width="${lo * barW}" height="16" fill="${color}"/><text x="${labelW + barW + 8}" y="${y + 16}" font-size="12">${label}</text>`;
  }).join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => `<line x1="${labelW + t * barW}" y1="${top - 4}" x2="${labelW + t * barW}" y2="${height - 22}" stroke="#ccc" stroke-dasharray="2,3"/><text x="${labelW + t * barW - 8}" y="${height - 6}" font-size="11" fill="#555">${t}</text>`).join('');
  const title = zh ? `各层面得分（总分 ${s.total === null ? '—' : s.total.toFixed(2)}）` : `Layer scores (total ${s.total === null ? '—' : s.total.toFixed(2)})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${esc(title)}</title>${ticks}${rows}</svg>`;
}
