/*
 * GM/T 0015-2012 Annex C.3/C.4 (digest §4 [V]): end-entity certificates carry basicConstraints cA FALSE (or omit it);
 * RFC 5280 §4.2.1.9: cA TRUE only for CA certificates.
 */
import { basicConstraintsOf } from '../../pki/extensions.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_ee_is_ca', certTypes: ['sign', 'enc', 'ocsp', 'tsa'],
    description: 'End-entity certificates must not assert cA TRUE',
    descriptionZh: '终端实体证书的基本限制不应为 cA 真',
    citation: 'GM/T 0015-2012 附录C.3, C.4; RFC 5280 §4.2.1.9', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => { const bc = basicConstraintsOf(ctx.cert); return bc?.cA ? [problem('end-entity certificate has cA TRUE', bc.node)] : []; },
});
