/*
 * Digest R10 [U] (CA practice, GM/T 0015 Annex C): a certificate should not outlive its issuer
 * (notAfter ≤ issuer notAfter), otherwise its tail end cannot be validated.
 */
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'w_validity_exceeds_issuer',
    description: 'A certificate should not be valid beyond its issuer\'s notAfter',
    descriptionZh: '证书有效期不宜超出签发者证书的有效期',
    citation: 'GM/T 0015-2012 附录C (practice); RFC 5280 §6', source: 'practice', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => !!ctx.issuer && ctx.issuer !== ctx.cert && !!ctx.cert.notAfter.date && !!ctx.issuer.notAfter.date,
  execute: (ctx) => ctx.cert.notAfter.date!.getTime() > ctx.issuer!.notAfter.date!.getTime()
    ? [problem(`notAfter ${ctx.cert.notAfter.date!.toISOString()} is after the issuer's ${ctx.issuer!.notAfter.date!.toISOString()}`, ctx.cert.notAfter)]
    : [],
});
