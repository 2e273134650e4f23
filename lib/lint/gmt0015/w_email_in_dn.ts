/*
 * Digest R17 [U] / RFC 5280 §4.1.2.6: emailAddress in the DN is deprecated — "conforming implementations generating
 * new certificates with electronic mail addresses MUST use the rfc822Name in the subject alternative name"; where it is
 * kept it must be IA5String.
 */
import { TAG, tagName } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'w_email_in_dn',
    description: 'emailAddress in the subject DN should be replaced by a subjectAltName rfc822Name (and must be IA5String)',
    descriptionZh: '电子邮件地址宜放在主体替换名称（rfc822Name）中；若在 DN 中应为 IA5String',
    citation: 'RFC 5280 §4.1.2.6; GM/T 0015-2012 附录A.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => ctx.cert.subject.attrs.filter((a) => a.type === OID.emailAddress)
    .map((a) => problem(a.valueNode.tag === TAG.IA5String ? 'emailAddress in subject DN' : `emailAddress in subject DN as ${tagName(a.valueNode.tag)}`, a)),
});
