/*
 * GM/T 0015-2012 Annex C.1 (digest §4 [S]/[U]): authorityInfoAccess and extKeyUsage are "X" (must not) in the
 * self-signed root: a root has no issuer to point at, and an EKU would constrain every certificate below it in some
 * verifiers. Kept a warning because the Annex C tables are unverified.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { ext } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'w_root_has_aia_or_eku', certTypes: ['root'],
    description: 'Root CA certificates should not carry authorityInfoAccess or extKeyUsage',
    descriptionZh: '根 CA 证书不宜包含颁发机构信息访问或扩展密钥用法扩展',
    citation: 'GM/T 0015-2012 附录C.1', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => [ext(ctx.cert, OID.authorityInfoAccess), ext(ctx.cert, OID.extKeyUsage)].filter((e) => e !== undefined)
    .map((e) => problem(`root certificate has ${e!.oid === OID.extKeyUsage ? 'extKeyUsage' : 'authorityInfoAccess'}`, e!)),
});
