/*
 * GM/T 0015-2012 §5.2 / GM/T 0009-2012 §8 (digest §8 R06–R08 [V]): the signature is SM2 over e = SM3(Z ‖ TBS) with
 * Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) and the default ID 1234567812345678 unless agreed otherwise; it must
 * verify under the issuer's public key (the certificate's own key for a self-signed root).
 */
import { problem, signedLint } from '../types.ts';
import { isSm2Sm3, sm2SignatureProblem, verifySm2 } from '../util.ts';

export const lint = signedLint({
  meta: {
    id: 'e_signature_invalid',
    description: 'The SM2 signature must verify under the issuer key with Z over the default ID 1234567812345678',
    descriptionZh: 'SM2 签名应能用签发者公钥（Z 值按默认 ID 1234567812345678 计算）验证通过',
    citation: 'GM/T 0015-2012 §5.2; GM/T 0009-2012 §8', source: 'GM/T 0009', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (s) => isSm2Sm3(s.signatureAlgorithm.oid) && !!s.signerKey && sm2SignatureProblem(s.signature.bytes) === null,
  execute: (s, ctx) => {
    const r = verifySm2(s.signerKey!, s.tbs.bytes, s.signature.bytes, ctx.options);
    if (r === 'valid') return [];
    if (r === 'malformed') return [problem(`${s.signerLabel} has no usable SM2 public key`, s.signature)];
    const hint = r === 'empty-id' ? ' (it verifies with an empty ID: see e_signature_wrong_z)'
      : r === 'no-z' ? ' (it verifies without Z: see e_signature_wrong_z)' : '';
    return [problem(`signature does not verify under the ${s.signerLabel}${hint}`, s.signature)];
  },
});
