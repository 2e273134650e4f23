/*
 * Dual-certificate model (digest §4 [U]): both certificates of a pair are issued by the same CA to the same subject.
 * A different subject or issuer usually means the pair was assembled from two identities.
 */
import { bytesEqual } from '../../pki/der.ts';
import { nameToString } from '../../pki/x509.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'w_pair_subject_mismatch', certTypes: ['sign', 'enc'],
    description: 'The signing and encryption certificates of a pair should have the same subject and issuer',
    descriptionZh: '双证书的签名证书与加密证书宜具有相同的主体和颁发者',
    citation: 'GM/T 0015-2012 附录C.3, C.4 (双证书)', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => !!ctx.pair,
  execute: (ctx) => {
    const out = [];
    if (!bytesEqual(ctx.cert.subject.node.bytes, ctx.pair!.subject.node.bytes)) out.push(problem(`paired certificate subject "${nameToString(ctx.pair!.subject)}" differs`, ctx.cert.subject));
    if (!bytesEqual(ctx.cert.issuer.node.bytes, ctx.pair!.issuer.node.bytes)) out.push(problem(`paired certificate issuer "${nameToString(ctx.pair!.issuer)}" differs`, ctx.cert.issuer));
    return out;
  },
});
