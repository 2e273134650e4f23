import { loadCatalog, normalizeClause } from '../catalog/index.ts';
import type { Report, ReportScenario } from './model.ts';

/**
 * SARIF 2.1.0 for code-scanning UIs: one rule per scenario (stable id, clause, requirement text),
 * one result per failed or not-tested scenario. Waived results carry an accepted external suppression.
 */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export function requirementText(std: string | undefined, clause: string | undefined): string | undefined {
  if (!std || !clause) return undefined;
  const c = loadCatalog();
  const key = normalizeClause(clause);
  if (std === 'TTCGIA0003-2023') return c.ttcgia0003.clauseById.get(key)?.text;
  if (std === 'GBT39786-2021') return c.gbt39786.units.find((u) => u.clause.includes(key))?.title.zh;
  return c.licence.items.find((i) => i.std === std && i.id === clause)?.text;
}

export function renderSarif(r: Report): string {
  const rules = r.scenarios.map((s) => rule(s));
  const index = new Map(r.scenarios.map((s, i) => [s.id, i]));
  const waivers = new Map((r.waivers ?? []).map((w) => [w.id, w]));
  const results = r.scenarios.filter((s) => s.status === 'failed' || s.status === 'not_tested').map((s) => {
    const failed = s.status === 'failed';
    const detail = s.findings.filter((f) => f.status === s.status).map((f) => `${f.object.name}: ${f.reason}${f.expected ? ` (expected ${f.expected}` : ''}${f.observed ? `, observed ${f.observed})` : f.expected ? ')' : ''}`);
    const w = s.waiver ? waivers.get(s.waiver) : undefined;
    return {
      ruleId: s.id,
      ruleIndex: index.get(s.id)!,
      kind: failed ? 'fail' : 'open',
      level: failed ? (s.severity === 'low' ? 'note' : s.severity === 'medium' ? 'warning' : 'error') : 'none',
      message: { text: `${failed ? '不通过' : '未测'}: ${s.name}${detail.length ? ` — ${detail.join('; ')}` : s.reason ? ` — ${s.reason}` : ''}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: s.feature.uri, uriBaseId: '%SRCROOT%' }, ...(s.feature.line ? { region: { startLine: s.feature.line } } : {}) } }],
      partialFingerprints: { gmevalScenarioId: s.id },
      properties: { status: s.status, ...(s.reason ? { reason: s.reason } : {}), units: s.units, dak: s.dak, evidence: s.findings.flatMap((f) => f.evidence.map((e) => ({ path: e.path, sm3: e.sm3, sha256: e.sha256 }))) },
      ...(w ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${w.justification} (approver ${w.approver}, expires ${w.expires})` }] } : {}),
    };
  });
  const sarif = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'gmeval', version: r.tool.version, semanticVersion: r.tool.version, informationUri: 'https://gmeval.dev/', rules } },
      automationDetails: { id: `gmeval/${r.run.profile.name}/${r.run.id}` },
      invocations: [{ executionSuccessful: true, startTimeUtc: r.run.startedAt, endTimeUtc: r.run.finishedAt }],
      results,
      properties: { reportSchemaVersion: r.schemaVersion, level: r.run.profile.level, ...(r.score ? { score: r.score.total, conclusion: r.score.conclusion } : {}) },
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

function rule(s: ReportScenario) {
  const text = requirementText(s.std, s.clause);
  return {
    id: s.id,
    name: s.name,
    shortDescription: { text: s.name },
    fullDescription: { text: `${s.std ?? ''} ${s.clause ?? ''}${text ? `: ${text}` : ''}`.trim() || s.name },
    defaultConfiguration: { level: s.severity === 'low' ? 'note' : s.severity === 'medium' ? 'warning' : 'error' },
    properties: { std: s.std, clause: s.clause, units: s.units, dak: s.dak, dimension: s.dimension, tags: s.tags },
  };
}
