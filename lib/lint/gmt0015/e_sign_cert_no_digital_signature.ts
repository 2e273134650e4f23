/*
 * GM/T 0015-2012 Annex C.3 (digest §4 [V]): the end-entity signature certificate's keyUsage includes
 * digitalSignature (and nonRepudiation, see w_sign_cert_no_non_repudiation).
 */
import { keyUsageOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_sign_cert_no_digital_signature', certTypes: ['sign', 'ocsp', 'tsa'],
    description: 'Signing certificates must have keyUsage digitalSignature',
    descriptionZh: '签名证书的密钥用法应包含数字签名（digitalSignature）',
    citation: 'GM/T 0015-2012 附录C.3', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => !!keyUsageOf(ctx.cert),
  execute: (ctx) => { const ku = keyUsageOf(ctx.cert)!; return ku.bits.has('digitalSignature') ? [] : [problem('keyUsage lacks digitalSignature', ku.node)]; },
});
