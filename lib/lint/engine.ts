/**
 * Runs lints on one object: applies? (else NA) → effective? (else NE) → execute; a thrown exception becomes `fatal`
 * so one broken lint or one unexpected encoding never hides the other results.
 */
import { cmsSigningTime } from '../pki/cms.ts';
import { Node } from '../pki/der.ts';
import { EDITION_EFFECTIVE, severityOf, type Lint, type LintContext, type LintResult, type Problem } from './types.ts';

/** The date a lint's effective window is compared with: notBefore, thisUpdate, producedAt or a CMS signingTime. */
export function issuanceDate(ctx: LintContext): Date | null {
  if (ctx.kind === 'certificate') return ctx.cert.notBefore.date;
  if (ctx.kind === 'crl') return ctx.crl.thisUpdate.date;
  if (ctx.kind === 'cms') return cmsSigningTime(ctx.cms);
  return ctx.basic?.producedAt.date ?? null;
}

export function effectiveDateOf(lint: Lint): string | undefined {
  if (lint.meta.effective) return lint.meta.effective;
  if (lint.meta.editions.length === 1 && lint.meta.editions[0] === '2023') return EDITION_EFFECTIVE['2023'];
  return undefined;
}

function locate(p: Problem): { path?: string; offset?: number } {
  const r: { path?: string; offset?: number } = {};
  if (p.at instanceof Node) r.offset = p.at.start;
  else if (p.at) { r.offset = p.at.node.start; r.path = p.at.path; }
  if (p.path) r.path = p.path;
  if (p.offset !== undefined) r.offset = p.offset;
  return r;
}

export function runLint(lint: Lint, ctx: LintContext): LintResult {
  const id = lint.meta.id;
  try {
    if (!lint.applies(ctx)) return { lint: id, status: 'NA' };
    const issued = issuanceDate(ctx);
    const eff = effectiveDateOf(lint);
    if (issued && eff && issued.getTime() < Date.parse(eff + 'T00:00:00Z')) return { lint: id, status: 'NE' };
    if (issued && lint.meta.ineffective && issued.getTime() >= Date.parse(lint.meta.ineffective + 'T00:00:00Z')) return { lint: id, status: 'NE' };
    const problems = lint.execute(ctx);
    if (problems.length === 0) return { lint: id, status: 'pass' };
    const [first, ...rest] = problems;
    const r: LintResult = { lint: id, status: severityOf(id), message: first!.message, ...locate(first!) };
    if (rest.length) r.more = rest.map((p) => ({ message: p.message, ...locate(p) }));
    return r;
  } catch (err) {
    const e = err as Error & { offset?: number };
    const r: LintResult = { lint: id, status: 'fatal', message: `lint crashed: ${e?.message ?? String(err)}` };
    if (typeof e?.offset === 'number') r.offset = e.offset;
    return r;
  }
}

export function runLints(lints: readonly Lint[], ctx: LintContext): LintResult[] {
  const out: LintResult[] = [];
  for (const l of lints) if (l.meta.target.includes(ctx.kind)) out.push(runLint(l, ctx));
  return out;
}
