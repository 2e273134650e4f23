import type { ScoreResult } from './types.ts';

export type Lang = 'zh' | 'en';

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) ? 2 : 1;
  }
  return w;
}
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => displayWidth(r[i] ?? ''))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]!))).join('  ').trimEnd());
}

const T = {
  zh: {
    title: (l: number) => `GB/T 39786-2021 第${l}级 密码应用安全性评估量化评分（2023 规则）`,
    total: '总分', conclusion: '结论', layers: '层面得分', units: '测评单元得分', layer: '层面', weight: '权重', score: '得分',
    unit: '单元', item: '测评指标', clause: '条款', strength: '要求', result: '结果', na: '不适用', none: '无',
    group: { technical: '技术部分', management: '管理部分' }, highRisks: '高风险项', assumptions: '依据未经核实的取值（可在输入 rules 中覆盖）',
    warnings: '提示', derived: '推定', input: '测评人员', chain: '计算过程',
  },
  en: {
    title: (l: number) => `GB/T 39786-2021 level ${l} — cryptography application assessment score (2023 rule)`,
    total: 'Total', conclusion: 'Conclusion', layers: 'Layer scores', units: 'Unit scores', layer: 'Layer', weight: 'Weight', score: 'Score',
    unit: 'Unit', item: 'Indicator', clause: 'Clause', strength: 'Req.', result: 'Result', na: 'N/A', none: 'none',
    group: { technical: 'Technical', management: 'Management' }, highRisks: 'High-risk items', assumptions: 'Figures not verified against the primary text (override under "rules" in the input)',
    warnings: 'Warnings', derived: 'presumed', input: 'assessor', chain: 'Calculation',
  },
};
const STRENGTH_EN: Record<string, string> = { 应: 'shall', 宜: 'should', 可: 'may' };
const RESULT_EN: Record<string, string> = { 符合: 'conformant', 部分符合: 'partly conformant', 不符合: 'non-conformant', 不适用: 'N/A' };

/** The readable form of a ScoreResult for the terminal (zh default). */
export function formatScoreTable(r: ScoreResult, lang: Lang = 'zh'): string {
  const t = T[lang];
  const out: string[] = [];
  out.push(t.title(r.level) + (r.system ? ` — ${r.system}` : ''));
  out.push('');
  out.push(`${t.total}: ${r.totalText ?? '—'}    ${t.conclusion}: ${lang === 'zh' ? r.conclusion : r.conclusionEn} (${r.conclusionReason[lang]})`);
  out.push('');
  out.push(`${t.layers}:`);
  const lrows: string[][] = [[t.layer, t.weight, t.score]];
  for (const g of r.groups) {
    for (const l of r.layers.filter((x) => x.group === g.id)) lrows.push([`  ${lang === 'zh' ? l.zh : l.en}`, String(l.weight), l.score === null ? t.na : l.score.toFixed(4)]);
    lrows.push([`${t.group[g.id]}`, String(g.weight), g.contribution === null ? t.na : `${g.contribution.toFixed(4)}`]);
  }
  out.push(...table(lrows).map((s) => `  ${s}`));
  out.push('');
  out.push(`${t.units}:`);
  const urows: string[][] = [[t.unit, t.clause, t.item, t.strength, t.weight, t.score, t.result]];
  for (const u of r.units) {
    urows.push([u.id, u.clause, lang === 'zh' ? u.title.zh : u.title.en.slice(0, 48), lang === 'zh' ? u.strength : STRENGTH_EN[u.strength]!, String(u.weight), u.score === null ? '—' : u.score.toFixed(4), lang === 'zh' ? u.result : RESULT_EN[u.result]!]);
    for (const o of u.objects) urows.push(['', '', `  · ${o.name}`, '', '', o.score === null ? '—' : o.score.toFixed(4), o.explanation]);
  }
  out.push(...table(urows).map((s) => `  ${s}`));
  out.push('');
  out.push(`${t.highRisks}: ${r.highRisks.length === 0 ? t.none : ''}`);
  for (const h of r.highRisks) out.push(`  - [${h.source === 'derived' ? `${t.derived}: ${h.rule}` : t.input}] ${lang === 'zh' ? h.description : h.descriptionEn}`);
  const weak = r.assumptions.filter((a) => a.basis !== 'verified');
  if (weak.length) {
    out.push('');
    out.push(`${t.assumptions}:`);
    for (const a of weak) out.push(`  - ${a.id} = ${JSON.stringify(a.value)} [${a.basis}] ${a.source}`);
  }
  if (r.warnings.length) {
    out.push('');
    out.push(`${t.warnings}:`);
    for (const w of r.warnings) out.push(`  - ${w}`);
  }
  out.push('');
  out.push(`${t.chain}:`);
  for (const e of r.explanation) out.push(`  ${e}`);
  return out.join('\n') + '\n';
}
