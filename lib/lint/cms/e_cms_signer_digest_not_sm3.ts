/*
 * GM/T 0010-2012 SignerInfo.digestAlgorithm and SignedData.digestAlgorithms: SM3 (1.2.156.10197.1.401); digest §9 R03:
 * "digest SM3".
 */
import { OID } from '../../pki/oids.ts';
import { cmsLint, problem } from '../types.ts';

export const lint = cmsLint({
  meta: {
    id: 'e_cms_signer_digest_not_sm3',
    description: 'SignerInfo.digestAlgorithm (or an entry of digestAlgorithms) is not SM3 (1.2.156.10197.1.401)',
    descriptionZh: '签名者信息的摘要算法（及 digestAlgorithms 集合）应为 SM3（1.2.156.10197.1.401）',
    citation: 'GM/T 0010-2012 SignerInfo, SignedData; certificates-gmt0015.md §9 R03',
    source: 'GM/T 0010', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => ctx.cms.signerInfos.length > 0 || ctx.cms.digestAlgorithms.length > 0,
  execute: (ctx) => [...ctx.cms.digestAlgorithms, ...ctx.cms.signerInfos.map((s) => s.digestAlgorithm)]
    .filter((a) => a.oid !== OID.sm3)
    .map((a) => problem(`digest algorithm is ${a.oid}, expected SM3 1.2.156.10197.1.401`, a)),
});
