/*
 * GM/T 0009-2012 §7.2 / digest §8 R05: "raw interchange form 04‖x1‖y1‖C3‖C2; detect legacy C1C2C3 and missing 04 prefix →
 * reject or NOTICE per profile"; digest §9 R02: "encryptedKey = DER SM2Cipher … (legacy raw forms NOTICE)". A raw string
 * whose first 64/65 octets are a point on the curve is recognised; the C1C3C2/C1C2C3 order needs the private key to tell.
 */
import { cmsLint, type Problem } from '../types.ts';
import { legacyRawCipher, sm2Recipients } from './util.ts';

export const lint = cmsLint({
  meta: {
    id: 'n_cms_encrypted_key_raw',
    description: 'encryptedKey is a legacy raw SM2 ciphertext (04‖C1‖C3‖C2, C1C2C3 or without 04) instead of DER SM2Cipher',
    descriptionZh: 'encryptedKey 为旧式裸 SM2 密文（04‖C1‖C3‖C2、C1C2C3 或缺 04 前缀），而非 DER 编码的 SM2Cipher',
    citation: 'GM/T 0009-2012 §7.2; certificates-gmt0015.md §8 R05, §9 R02',
    source: 'GM/T 0009', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => sm2Recipients(ctx.cms).length > 0,
  execute(ctx) {
    const out: Problem[] = [];
    for (const r of sm2Recipients(ctx.cms)) {
      const raw = legacyRawCipher(r.encryptedKey.content);
      if (raw) out.push({ message: raw, at: r.encryptedKey, path: `${r.path}.encryptedKey` });
    }
    return out;
  },
});
