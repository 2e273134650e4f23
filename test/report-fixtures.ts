import type { Attestation, AttestationInput } from '../reports/manual.ts';
import { attestationId } from '../reports/manual.ts';
import type { ReportScenario } from '../reports/model.ts';
import type { Finding } from '../reports/finding.ts';

/** Synthetic report scenarios and attestations for the reports/ tests. */
export function scenario(id: string, tags: string[], findings: [string, Finding['status']][]): ReportScenario {
  const fs: Finding[] = findings.map(([o, status]) => ({ check: `check ${o}`, status, reason: status, object: { id: o, name: o }, evidence: [] }));
  const status = fs.some((f) => f.status === 'failed') ? 'failed' : fs.some((f) => f.status === 'not_tested') ? 'not_tested' : fs.every((f) => f.status === 'not_applicable') ? 'not_applicable' : 'passed';
  return {
    id, name: id, feature: { name: 'f', uri: 'features/x.feature' }, tags, status, steps: [], findings: fs, durationMs: 0,
    units: tags.filter((t) => t.startsWith('@unit:')).map((t) => t.slice(6)), dak: tags.filter((t) => t.startsWith('@dak:')).map((t) => t.slice(5) as 'D'), feedsScore: false,
  };
}
export function attestation(a: Partial<AttestationInput>, i = 0): Attestation {
  const full = { assessor: 't', date: '2025-01-01', method: '说和看', result: '符合', ...a } as AttestationInput;
  return { ...full, id: attestationId(full), source: { file: 'fixture.yaml', line: i + 1 }, evidenceFiles: [] };
}

