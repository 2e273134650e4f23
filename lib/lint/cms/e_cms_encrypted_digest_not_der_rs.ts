/*
 * GM/T 0010-2012 SignerInfo.encryptedDigest carries the SM2 signature; GM/T 0009-2012 §7.3 (digest §8 R03): "signature
 * DER, minimal INTEGERs …, r, s ∈ [1, n−1]" as SM2Signature ::= SEQUENCE { R INTEGER, S INTEGER }. Raw r‖s (64 octets)
 * is what sm-crypto and gmkitx return by default (digest §10).
 */
import { cmsLint, type Problem } from '../types.ts';
import { sm2SignatureProblem } from '../util.ts';
import { SM2_SIG_OIDS } from './util.ts';

export const lint = cmsLint({
  meta: {
    id: 'e_cms_encrypted_digest_not_der_rs',
    description: 'SignerInfo.encryptedDigest under SM2 is not a DER SM2Signature SEQUENCE { r, s } with r, s in [1, n−1]',
    descriptionZh: 'SM2 签名者信息的 encryptedDigest 应为 DER 编码的 SM2Signature（r、s ∈ [1, n−1]）',
    citation: 'GM/T 0010-2012 SignerInfo; GM/T 0009-2012 §7.3; certificates-gmt0015.md §8 R03',
    source: 'GM/T 0009', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => ctx.cms.signerInfos.some((s) => SM2_SIG_OIDS.has(s.digestEncryptionAlgorithm.oid)),
  execute(ctx) {
    const out: Problem[] = [];
    for (const s of ctx.cms.signerInfos) {
      if (!SM2_SIG_OIDS.has(s.digestEncryptionAlgorithm.oid)) continue;
      const bad = sm2SignatureProblem(s.encryptedDigest.content);
      if (bad) out.push({ message: bad, at: s.encryptedDigest, path: `${s.path}.encryptedDigest` });
    }
    return out;
  },
});
