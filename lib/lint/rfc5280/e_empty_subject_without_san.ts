/*
 * RFC 5280 §4.1.2.6: "If subject naming information is present only in the subjectAltName extension … then the
 * subject name MUST be an empty sequence and the subjectAltName extension MUST be critical." GM/T 0015-2012 Annex A.2
 * (digest R12 [S]).
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { ext } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'e_empty_subject_without_san',
    description: 'An empty subject requires a critical subjectAltName',
    descriptionZh: '主体名称为空时应包含关键的主体替换名称扩展',
    citation: 'RFC 5280 §4.1.2.6; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'single-source',
  },
  applies: (ctx) => ctx.cert.subject.attrs.length === 0,
  execute: (ctx) => {
    const san = ext(ctx.cert, OID.subjectAltName);
    if (!san) return [problem('subject is empty and there is no subjectAltName', ctx.cert.subject)];
    if (!san.critical) return [problem('subject is empty but subjectAltName is not critical', san)];
    return [];
  },
});
