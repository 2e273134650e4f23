/** Renderings of lint reports: golden lines (fixtures), table (terminal), JSON document, SARIF 2.1.0. */
import { CERT_TYPE_LABELS } from '../pki/classify.ts';
import type { ObjectReport } from './lint-objects.ts';
import { lintById } from './registry.ts';
import { FAILING, type LintResult, type Status } from './types.ts';

const ORDER: Status[] = ['fatal', 'error', 'warn', 'notice', 'pass', 'NE', 'NA'];

/** One line per failing result, stable order: object, then lint id. The golden-fixture format. */
export function goldenLines(reports: ObjectReport[]): string[] {
  const out: string[] = [];
  for (const r of reports) {
    const failing = r.results.filter((x) => FAILING.has(x.status)).sort((a, b) => a.lint.localeCompare(b.lint));
    for (const x of failing) {
      out.push(`[${r.index}] ${x.status} ${x.lint} @${x.offset ?? '-'} ${x.path ?? '-'}: ${x.message ?? ''}`);
      for (const m of x.more ?? []) out.push(`[${r.index}] ${x.status} ${x.lint} @${m.offset ?? '-'} ${m.path ?? '-'}: ${m.message}`);
    }
  }
  return out;
}

export function worstStatus(results: LintResult[]): Status {
  let best = ORDER.length - 1;
  for (const r of results) best = Math.min(best, ORDER.indexOf(r.status));
  return ORDER[best]!;
}

export function hasErrors(reports: ObjectReport[]): boolean {
  return reports.some((r) => r.results.some((x) => x.status === 'error' || x.status === 'fatal'));
}

const LABEL: Record<Status, string> = { fatal: 'FATAL', error: 'ERROR', warn: 'WARN', notice: 'NOTICE', pass: 'pass', NE: 'NE', NA: 'NA' };

export function renderTable(reports: ObjectReport[], lang: 'zh' | 'en' | 'both' = 'both'): string {
  const lines: string[] = [];
  for (const r of reports) {
    const type = r.certType ? ` ${CERT_TYPE_LABELS[r.certType].en} / ${CERT_TYPE_LABELS[r.certType].zh}` : '';
    lines.push(`${r.input} #${r.index} (${r.source}${r.line ? `, line ${r.line}` : ''}) ${r.kind}${type}${r.subject ? ` — ${r.subject}` : ''}`);
    const counts = new Map<Status, number>();
    for (const x of r.results) counts.set(x.status, (counts.get(x.status) ?? 0) + 1);
    const failing = r.results.filter((x) => FAILING.has(x.status)).sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.lint.localeCompare(b.lint));
    for (const x of failing) {
      const meta = lintById(x.lint)?.meta;
      const where = `${x.offset !== undefined ? `@${x.offset}` : ''}${x.path ? ` ${x.path}` : ''}`;
      lines.push(`  ${LABEL[x.status].padEnd(6)} ${x.lint}${where ? `  [${where.trim()}]` : ''}`);
      lines.push(`         ${x.message ?? ''}`);
      for (const m of x.more ?? []) lines.push(`         ${m.message}${m.offset !== undefined ? ` [@${m.offset}]` : ''}`);
      if (meta) {
        if (lang !== 'en') lines.push(`         ${meta.descriptionZh}`);
        if (lang !== 'zh') lines.push(`         ${meta.description}`);
        lines.push(`         ${meta.citation} · basis: ${meta.basis}`);
      }
    }
    lines.push(`  ${ORDER.filter((s) => counts.get(s)).map((s) => `${LABEL[s]} ${counts.get(s)}`).join(' · ')}`);
    lines.push('');
  }
  return lines.join('\n');
}

export const REPORT_SCHEMA_VERSION = '1.0.0';

export function toJsonDocument(reports: ObjectReport[], run: { profile: string; edition: string }): unknown {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: 'gmeval cert lint',
    profile: run.profile,
    edition: run.edition,
    objects: reports.map((r) => ({
      input: r.input, index: r.index, kind: r.kind, source: r.source, ...(r.line ? { line: r.line } : {}),
      ...(r.certType ? { certType: r.certType } : {}), ...(r.subject !== undefined ? { subject: r.subject } : {}),
      worst: worstStatus(r.results),
      results: r.results.map((x) => {
        const meta = lintById(x.lint)?.meta;
        return { ...x, ...(meta ? { citation: meta.citation, basis: meta.basis, description: meta.description, descriptionZh: meta.descriptionZh } : {}) };
      }),
    })),
  };
}

const SARIF_LEVEL: Partial<Record<Status, string>> = { fatal: 'error', error: 'error', warn: 'warning', notice: 'note' };

export function toSarif(reports: ObjectReport[]): unknown {
  const ids = new Set<string>();
  for (const r of reports) for (const x of r.results) if (FAILING.has(x.status)) ids.add(x.lint);
  const rules = [...ids].sort().map((id) => {
    const m = lintById(id)?.meta;
    return {
      id,
      shortDescription: { text: m?.description ?? 'the object could not be parsed' },
      fullDescription: { text: m ? `${m.descriptionZh} (${m.citation})` : 'ASN.1/DER structure error' },
      properties: { citation: m?.citation, basis: m?.basis, source: m?.source },
    };
  });
  const results = reports.flatMap((r) => r.results.filter((x) => FAILING.has(x.status)).map((x) => ({
    ruleId: x.lint,
    level: SARIF_LEVEL[x.status],
    message: { text: `${x.message ?? ''} (object #${r.index}${x.path ? `, ${x.path}` : ''})` },
    locations: [{ physicalLocation: { artifactLocation: { uri: r.input }, region: r.line ? { startLine: r.line } : { byteOffset: x.offset ?? 0 } } }],
    properties: { objectIndex: r.index, derOffset: x.offset, path: x.path, status: x.status },
  })));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'gmeval cert lint', informationUri: 'https://example.invalid/gmeval', rules } }, results }],
  };
}
