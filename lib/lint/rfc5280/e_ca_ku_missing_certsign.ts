/*
 * RFC 5280 §4.2.1.3: "Conforming CAs MUST include this extension in certificates that contain public keys that are
 * used to validate digital signatures on other public key certificates or CRLs"; keyCertSign for certificate signing.
 * GM/T 0015-2012 Annex C.1/C.2: keyUsage keyCertSign + cRLSign (digest §4 [V]).
 */
import { keyUsageOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_ca_ku_missing_certsign', certTypes: ['root', 'sub'],
    description: 'CA certificates must have keyUsage with keyCertSign',
    descriptionZh: 'CA 证书的密钥用法应包含证书签名（keyCertSign）',
    citation: 'GM/T 0015-2012 附录C.1, C.2; RFC 5280 §4.2.1.3', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => {
    const ku = keyUsageOf(ctx.cert);
    if (!ku) return [problem('keyUsage missing or unreadable', { node: ctx.cert.tbs, path: 'tbsCertificate' })];
    return ku.bits.has('keyCertSign') ? [] : [problem('keyUsage lacks keyCertSign', ku.node)];
  },
});
