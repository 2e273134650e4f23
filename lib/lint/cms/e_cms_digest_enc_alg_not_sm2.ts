/*
 * GM/T 0010-2012 SignerInfo.digestEncryptionAlgorithm: SM2-1 椭圆曲线数字签名算法 1.2.156.10197.1.301.1; digest §9 R03:
 * "digestEncryption SM2-1 (.501 tolerated)". SM2-with-SM3 (.501) therefore passes here and gets its own notice
 * (n_cms_digest_enc_alg_sm2_sm3) so that the tolerated form stays visible without failing the envelope.
 */
import { OID } from '../../pki/oids.ts';
import { cmsLint, problem } from '../types.ts';

export const lint = cmsLint({
  meta: {
    id: 'e_cms_digest_enc_alg_not_sm2',
    description: 'SignerInfo.digestEncryptionAlgorithm is neither SM2-1 (1.2.156.10197.1.301.1) nor the tolerated SM2-with-SM3 (…1.501)',
    descriptionZh: '签名者信息的签名算法应为 SM2-1（1.2.156.10197.1.301.1；容许 SM2-with-SM3 …1.501）',
    citation: 'GM/T 0010-2012 SignerInfo; certificates-gmt0015.md §9 R03',
    source: 'GM/T 0010', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => ctx.cms.signerInfos.length > 0,
  execute: (ctx) => ctx.cms.signerInfos.map((s) => s.digestEncryptionAlgorithm)
    .filter((a) => a.oid !== OID.sm2Sign && a.oid !== OID.sm2WithSm3)
    .map((a) => problem(`digestEncryptionAlgorithm is ${a.oid}, expected SM2-1 1.2.156.10197.1.301.1`, a)),
});
