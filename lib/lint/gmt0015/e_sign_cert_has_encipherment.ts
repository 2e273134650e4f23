/*
 * GM/T 0015-2012 Annex C.3 (digest §4 [V]): the signature certificate must not have keyEncipherment,
 * dataEncipherment or keyAgreement — in the dual-certificate model encryption uses the KM-generated key of the
 * encryption certificate (C.4), never the subscriber's signing key.
 */
import { keyUsageOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_sign_cert_has_encipherment', certTypes: ['sign'],
    description: 'Signing certificates must not have keyEncipherment, dataEncipherment or keyAgreement',
    descriptionZh: '签名证书的密钥用法不应包含密钥加密、数据加密或密钥协商',
    citation: 'GM/T 0015-2012 附录C.3', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => !!keyUsageOf(ctx.cert),
  execute: (ctx) => {
    const ku = keyUsageOf(ctx.cert)!;
    const bad = (['keyEncipherment', 'dataEncipherment', 'keyAgreement'] as const).filter((b) => ku.bits.has(b));
    return bad.length ? [problem(`signing certificate keyUsage has ${bad.join(', ')}`, ku.node)] : [];
  },
});
