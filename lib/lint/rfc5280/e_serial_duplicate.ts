/*
 * RFC 5280 §4.1.2.2: "The serial number … MUST be unique for each certificate issued by a given CA (i.e., the issuer
 * name and serial number identify a unique certificate)." GM/T 0015-2012 附录A.2 (digest R03 [S]). Judged across every
 * certificate of one run, so pointing the linter at a CA's whole issuance (or a directory dump) finds reused serials.
 */
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'e_serial_duplicate',
    description: 'Issuer name and serial number must identify one certificate: no two distinct certificates may share them',
    descriptionZh: '同一签发者的证书序列号应唯一：不同证书不应具有相同的签发者名称与序列号',
    citation: 'RFC 5280 §4.1.2.2; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => !!ctx.corpus,
  execute: (ctx) => {
    const twins = ctx.corpus!.twins(ctx.cert);
    if (!twins.length) return [];
    const serial = Buffer.from(ctx.cert.serial.content).toString('hex');
    return [problem(`serial number ${serial} is also used by ${twins.length} other certificate(s) of the same issuer`, ctx.cert.serial)];
  },
});
