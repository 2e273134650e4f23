/*
 * GM/T 0015-2012 附录C.1 (self-signed CA certificate) and RFC 5280 §3.2 / §4.2.1.1: a root is self-signed — issuer
 * equals subject, and when it names its key (AKI keyIdentifier) that is its own key (SKI). A self-issued certificate
 * whose AKI points elsewhere is a key-rollover link certificate, not a trust anchor. Whether the signature verifies
 * under the certificate's own key is e_signature_invalid's job (for a root its issuer is itself).
 */
import { bytesEqual } from '../../pki/der.ts';
import { akiOf, skiOf } from '../../pki/extensions.ts';
import { certLint, problem, type Problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_root_not_self_signed', certTypes: ['root'],
    description: 'A root CA certificate must be self-signed: issuer equal to subject and AKI (if present) equal to its SKI',
    descriptionZh: '根CA证书应为自签名：签发者与主体相同，若有授权密钥标识符则应等于自身的主体密钥标识符',
    citation: 'GM/T 0015-2012 附录C.1; RFC 5280 §3.2, §4.2.1.1', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => {
    const c = ctx.cert;
    const out: Problem[] = [];
    if (!bytesEqual(c.issuer.node.bytes, c.subject.node.bytes)) out.push(problem('issuer differs from subject: not a self-signed root', c.issuer));
    const aki = akiOf(c.extensions);
    const ski = skiOf(c);
    if (aki?.keyIdentifier && ski && !bytesEqual(aki.keyIdentifier, ski)) {
      out.push(problem('authorityKeyIdentifier names another key than the subjectKeyIdentifier (a rollover link certificate, not a root)', aki.keyIdNode ?? aki.node));
    }
    return out;
  },
});
