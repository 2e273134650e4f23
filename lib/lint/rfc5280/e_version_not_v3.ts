/*
 * RFC 5280 §4.1.2.1: "When extensions are used, as expected in this profile, version MUST be 3 (value is 2)."
 * GM/T 0015-2012 Annex A.2 (digest R02 [U]): version v3 when extensions are present.
 */
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_version_not_v3',
    description: 'A certificate with extensions must be version 3',
    descriptionZh: '含扩展项的证书版本应为 v3',
    citation: 'RFC 5280 §4.1.2.1; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => ctx.cert.extensions.length > 0 || ctx.cert.extensionsNode !== undefined || ctx.cert.version !== 3,
  execute: (ctx) => {
    const c = ctx.cert;
    if (c.version === 3) return [];
    return [problem(`version is v${c.version}${c.extensionsNode ? ' but extensions are present' : ''}`, c.versionNode ?? c.tbs)];
  },
});
