/*
 * GM/T 0015-2012 Annex C.4 (digest §4 [V]): the encryption certificate's keyUsage has keyEncipherment and/or
 * dataEncipherment (keyAgreement allowed).
 */
import { keyUsageOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_enc_cert_no_encipherment', certTypes: ['enc'],
    description: 'Encryption certificates must have keyEncipherment or dataEncipherment',
    descriptionZh: '加密证书的密钥用法应包含密钥加密或数据加密',
    citation: 'GM/T 0015-2012 附录C.4', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => !!keyUsageOf(ctx.cert),
  execute: (ctx) => {
    const ku = keyUsageOf(ctx.cert)!;
    return ku.bits.has('keyEncipherment') || ku.bits.has('dataEncipherment') ? [] : [problem('keyUsage has neither keyEncipherment nor dataEncipherment', ku.node)];
  },
});
