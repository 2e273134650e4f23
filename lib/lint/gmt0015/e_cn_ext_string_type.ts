/*
 * GM/T 0015-2012 §5 (digest §5 [V]): 个人社会保险号 (4.1.2), 企业工商注册号 (4.1.3), 企业组织机构代码 (4.1.4),
 * 企业税号 (4.1.5) are PrintableString. 2023 forms [S]: resident ID 4.1.1.1 PrintableString, passport 4.1.1.2
 * UTF8String, USCC PrintableString (UTF8String seen; see n_cn_ext_utf8).
 */
import { tagName } from '../../pki/der.ts';
import { certLint, problem } from '../types.ts';
import { CN_STRING_TYPES, cnExtensions } from './cn-ext.ts';

export const lint = certLint({
  meta: {
    id: 'e_cn_ext_string_type', certTypes: ['sign', 'enc'],
    description: 'Chinese identity extensions must hold the string type the standard gives (PrintableString; UTF8String where allowed)',
    descriptionZh: '中国特有身份扩展项的值应为标准规定的字符串类型（PrintableString，个别允许 UTF8String）',
    citation: 'GM/T 0015-2012 §5; GM/T 0015-2023 §5', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => cnExtensions(ctx.cert).some((e) => CN_STRING_TYPES[e.oid]),
  execute: (ctx) => {
    const out = [];
    for (const e of cnExtensions(ctx.cert)) {
      const allowed = CN_STRING_TYPES[e.oid];
      if (!allowed) continue;
      let tag: number;
      try { tag = e.inner().tag; } catch { out.push(problem(`${e.oid}: value is not DER`, e.valueNode)); continue; }
      if (!allowed.includes(tag)) out.push(problem(`${e.oid}: value is ${tagName(tag)}, expected ${allowed.map(tagName).join(' or ')}`, e.valueNode));
    }
    return out;
  },
});
