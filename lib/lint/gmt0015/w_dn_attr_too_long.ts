/*
 * X.520 upper bounds (digest R16 [V]): ub-common-name, ub-organization-name, ub-organizational-unit-name, ub-title 64;
 * ub-locality-name, ub-state-name 128; ub-serial-number 64; ub-pseudonym 128; emailAddress 255 (RFC 5280 App. A).
 */
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

const UB: Record<string, number> = {
  [OID.commonName]: 64, [OID.organizationName]: 64, [OID.organizationalUnitName]: 64, [OID.title]: 64,
  [OID.localityName]: 128, [OID.stateOrProvinceName]: 128, [OID.serialNumber]: 64, [OID.pseudonym]: 128, [OID.emailAddress]: 255,
};

export const lint = certLint({
  meta: {
    id: 'w_dn_attr_too_long',
    description: 'Name attributes should respect the X.520 upper bounds (CN/O/OU/title 64, L/ST 128)',
    descriptionZh: '名称属性长度宜符合 X.520 上限（CN/O/OU/title 64，L/ST 128 个字符）',
    citation: 'X.520 Annex A (upper bounds); RFC 5280 附录A', source: 'X.520', editions: ['2012', '2023'], basis: 'verified',
  },
  execute: (ctx) => ctx.cert.subject.attrs.filter((a) => UB[a.type] !== undefined && a.text !== null && [...a.text].length > UB[a.type]!)
    .map((a) => problem(`${a.type} has ${[...a.text!].length} characters (upper bound ${UB[a.type]})`, a)),
});
