/*
 * X.690 §10 (DER) — GM/T 0010-2012 objects are exchanged DER-encoded in practice, and the SignerInfo signature covers the
 * DER of the authenticated attributes (RFC 2315 §9.3), so BER forms (long-form short lengths, constructed IMPLICIT
 * OCTET STRING content) break re-encoding verifiers. [U]: the DER requirement for the whole message is practice, hence
 * a warning.
 */
import { cmsLint } from '../types.ts';

export const lint = cmsLint({
  meta: {
    id: 'w_cms_not_der',
    description: 'the CMS / GM/T 0010 object is readable but not DER (BER length or constructed-string forms)',
    descriptionZh: '消息结构可读但不是 DER 编码（BER 长度或构造型字符串）',
    citation: 'X.690 §10; GM/T 0010-2012 (practice)',
    source: 'GM/T 0010', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => ctx.cms.derIssues.map((i) => ({ message: i.message, offset: i.offset })),
});
