/*
 * RFC 5280 §4.2.1.9: "CAs MUST NOT include the pathLenConstraint field unless the cA boolean is asserted and the key
 * usage extension, if present, asserts the keyCertSign bit."
 */
import { basicConstraintsOf, keyUsageOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_pathlen_without_certsign',
    description: 'pathLenConstraint requires cA TRUE and (if keyUsage is present) keyCertSign',
    descriptionZh: '仅当 cA 为真且密钥用法含证书签名时才可设置路径长度约束',
    citation: 'RFC 5280 §4.2.1.9', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => basicConstraintsOf(ctx.cert)?.pathLen !== undefined,
  execute: (ctx) => {
    const bc = basicConstraintsOf(ctx.cert)!;
    const ku = keyUsageOf(ctx.cert);
    if (!bc.cA) return [problem('pathLenConstraint present while cA is FALSE', bc.pathLenNode!)];
    if (ku && !ku.bits.has('keyCertSign')) return [problem('pathLenConstraint present but keyUsage lacks keyCertSign', bc.pathLenNode!)];
    return [];
  },
});
