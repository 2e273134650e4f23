/*
 * GM/T 0010-2012 EncryptedContentInfo.contentEncryptionAlgorithm; digest §9 R05 [S]: "SM4-CBC IV carried as the
 * AlgorithmIdentifier parameter" (an OCTET STRING of the 16-octet block size). Without it the content cannot be
 * decrypted by a conforming receiver.
 */
import { TAG } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import { cmsLint, problem } from '../types.ts';

export const lint = cmsLint({
  meta: {
    id: 'e_cms_sm4cbc_iv_not_param',
    description: 'SM4-CBC contentEncryptionAlgorithm does not carry the 16-octet IV as an OCTET STRING parameter',
    descriptionZh: 'SM4-CBC 内容加密算法标识的参数应为 16 字节 IV 的 OCTET STRING',
    citation: 'GM/T 0010-2012 EncryptedContentInfo; certificates-gmt0015.md §9 R05',
    source: 'GM/T 0010', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => ctx.cms.encryptedContentInfo?.contentEncryptionAlgorithm.oid === OID.sm4Cbc,
  execute(ctx) {
    const a = ctx.cms.encryptedContentInfo!.contentEncryptionAlgorithm;
    const p = a.params;
    if (!p) return [problem('SM4-CBC parameters absent: no IV', a)];
    if (p.tag !== TAG.OCTET_STRING) return [problem(`SM4-CBC parameters are ${p.tag === TAG.NULL ? 'NULL' : `tag 0x${p.tag.toString(16)}`}, expected the IV as OCTET STRING`, a)];
    if (p.len !== 16) return [problem(`SM4-CBC IV is ${p.len} octets, expected 16`, a)];
    return [];
  },
});
