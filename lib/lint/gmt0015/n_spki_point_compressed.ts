/*
 * GM/T 0009-2023 allows compressed public keys (02/03 ‖ X) (digest R08, §1 [V]); GM/T 0009-2012 and many verifiers
 * accept only 04 ‖ X ‖ Y → notice.
 */
import { certLint, problem } from '../types.ts';
import { isSm2Key, sm2PointProblem } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'n_spki_point_compressed',
    description: 'The SM2 public key is compressed (allowed by GM/T 0009-2023, rejected by many verifiers)',
    descriptionZh: 'SM2 公钥为压缩格式（GM/T 0009-2023 允许，但许多验证方不支持）',
    citation: 'GM/T 0009-2023 §6', source: 'GM/T 0009', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => isSm2Key(ctx.cert) && sm2PointProblem(ctx.cert.spki.publicKey) === null,
  execute: (ctx) => {
    const k = ctx.cert.spki.publicKey;
    return k.length === 33 ? [problem(`public key is compressed (0x0${k[0]})`, ctx.cert.spki.keyNode)] : [];
  },
});
