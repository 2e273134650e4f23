/*
 * GM/T 0009-2012 §6 (digest R08, §8 R02 [V]): SM2PublicKey is the BIT STRING 04 ‖ X ‖ Y (65 octets), a point on the
 * curve and not the point at infinity; the BIT STRING has no unused bits.
 */
import { certLint, problem } from '../types.ts';
import { isSm2Key, sm2PointProblem } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'e_spki_point_invalid',
    description: 'The SM2 public key must be a 65-octet uncompressed point on the curve',
    descriptionZh: 'SM2 公钥应为 65 字节非压缩格式且位于曲线上',
    citation: 'GM/T 0009-2012 §6; GM/T 0015-2012 附录A.2', source: 'GM/T 0009', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => isSm2Key(ctx.cert),
  execute: (ctx) => {
    const s = ctx.cert.spki;
    if (s.unusedBits !== 0) return [problem(`subjectPublicKey BIT STRING has ${s.unusedBits} unused bits`, s.keyNode)];
    const why = sm2PointProblem(s.publicKey);
    return why ? [problem(why, s.keyNode)] : [];
  },
});
