/*
 * RFC 5280 §4.2.1.9: "Conforming CAs MUST include this extension in all CA certificates that contain public keys used
 * to validate digital signatures on certificates and MUST mark the extension as critical in such certificates."
 * GM/T 0015-2012 Annex C.1/C.2: basicConstraints mandatory, critical, cA TRUE (digest §4 [V]).
 */
import { basicConstraintsOf } from '../../pki/extensions.ts';
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { ext } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'e_ca_bc_missing_or_not_critical', certTypes: ['root', 'sub'],
    description: 'CA certificates must carry a critical basicConstraints with cA TRUE',
    descriptionZh: 'CA 证书应包含关键的基本限制扩展且 cA 为真',
    citation: 'GM/T 0015-2012 附录C.1, C.2; RFC 5280 §4.2.1.9', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => {
    const e = ext(ctx.cert, OID.basicConstraints);
    if (!e) return [problem('basicConstraints missing', { node: ctx.cert.tbs, path: 'tbsCertificate' })];
    const bc = basicConstraintsOf(ctx.cert);
    const out = [];
    if (!e.critical) out.push(problem('basicConstraints is not critical', e));
    if (bc && !bc.cA) out.push(problem('basicConstraints cA is FALSE', e));
    return out;
  },
});
