/*
 * GM/T 0015-2012 Annex C.4 (digest §4 [V]): the encryption certificate must not have digitalSignature,
 * nonRepudiation, keyCertSign or cRLSign — its private key is escrowed by the KM centre, so signatures made with it
 * prove nothing about the subscriber.
 */
import { keyUsageOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_enc_cert_has_signature_bits', certTypes: ['enc'],
    description: 'Encryption certificates must not have digitalSignature, nonRepudiation, keyCertSign or cRLSign',
    descriptionZh: '加密证书的密钥用法不应包含数字签名、不可否认、证书签名或 CRL 签名',
    citation: 'GM/T 0015-2012 附录C.4', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => !!keyUsageOf(ctx.cert),
  execute: (ctx) => {
    const ku = keyUsageOf(ctx.cert)!;
    const bad = (['digitalSignature', 'nonRepudiation', 'keyCertSign', 'cRLSign'] as const).filter((b) => ku.bits.has(b));
    return bad.length ? [problem(`encryption certificate keyUsage has ${bad.join(', ')}`, ku.node)] : [];
  },
});
