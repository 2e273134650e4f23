/*
 * GM/T 0009-2012 §7.3 (digest §8 R03 [V]): SM2Signature ::= SEQUENCE { R INTEGER, S INTEGER }, DER, minimal
 * integers, r, s ∈ [1, n−1]; the certificate signatureValue BIT STRING wraps it with 0 unused bits (digest R07).
 */
import { problem, signedLint } from '../types.ts';
import { isSm2Sm3, sm2SignatureProblem } from '../util.ts';

export const lint = signedLint({
  meta: {
    id: 'e_sig_value_not_der_rs',
    description: 'The SM2 signature value must be a DER SEQUENCE { r, s } with r, s in [1, n−1]',
    descriptionZh: 'SM2 签名值应为 DER 编码的 SEQUENCE { r, s }，且 r、s ∈ [1, n−1]',
    citation: 'GM/T 0009-2012 §7.3; GM/T 0015-2012 附录A', source: 'GM/T 0009', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (s) => isSm2Sm3(s.signatureAlgorithm.oid),
  execute: (s) => {
    if (s.signature.unusedBits !== 0) return [problem(`signature BIT STRING has ${s.signature.unusedBits} unused bits`, s.signature)];
    const why = sm2SignatureProblem(s.signature.bytes);
    return why ? [problem(why, s.signature)] : [];
  },
});
