/*
 * GM/T 0010-2012 SignerInfo.digestEncryptionAlgorithm is SM2-1 (1.2.156.10197.1.301.1); digest §9 R03: ".501 tolerated".
 * SM2-with-SM3 (1.2.156.10197.1.501, the certificate signatureAlgorithm) is accepted by the main verifiers, so it is a
 * notice — it tells the assessor the signer did not use the GM/T 0010 form, without failing the message.
 */
import { OID } from '../../pki/oids.ts';
import { cmsLint, problem } from '../types.ts';

export const lint = cmsLint({
  meta: {
    id: 'n_cms_digest_enc_alg_sm2_sm3',
    description: 'SignerInfo.digestEncryptionAlgorithm is SM2-with-SM3 (1.2.156.10197.1.501), tolerated; GM/T 0010 names SM2-1 (…301.1)',
    descriptionZh: '签名者信息的签名算法为 SM2-with-SM3（1.2.156.10197.1.501），可接受；GM/T 0010 规定为 SM2-1（…301.1）',
    citation: 'GM/T 0010-2012 SignerInfo; certificates-gmt0015.md §9 R03',
    source: 'GM/T 0010', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => ctx.cms.signerInfos.length > 0,
  execute: (ctx) => ctx.cms.signerInfos.map((s) => s.digestEncryptionAlgorithm)
    .filter((a) => a.oid === OID.sm2WithSm3)
    .map((a) => problem(`digestEncryptionAlgorithm is SM2-with-SM3 1.2.156.10197.1.501 (GM/T 0010: SM2-1 1.2.156.10197.1.301.1)`, a)),
});
