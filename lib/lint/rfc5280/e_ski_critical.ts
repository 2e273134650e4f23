/*
 * RFC 5280 §4.2.1.2: "Conforming CAs MUST mark this extension as non-critical." (subjectKeyIdentifier);
 * GM/T 0015 Annex C (digest §4 [U]).
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';
import { ext } from '../util.ts';

export const lint = certLint({
  meta: {
    id: 'e_ski_critical',
    description: 'subjectKeyIdentifier must be non-critical',
    descriptionZh: '主体密钥标识符扩展应为非关键',
    citation: 'RFC 5280 §4.2.1.2; GM/T 0015-2012 附录C', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  applies: (ctx) => !!ext(ctx.cert, OID.subjectKeyIdentifier),
  execute: (ctx) => { const e = ext(ctx.cert, OID.subjectKeyIdentifier)!; return e.critical ? [problem('subjectKeyIdentifier is marked critical', e)] : []; },
});
