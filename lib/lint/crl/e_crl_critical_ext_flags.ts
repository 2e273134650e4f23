/*
 * RFC 5280 §5.2.4: deltaCRLIndicator "is a critical CRL extension"; §5.2.5: issuingDistributionPoint "is a critical
 * CRL extension"; §5.3.3: certificateIssuer entry extension "MUST always be critical". GM/T 0015-2012 §5.3
 * (digest R33/R34 [U]).
 */
import { OID } from '../../pki/oids.ts';
import { crlLint, problem } from '../types.ts';

const MUST_BE_CRITICAL: Record<string, string> = {
  [OID.deltaCRLIndicator]: 'deltaCRLIndicator', [OID.issuingDistributionPoint]: 'issuingDistributionPoint', [OID.certificateIssuer]: 'certificateIssuer',
};

export const lint = crlLint({
  meta: {
    id: 'e_crl_critical_ext_flags',
    description: 'deltaCRLIndicator, issuingDistributionPoint and certificateIssuer must be critical',
    descriptionZh: 'CRL 的增量 CRL 指示符、颁发分发点及条目的证书颁发者扩展应为关键扩展',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.2.4, §5.2.5, §5.3.3', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => [...ctx.crl.extensions, ...ctx.crl.revoked.flatMap((r) => r.extensions)].some((e) => MUST_BE_CRITICAL[e.oid]),
  execute: (ctx) => [...ctx.crl.extensions, ...ctx.crl.revoked.flatMap((r) => r.extensions)]
    .filter((e) => MUST_BE_CRITICAL[e.oid] && !e.critical).map((e) => problem(`${MUST_BE_CRITICAL[e.oid]} is not critical`, e)),
});
