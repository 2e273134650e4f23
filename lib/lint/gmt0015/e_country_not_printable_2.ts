/*
 * X.520 / RFC 5280 Appendix A: countryName ::= PrintableString (SIZE (2)) (ISO 3166 alpha-2); GM/T 0015-2012
 * Annex A.2 (digest R14 [V]).
 */
import { TAG, tagName } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import type { Name } from '../../pki/x509.ts';
import { problem, type Lint, type LintContext, type Problem } from '../types.ts';

export function countryProblems(names: Name[]): Problem[] {
  const out: Problem[] = [];
  for (const n of names) for (const a of n.attrs) {
    if (a.type !== OID.countryName) continue;
    if (a.valueNode.tag !== TAG.PrintableString) out.push(problem(`countryName is ${tagName(a.valueNode.tag)}`, a));
    else if (a.valueNode.len !== 2 || !/^[A-Z]{2}$/.test(a.text ?? '')) out.push(problem(`countryName "${a.text}" is not two upper-case letters`, a));
  }
  return out;
}

export const lint: Lint = {
  meta: {
    id: 'e_country_not_printable_2', target: ['certificate', 'crl'],
    description: 'countryName must be a two-letter PrintableString',
    descriptionZh: '国家名称（C）应为两位字母的 PrintableString',
    citation: 'GM/T 0015-2012 附录A.2; X.520; RFC 5280 附录A', source: 'X.520', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: () => true,
  execute: (ctx: LintContext) => countryProblems(ctx.kind === 'certificate' ? [ctx.cert.subject, ctx.cert.issuer] : ctx.kind === 'crl' ? [ctx.crl.issuer] : []),
};
