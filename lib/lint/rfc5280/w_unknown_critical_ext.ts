/*
 * RFC 5280 §4.2: "A certificate-using system MUST reject the certificate if it encounters a critical extension it
 * does not recognize". A critical extension outside RFC 5280 and GM/T 0015 makes the certificate unusable for most
 * relying parties → warning.
 */
import { KNOWN_CERT_EXTENSIONS } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'w_unknown_critical_ext',
    description: 'Critical extensions should be ones relying parties know (RFC 5280, GM/T 0015)',
    descriptionZh: '关键扩展宜为依赖方可识别的标准扩展',
    citation: 'RFC 5280 §4.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => ctx.cert.extensions.filter((e) => e.critical && !KNOWN_CERT_EXTENSIONS.has(e.oid))
    .map((e) => problem(`unknown extension ${e.oid} is critical`, e)),
});
