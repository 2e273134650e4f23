/*
 * GM/T 0015-2012 Annex C.3/C.4 (digest §4 [V]): keyCertSign and cRLSign are forbidden in end-entity certificates;
 * RFC 5280 §4.2.1.3: keyCertSign only when cA is TRUE.
 */
import { keyUsageOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_ee_ku_certsign', certTypes: ['sign', 'enc', 'ocsp', 'tsa'],
    description: 'End-entity certificates must not have keyCertSign or cRLSign',
    descriptionZh: '终端实体证书的密钥用法不应包含证书签名或 CRL 签名',
    citation: 'GM/T 0015-2012 附录C.3, C.4; RFC 5280 §4.2.1.3', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => !!keyUsageOf(ctx.cert),
  execute: (ctx) => {
    const ku = keyUsageOf(ctx.cert)!;
    const bad = (['keyCertSign', 'cRLSign'] as const).filter((b) => ku.bits.has(b));
    return bad.length ? [problem(`end-entity keyUsage has ${bad.join(', ')}`, ku.node)] : [];
  },
});
