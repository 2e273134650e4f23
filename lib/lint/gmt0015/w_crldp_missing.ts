/*
 * GM/T 0015-2012 Annex C.2–C.4 (digest §4 [U]): cRLDistributionPoints "S" (should) for sub-CA and end-entity
 * certificates, so relying parties can check revocation.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { hasExt } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'w_crldp_missing', certTypes: ['sub', 'sign', 'enc'],
    description: 'Sub-CA and end-entity certificates should have cRLDistributionPoints',
    descriptionZh: '下级 CA 与终端实体证书宜包含 CRL 分发点扩展',
    citation: 'GM/T 0015-2012 附录C.2–C.4; RFC 5280 §4.2.1.13', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => hasExt(ctx.cert, OID.cRLDistributionPoints) ? [] : [problem('cRLDistributionPoints missing', { node: ctx.cert.tbs, path: 'tbsCertificate' })],
});
