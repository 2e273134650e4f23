/*
 * RFC 5280 §4.1.2.5: the validity period is "the period of time from notBefore through notAfter, inclusive";
 * a notAfter before notBefore makes the certificate never valid. GM/T 0015-2012 Annex A.2 (digest R10 [U]).
 */
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_validity_inverted',
    description: 'notBefore must not be later than notAfter',
    descriptionZh: '有效期起始时间不应晚于终止时间',
    citation: 'RFC 5280 §4.1.2.5; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => !!ctx.cert.notBefore.date && !!ctx.cert.notAfter.date,
  execute: (ctx) => ctx.cert.notBefore.date!.getTime() > ctx.cert.notAfter.date!.getTime()
    ? [problem(`notBefore ${ctx.cert.notBefore.date!.toISOString()} is after notAfter ${ctx.cert.notAfter.date!.toISOString()}`, { node: ctx.cert.validity, path: 'tbsCertificate.validity' })]
    : [],
});
