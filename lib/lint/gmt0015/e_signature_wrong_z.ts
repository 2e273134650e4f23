/*
 * GM/T 0009-2012 §8.1 / §10 (digest §8 R06–R08 [V]): the digest signed is e = SM3(Z ‖ M), Z computed with the signer
 * ID, default "1234567812345678" (ENTL 0x0080); a claimed empty default ID is unsupported (R07). Two signer bugs seen in
 * the field are told apart here: Z over an empty ID, and no Z at all (e = SM3(M), ECDSA-style).
 */
import { problem, signedLint } from '../types.ts';
import { isSm2Sm3, sm2SignatureProblem, verifySm2 } from '../util.ts';

export const lint = signedLint({
  meta: {
    id: 'e_signature_wrong_z',
    description: 'The signature was computed with the wrong Z (empty signer ID, or no Z at all)',
    descriptionZh: '签名使用了错误的 Z 值（空用户 ID 或未计算 Z）',
    citation: 'GM/T 0009-2012 §8.1, §10', source: 'GM/T 0009', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (s) => isSm2Sm3(s.signatureAlgorithm.oid) && !!s.signerKey && sm2SignatureProblem(s.signature.bytes) === null,
  execute: (s, ctx) => {
    const r = verifySm2(s.signerKey!, s.tbs.bytes, s.signature.bytes, ctx.options);
    if (r === 'empty-id') return [problem('signature verifies only with Z over an empty signer ID', s.signature)];
    if (r === 'no-z') return [problem('signature verifies only over SM3(TBS) without Z', s.signature)];
    return [];
  },
});
