/*
 * RFC 5280 §4.1.2.8: "CAs conforming to this profile MUST NOT generate certificates with unique identifiers."
 * GM/T 0015-2012 Annex A.2 keeps the fields optional (digest R13 [U]) → warning.
 */
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'w_unique_id_present',
    description: 'issuerUniqueID / subjectUniqueID should be absent',
    descriptionZh: '不宜使用颁发者/主体唯一标识符',
    citation: 'RFC 5280 §4.1.2.8; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => [ctx.cert.issuerUniqueId, ctx.cert.subjectUniqueId].filter((n) => n !== undefined)
    .map((n) => problem(`${n!.num === 1 ? 'issuerUniqueID' : 'subjectUniqueID'} present`, n)),
});
