import { LABELS, type Lang } from './i18n.ts';
import type { Report } from './model.ts';

/** A short Markdown page for CI job summaries ($GITHUB_STEP_SUMMARY, GitLab job artefacts). */
export function renderMarkdown(r: Report, lang: Lang = r.run.language): string {
  const L = LABELS[lang];
  const zh = lang === 'zh';
  const cell = (s: unknown) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines: string[] = [];
  const s = r.summary.scenarios;
  lines.push(`# ${L.title} — ${cell(r.run.profile.name)}`, '');
  if (r.score) {
    const sc = r.score;
    const total = sc.total === null ? '—' : sc.total.toFixed(2);
    const range = !sc.complete && sc.totalUpper !== null ? ` (${zh ? '上限' : 'at most'} ${sc.totalUpper.toFixed(2)})` : '';
    lines.push(`**${L.score}: ${total}${range}** · **${L.conclusion}: ${zh ? sc.conclusion : sc.conclusionEn}** — ${zh ? sc.conclusionReason.zh : sc.conclusionReason.en}`, '');
  }
  if (r.gate) lines.push(`${L.gate} \`${r.gate.expression}\`: ${r.gate.passed ? '✅ ' + L.gatePassed : '❌ ' + L.gateFailed} (${r.gate.clauses.map((c) => `${c.clause} → ${c.actual}${c.passed ? ' ✓' : ' ✗'}`).join(', ')})`, '');
  lines.push(`| ${L.passed} | ${L.failed} | ${L.not_tested} | ${L.not_applicable} | ${L.waived} |`, '|---|---|---|---|---|',
    `| ${s.passed} | ${s.failed} | ${s.not_tested} | ${s.not_applicable} | ${r.scenarios.filter((x) => x.waiver).length} |`, '');
  if (r.score) {
    lines.push(`| ${L.layer} | ${L.weight} | ${L.score} |`, '|---|---|---|');
    for (const l of r.score.layers) lines.push(`| ${zh ? l.zh : l.en} | ${l.weight} | ${l.applicable ? `${l.score?.toFixed(4)}${l.scoreUpper !== l.score ? ` – ${l.scoreUpper?.toFixed(4)}` : ''}` : L.not_applicable} |`);
    lines.push('');
    if (r.score.highRisks.length) {
      lines.push(`## ${L.highRisks}`, '');
      for (const h of r.score.highRisks) lines.push(`- ${cell(zh ? h.description : h.descriptionEn)}`);
      lines.push('');
    }
  }
  const bad = r.scenarios.filter((x) => x.status === 'failed' || x.status === 'not_tested');
  if (bad.length) {
    lines.push(`## ${L.failed} / ${L.not_tested}`, '', `| ${L.status} | ${L.clause} | ${L.check} | ${L.reason} |`, '|---|---|---|---|');
    for (const x of bad) {
      const why = x.status === 'failed' ? x.findings.filter((f) => f.status === 'failed').map((f) => `${f.object.name}: ${f.reason}`).join('; ') : x.reason;
      lines.push(`| ${x.status === 'failed' ? '❌' : '❔'} ${(L as Record<string, string>)[x.status]}${x.waiver ? ` (${L.waived} ${cell(x.waiver)})` : ''} | ${cell(`${x.std ?? ''} ${x.clause ?? ''}`)} | ${cell(x.name)} \`${cell(x.id)}\` | ${cell(why)} |`);
    }
    lines.push('');
  }
  const uncovered = (r.units ?? []).filter((u) => u.coverage === 'uncovered');
  if (uncovered.length) lines.push(`## ${L.uncovered} (${uncovered.length})`, '', uncovered.map((u) => `${u.id} ${zh ? u.title.zh : u.title.en}`).join(' · '), '');
  const expired = (r.waivers ?? []).filter((w) => w.state === 'expired');
  if (expired.length) {
    lines.push(`## ⚠️ ${L.expiredWaivers}`, '');
    for (const w of expired) lines.push(`- \`${cell(w.id)}\` ${zh ? '已于' : 'expired'} ${w.expires}${zh ? ' 过期，已忽略' : ', ignored'} — ${cell(w.justification)}`);
    lines.push('');
  }
  if ((r.attestations ?? []).some((a) => a.demonstration)) lines.push(`> ${L.demoNote}`, '');
  lines.push(`<sub>gmeval ${r.tool.version} · report schema ${r.schemaVersion} · run ${r.run.id}</sub>`, '');
  return lines.join('\n');
}
