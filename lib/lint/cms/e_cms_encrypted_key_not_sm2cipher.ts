/*
 * GM/T 0010-2012 RecipientInfo.encryptedKey holds the SM2-encrypted content key; GM/T 0009-2012 §7.2 (digest §8 R04):
 * "SM2Cipher ::= SEQUENCE { XCoordinate INTEGER, YCoordinate INTEGER, HASH OCTET STRING (SIZE(32)), CipherText OCTET
 * STRING }" in C1C3C2 order, x/y minimal, (x, y) a point on the curve; digest §9 R02. Recognised raw octet forms are left
 * to n_cms_encrypted_key_raw (digest §9 R02: "legacy raw forms NOTICE"), so one envelope never gets both findings.
 */
import { cmsLint, type Problem } from '../types.ts';
import { legacyRawCipher, sm2Recipients, sm2CipherProblem } from './util.ts';

export const lint = cmsLint({
  meta: {
    id: 'e_cms_encrypted_key_not_sm2cipher',
    description: 'encryptedKey under an SM2 key-encryption algorithm is not a DER SM2Cipher with C1 on the SM2 curve',
    descriptionZh: 'SM2 加密的 encryptedKey 应为 DER 编码的 SM2Cipher（x、y、HASH(32)、CipherText，C1 在曲线上）',
    citation: 'GM/T 0010-2012 RecipientInfo; GM/T 0009-2012 §7.2; certificates-gmt0015.md §8 R04, §9 R02',
    source: 'GM/T 0009', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => sm2Recipients(ctx.cms).length > 0,
  execute(ctx) {
    const out: Problem[] = [];
    for (const r of sm2Recipients(ctx.cms)) {
      const b = r.encryptedKey.content;
      const bad = sm2CipherProblem(b);
      if (bad && !legacyRawCipher(b)) out.push({ message: bad, at: r.encryptedKey, path: `${r.path}.encryptedKey` });
    }
    return out;
  },
});
