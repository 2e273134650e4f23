/*
 * RFC 5280 §4.2: "A certificate MUST NOT include more than one instance of a particular extension." Same for CRL
 * extensions (§5.2) and entry extensions (X.509 §7.3).
 */
import type { Extension } from '../../pki/x509.ts';
import { problem, type Lint, type LintContext, type Problem } from '../types.ts';

function dups(list: Extension[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of list) {
    if (seen.has(e.oid)) out.push(problem(`extension ${e.oid} appears more than once`, e));
    seen.add(e.oid);
  }
  return out;
}

export const lint: Lint = {
  meta: {
    id: 'e_ext_duplicate', target: ['certificate', 'crl', 'ocsp'],
    description: 'An extension must not appear more than once',
    descriptionZh: '同一扩展项不应重复出现',
    citation: 'RFC 5280 §4.2, §5.2; X.509 §7.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: () => true,
  execute(ctx: LintContext): Problem[] {
    if (ctx.kind === 'certificate') return dups(ctx.cert.extensions);
    if (ctx.kind === 'crl') return [...dups(ctx.crl.extensions), ...ctx.crl.revoked.flatMap((r) => dups(r.extensions))];
    if (ctx.kind !== 'ocsp') return [];
    return ctx.basic ? [...dups(ctx.basic.extensions), ...ctx.basic.responses.flatMap((r) => dups(r.extensions))] : [];
  },
};
