/*
 * GM/T 0015-2012 Annex C.1/C.2 (digest §4 [V], R35): CA key usage keyCertSign + cRLSign; a CA that signs its own CRLs
 * needs cRLSign (RFC 5280 §4.2.1.3). A CA delegating CRLs to another key may omit it → warning.
 */
import { keyUsageOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'w_ca_ku_missing_crlsign', certTypes: ['root', 'sub'],
    description: 'CA certificates should have keyUsage with cRLSign',
    descriptionZh: 'CA 证书的密钥用法宜包含 CRL 签名（cRLSign）',
    citation: 'GM/T 0015-2012 附录C.1, C.2; RFC 5280 §4.2.1.3', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => !!keyUsageOf(ctx.cert),
  execute: (ctx) => { const ku = keyUsageOf(ctx.cert)!; return ku.bits.has('cRLSign') ? [] : [problem('keyUsage lacks cRLSign', ku.node)]; },
});
