/*
 * RFC 3161 §2.3: "The corresponding certificate MUST contain only one instance of the extended key usage field
 * extension as defined in [RFC2459] Section 4.2.1.13 with KeyPurposeID having value: id-kp-timeStamping. This
 * extension MUST be critical." GM/T 0037 8.14 (time-stamp service of a CA system) builds on RFC 3161.
 * A non-critical EKU lets verifiers that ignore EKU accept the TSA key for any purpose.
 */
import { ekuOf } from '../../pki/extensions.ts';
import { OID } from '../../pki/oids.ts';
import { certLint, problem, type Problem } from '../types.ts';
import { ext } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'e_tsa_eku_not_sole_critical', certTypes: ['tsa'],
    description: 'A TSA certificate must carry one critical extKeyUsage with id-kp-timeStamping only',
    descriptionZh: '时间戳服务证书应含唯一且为关键的扩展密钥用法，且只含 id-kp-timeStamping',
    citation: 'RFC 3161 §2.3; GM/T 0037-2012 8.14', source: 'RFC 3161', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => {
    const e = ext(ctx.cert, OID.extKeyUsage);
    if (!e) return [problem('extKeyUsage missing', { node: ctx.cert.tbs, path: 'tbsCertificate' })];
    const out: Problem[] = [];
    if (ctx.cert.extensions.filter((x) => x.oid === OID.extKeyUsage).length > 1) out.push(problem('more than one extKeyUsage extension', e));
    if (!e.critical) out.push(problem('extKeyUsage is not critical', e));
    const purposes = ekuOf(ctx.cert) ?? [];
    if (purposes.length !== 1 || purposes[0] !== OID.kpTimeStamping) out.push(problem(`extKeyUsage is (${purposes.join(', ')}), expected id-kp-timeStamping only`, e));
    return out;
  },
});
