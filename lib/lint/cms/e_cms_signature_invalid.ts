/*
 * GM/T 0010-2012 SignerInfo: encryptedDigest is the SM2 signature (GM/T 0009 §7.3, Z over the default ID
 * 1234567812345678) over the authenticated attributes' DER, or over the content when there are none; the
 * messageDigest attribute equals SM3(content). Digest §9 R04: the envelope "verifies with the KM cert". Checked when the
 * signer certificate (embedded or supplied, by issuerAndSerialNumber) and the signed octets are at hand; the content of
 * a signed-and-enveloped message is encrypted, so there only an attribute signature can be verified.
 */
import { sm2VerifyDigest, sm3 } from '../../gm/index.ts';
import { bytesEqual, TAG } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import type { SignerInfo } from '../../pki/cms.ts';
import { cmsLint, type CmsContext, type Problem } from '../types.ts';
import { sm2SignatureProblem, verifySm2 } from '../util.ts';
import { findCert, signedBytes, SM2_SIG_OIDS } from './util.ts';

function checkable(ctx: CmsContext, s: SignerInfo): boolean {
  return SM2_SIG_OIDS.has(s.digestEncryptionAlgorithm.oid) && !!findCert(ctx, s.sid) && !!signedBytes(ctx, s)
    && sm2SignatureProblem(s.encryptedDigest.content) === null;
}

/**
 * GmSSL 3.x (src/cms.c, cms_signer_info_sign_to_der) signs the SM3 digest of the inner ContentInfo's DER followed by
 * the authenticated attributes, as a bare digest: no Z, so no signer ID. Recognising it names the cause instead of a
 * bare "invalid" (the GmSSL source itself flags this in a comment).
 */
function gmsslConvention(ctx: CmsContext, s: SignerInfo, key: Uint8Array): boolean {
  const body = ctx.cms.body;
  if (body?.type !== 'signedData') return false;
  const attrs = s.authenticatedAttributesNode;
  const e = sm3(Buffer.concat([body.contentInfo.node.bytes, attrs ? attrs.bytes : new Uint8Array(0)]));
  return sm2VerifyDigest(key, e, s.encryptedDigest.content);
}

export const lint = cmsLint({
  meta: {
    id: 'e_cms_signature_invalid',
    description: "SignerInfo's SM2 signature does not verify with the signer certificate's key, or messageDigest differs from SM3(content)",
    descriptionZh: '签名者信息的 SM2 签名不能用签名者证书公钥验证通过，或 messageDigest 属性与内容的 SM3 值不符',
    citation: 'GM/T 0010-2012 SignerInfo; GM/T 0009-2012 §7.3; certificates-gmt0015.md §9 R04',
    source: 'GM/T 0010', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => ctx.cms.signerInfos.some((s) => checkable(ctx, s)),
  execute(ctx) {
    const out: Problem[] = [];
    for (const s of ctx.cms.signerInfos) {
      if (!checkable(ctx, s)) continue;
      const key = findCert(ctx, s.sid)!.spki.publicKey;
      const outcome = verifySm2(key, signedBytes(ctx, s)!, s.encryptedDigest.content, ctx.options);
      if (outcome === 'empty-id') out.push({ message: 'signature verifies only with Z over an empty ID (GM/T 0009 default ID is 1234567812345678)', at: s.encryptedDigest, path: `${s.path}.encryptedDigest` });
      else if (outcome === 'no-z') out.push({ message: 'signature verifies only as e = SM3(M) without Z', at: s.encryptedDigest, path: `${s.path}.encryptedDigest` });
      else if (outcome !== 'valid') {
        const gmssl = gmsslConvention(ctx, s, key);
        out.push({ message: gmssl ? 'signature is over e = SM3(DER ContentInfo ‖ attributes) without Z — the GmSSL 3 cms_sign convention, not GM/T 0009 (Z over the default ID)'
          : `SM2 signature does not verify with the signer certificate's key (${outcome})`, at: s.encryptedDigest, path: `${s.path}.encryptedDigest` });
      }
      const body = ctx.cms.body;
      const md = s.authenticatedAttributes.find((a) => a.type === OID.pkcs9MessageDigest);
      const content = body?.type === 'signedData' ? body.contentInfo.content : undefined;
      if (md && content?.tag === TAG.OCTET_STRING && s.digestAlgorithm.oid === OID.sm3) {
        const v = md.values[0];
        if (!v || v.tag !== TAG.OCTET_STRING || !bytesEqual(v.content, sm3(content.content))) {
          out.push({ message: 'messageDigest attribute is not SM3 of the signed content', at: md.node, path: md.path });
        }
      }
    }
    return out;
  },
});
