/*
 * RFC 5280 §5.1.2.1: "This optional field describes the version of the encoded CRL. When extensions are used, as
 * required by this profile, this field MUST be present and MUST specify version 2 (the integer value is 1)."
 * GM/T 0015-2012 §5.3 (digest R31 [U]).
 */
import { crlLint, problem } from '../types.ts';

export const lint = crlLint({
  meta: {
    id: 'e_crl_version_not_v2',
    description: 'A CRL with extensions must be version 2',
    descriptionZh: '含扩展项的 CRL 版本应为 v2',
    citation: 'GM/T 0015-2012 §5.3; RFC 5280 §5.1.2.1', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => ctx.crl.extensions.length > 0 || ctx.crl.revoked.some((r) => r.extensions.length > 0) || ctx.crl.version !== 1,
  execute: (ctx) => ctx.crl.version === 2 ? [] : [problem(`CRL version is v${ctx.crl.version}`, ctx.crl.versionNode ?? { node: ctx.crl.tbs, path: 'tbsCertList' })],
});
