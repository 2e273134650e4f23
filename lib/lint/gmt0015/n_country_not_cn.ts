/*
 * GM/T 0015-2012 Annex B examples use C=CN (digest R14 [V]: value ≠ CN → INFO). Not an error — foreign subjects
 * exist — but worth an assessor's glance in a domestic GM PKI.
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

export const lint = certLint({
  meta: {
    id: 'n_country_not_cn',
    description: 'Subject countryName is not CN',
    descriptionZh: '主体国家名称不是 CN',
    citation: 'GM/T 0015-2012 附录B', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: (ctx) => ctx.cert.subject.attrs.some((a) => a.type === OID.countryName),
  execute: (ctx) => ctx.cert.subject.attrs.filter((a) => a.type === OID.countryName && a.text !== 'CN')
    .map((a) => problem(`countryName is "${a.text}"`, a)),
});
