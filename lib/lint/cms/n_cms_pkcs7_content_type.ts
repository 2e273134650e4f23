/*
 * GM/T 0010-2012 defines its own content types 1.2.156.10197.6.1.4.2.{1..6} (data, signedData, envelopedData,
 * signedAndEnvelopedData, encryptedData, keyAgreementInfo); digest §9 R01: "GM/T 0010 content-type OIDs (not PKCS#7)
 * in GM profiles". PKCS#7 OIDs (1.2.840.113549.1.7.x) are what OpenSSL and many SDKs emit, hence a notice, not an error.
 */
import { contentTypeInfo, gmContentTypeFor } from '../../pki/cms.ts';
import { cmsLint, problem } from '../types.ts';

export const lint = cmsLint({
  meta: {
    id: 'n_cms_pkcs7_content_type',
    description: 'content type uses the PKCS#7 OID (1.2.840.113549.1.7.x) instead of the GM/T 0010 OID (1.2.156.10197.6.1.4.2.x)',
    descriptionZh: '内容类型使用了 PKCS#7 标识（1.2.840.113549.1.7.x），GM/T 0010 规定为 1.2.156.10197.6.1.4.2.x',
    citation: 'GM/T 0010-2012 content types; certificates-gmt0015.md §2, §9 R01',
    source: 'GM/T 0010', editions: ['2012', '2023'], basis: 'single-source',
  },
  execute: (ctx) => ctx.cms.contentTypes.filter((t) => contentTypeInfo(t.oid).family === 'pkcs7').map((t) => {
    const name = contentTypeInfo(t.oid).name;
    const gm = gmContentTypeFor(name);
    return problem(`content type is PKCS#7 ${name} (${t.oid})${gm ? `; GM/T 0010 uses ${gm}` : '; GM/T 0010 has no such type'}`, t);
  }),
});
