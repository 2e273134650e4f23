/*
 * GM/T 0015-2012 §5.2 / Annex A.2 (digest R05 [V], R30): certificates and CRLs of the SM2 profile are signed with
 * SM2-with-SM3, OID 1.2.156.10197.1.501 (GM/T 0006). The same algorithm is expected of OCSP responses in GM PKIs.
 */
import { oidName } from '../../pki/oids.ts';
import { problem, signedLint } from '../types.ts';
import { isSm2Sm3 } from '../util.ts';

export const lint = signedLint({
  meta: {
    id: 'e_sig_alg_not_sm2_sm3',
    description: 'The signature algorithm must be SM2-with-SM3 (1.2.156.10197.1.501)',
    descriptionZh: '签名算法应为 SM2 with SM3（1.2.156.10197.1.501）',
    citation: 'GM/T 0015-2012 §5.2, 附录A.2; GM/T 0006', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (s) => isSm2Sm3(s.signatureAlgorithm.oid) ? []
    : [problem(`signature algorithm is ${oidName(s.signatureAlgorithm.oid)} (${s.signatureAlgorithm.oid})`, s.signatureAlgorithm)],
});
