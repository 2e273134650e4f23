/*
 * X.680 §41.4 (Table 10): PrintableString holds only A–Z a–z 0–9 space ' ( ) + , - . / : = ?; UTF8String must be
 * valid UTF-8; IA5String 7-bit. GM/T 0015-2012 Annex A.2 (digest R15 [U]: "PrintableString charset enforced").
 */
import { isIa5, isPrintableString, TAG } from '../../pki/der.ts';
import type { Name } from '../../pki/x509.ts';
import { problem, type Lint, type LintContext, type Problem } from '../types.ts';

function check(names: Name[]): Problem[] {
  const out: Problem[] = [];
  for (const n of names) for (const a of n.attrs) {
    const v = a.valueNode;
    if (v.tag === TAG.PrintableString && !isPrintableString(a.text ?? '')) out.push(problem(`PrintableString "${a.text}" contains characters outside its set`, a));
    else if (v.tag === TAG.UTF8String && a.text === null) out.push(problem('UTF8String is not valid UTF-8', a));
    else if (v.tag === TAG.IA5String && !isIa5(v.content)) out.push(problem('IA5String contains 8-bit octets', a));
    else if ((v.tag === TAG.BMPString || v.tag === TAG.UniversalString) && a.text === null) out.push(problem('string length does not fit its type', a));
  }
  return out;
}

export const lint: Lint = {
  meta: {
    id: 'e_printable_bad_charset', target: ['certificate', 'crl'],
    description: 'Name string values must only use characters their ASN.1 type allows',
    descriptionZh: '名称中的字符串应符合其 ASN.1 类型的字符集（如 PrintableString 不得含中文）',
    citation: 'GM/T 0015-2012 附录A.2; X.680 §41', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: () => true,
  execute: (ctx: LintContext) => check(ctx.kind === 'certificate' ? [ctx.cert.subject, ctx.cert.issuer] : ctx.kind === 'crl' ? [ctx.crl.issuer] : []),
};
