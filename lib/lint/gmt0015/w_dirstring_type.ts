/*
 * GM/T 0015-2012 Annex A.2 (digest R15 [U]): DirectoryString values as PrintableString or UTF8String (Chinese in
 * UTF8String); RFC 5280 §4.1.2.6: "CAs conforming to this profile MUST use either the PrintableString or UTF8String
 * encoding of DirectoryString" (with legacy exceptions) → warning on T61String, BMPString, UniversalString.
 */
import { TAG, tagName } from '../../pki/der.ts';
import { OID } from '../../pki/oids.ts';
import { certLint, problem } from '../types.ts';

const DIRECTORY_STRING_ATTRS = new Set<string>([OID.commonName, OID.organizationName, OID.organizationalUnitName,
  OID.localityName, OID.stateOrProvinceName, OID.title, OID.surname, OID.givenName, OID.pseudonym, OID.streetAddress]);

export const lint = certLint({
  meta: {
    id: 'w_dirstring_type',
    description: 'DirectoryString attributes should be PrintableString or UTF8String',
    descriptionZh: '名称属性（DirectoryString）宜采用 PrintableString 或 UTF8String（中文用 UTF8String）',
    citation: 'GM/T 0015-2012 附录A.2; RFC 5280 §4.1.2.6', source: 'GM/T 0015', editions: ['2012', '2023'], basis: 'unverified',
  },
  execute: (ctx) => ctx.cert.subject.attrs.filter((a) => DIRECTORY_STRING_ATTRS.has(a.type)
    && a.valueNode.tag !== TAG.PrintableString && a.valueNode.tag !== TAG.UTF8String)
    .map((a) => problem(`${a.type} is ${tagName(a.valueNode.tag)}`, a)),
});
