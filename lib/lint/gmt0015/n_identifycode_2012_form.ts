/*
 * GM/T 0015-2023 foreword (digest §1, §2 [S]): 个人身份标识码 was redefined — the 2023 edition uses separate OIDs
 * 1.2.156.10260.4.1.1.1 (居民身份证号) and 1.2.156.10260.4.1.1.2 (护照号) instead of the 2012 IdentifyCode CHOICE
 * under 1.2.156.10260.4.1.1. A 2012-form extension in a certificate issued under the 2023 edition → notice.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { ext } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'n_identifycode_2012_form', certTypes: ['sign', 'enc'],
    description: 'The 2012 IdentifyCode form (1.2.156.10260.4.1.1 CHOICE) is used where the 2023 edition defines 4.1.1.1 / 4.1.1.2',
    descriptionZh: '使用了 2012 版个人身份标识码（…4.1.1 CHOICE），2023 版改为 …4.1.1.1（居民身份证号）/ …4.1.1.2（护照号）',
    citation: 'GM/T 0015-2023 前言, §5', source: 'GM/T 0015', editions: ['2023'], basis: 'single-source',
  },
  applies: (ctx) => ctx.cert.extensions.some((e) => e.oid === OID.cnIdentifyCode || e.oid === OID.cnResidentIdNumber2023 || e.oid === OID.cnPassportNumber2023),
  execute: (ctx) => { const e = ext(ctx.cert, OID.cnIdentifyCode); return e ? [problem('IdentifyCode in its 2012 form', e)] : []; },
});
