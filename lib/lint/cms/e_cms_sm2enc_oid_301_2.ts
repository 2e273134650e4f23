/*
 * GM/T 0010-2012 RecipientInfo: "keyEncryptionAlgorithm … SM2-3 椭圆曲线加密算法" = 1.2.156.10197.1.301.3 (GM/T 0006; digest
 * §2 [V], §9 R02). GmSSL 3 writes 1.2.156.10197.1.301.2 (SM2-2, the key-exchange protocol) there; digest §2: "strict
 * profiles must flag it (lint e_cms_sm2enc_oid_301_2)".
 */
import { OID } from '../../pki/oids.ts';
import { cmsLint, problem } from '../types.ts';

export const lint = cmsLint({
  meta: {
    id: 'e_cms_sm2enc_oid_301_2',
    description: 'RecipientInfo.keyEncryptionAlgorithm is SM2 key exchange (1.2.156.10197.1.301.2) instead of SM2 encryption (…301.3)',
    descriptionZh: '数字信封接收者密钥加密算法应为 SM2 加密（1.2.156.10197.1.301.3），不应为 SM2 密钥交换（…301.2，GmSSL 3 的写法）',
    citation: 'GM/T 0010-2012 RecipientInfo; GM/T 0006; certificates-gmt0015.md §2, §9 R02',
    source: 'GM/T 0010', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => ctx.cms.recipientInfos.length > 0,
  execute: (ctx) => ctx.cms.recipientInfos.filter((r) => r.keyEncryptionAlgorithm.oid === OID.sm2KeyExchange)
    .map((r) => problem('keyEncryptionAlgorithm is 1.2.156.10197.1.301.2 (SM2 key exchange); SM2 encryption is 1.2.156.10197.1.301.3', r.keyEncryptionAlgorithm)),
});
