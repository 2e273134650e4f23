/*
 * GM/T 0015-2012 §5 (digest §5 [V]): "IdentifyCode ::= CHOICE { residenterCardNumber [0] PrintableString,
 * militaryOfficerCardNumber [1] UTF8String, passportNumber [2] PrintableString }" under OID 1.2.156.10260.4.1.1.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { ext } from '../util.ts';
import { decodeIdentifyCode } from './cn-ext.ts';

export const lint = certLint({
  meta: {
    id: 'e_identifycode_syntax', certTypes: ['sign', 'enc'], editions: ['2012', '2023'],
    description: 'IdentifyCode (个人身份标识码) must be a CHOICE of [0] PrintableString, [1] UTF8String, [2] PrintableString',
    descriptionZh: '个人身份标识码扩展应为 [0] PrintableString、[1] UTF8String 或 [2] PrintableString 之一',
    citation: 'GM/T 0015-2012 §5 (个人身份标识码)', source: 'GM/T 0015', basis: 'verified',
  },
  applies: (ctx) => !!ext(ctx.cert, OID.cnIdentifyCode),
  execute: (ctx) => {
    const e = ext(ctx.cert, OID.cnIdentifyCode)!;
    try { decodeIdentifyCode(e); return []; } catch (why) { return [problem(typeof why === 'string' ? why : (why as Error).message, e.valueNode)]; }
  },
});
