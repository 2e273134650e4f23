/*
 * Known bad encoding (digest §2 [V] OID table): 1.2.156.10197.1.301.1 is the SM2-1 signature *scheme*; certificate and
 * CRL signatureAlgorithm must be SM2-with-SM3, 1.2.156.10197.1.501 (GM/T 0015-2012 §5.2). Some older encoders
 * write .301.1 there; many verifiers then fail to identify the hash.
 */
import { OID } from '../../pki/oids.ts';
import { problem, signedLint } from '../types.ts';

export const lint = signedLint({
  meta: {
    id: 'e_sig_alg_is_sm2_sign_oid',
    description: 'signatureAlgorithm uses the SM2-1 scheme OID 1.2.156.10197.1.301.1 instead of SM2-with-SM3 …1.501',
    descriptionZh: '签名算法误用 SM2-1 签名方案 OID（…301.1），应为 SM2 with SM3（…501）',
    citation: 'GM/T 0015-2012 §5.2; GM/T 0006', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (s) => s.signatureAlgorithm.oid.startsWith('1.2.156.10197.'),
  execute: (s) => [s.signatureAlgorithm, s.innerSignature].filter((a) => a?.oid === OID.sm2Sign)
    .map((a) => problem('SM2-1 scheme OID …301.1 used as signatureAlgorithm', a!)),
});
