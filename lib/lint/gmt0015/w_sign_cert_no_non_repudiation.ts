/*
 * GM/T 0015-2012 Annex C.3 (digest §4 [V]): signature certificates carry digitalSignature + nonRepudiation. TLS/TLCP
 * server signing certificates commonly omit nonRepudiation, hence a warning rather than an error.
 */
import { keyUsageOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'w_sign_cert_no_non_repudiation', certTypes: ['sign'],
    description: 'Signing certificates should have keyUsage nonRepudiation (contentCommitment)',
    descriptionZh: '签名证书的密钥用法宜包含不可否认（nonRepudiation）',
    citation: 'GM/T 0015-2012 附录C.3', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => !!keyUsageOf(ctx.cert),
  execute: (ctx) => { const ku = keyUsageOf(ctx.cert)!; return ku.bits.has('nonRepudiation') ? [] : [problem('keyUsage lacks nonRepudiation', ku.node)]; },
});
