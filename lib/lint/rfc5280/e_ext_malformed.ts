/*
 * RFC 5280 §4.2: each extension's extnValue "contains the DER encoding of an ASN.1 value corresponding to the
 * extension type identified by extnID". An undecodable value is not the extension it claims to be.
 */
import { Asn1Error } from '../../pki/der.ts';
import {
  decodeAia, decodeAki, decodeBasicConstraints, decodeCrlDp, decodeKeyUsage, decodeOidList, decodeSan, decodeSki,
} from '../../pki/extensions.ts';
import { OID } from '../../pki/oids.ts';
import type { Extension } from '../../pki/x509.ts';
import { type Lint, type LintContext, type Problem } from '../types.ts';

const DECODERS: Record<string, (e: Extension) => unknown> = {
  [OID.keyUsage]: decodeKeyUsage, [OID.basicConstraints]: decodeBasicConstraints, [OID.extKeyUsage]: decodeOidList,
  [OID.authorityKeyIdentifier]: decodeAki, [OID.subjectKeyIdentifier]: decodeSki, [OID.subjectAltName]: decodeSan,
  [OID.cRLDistributionPoints]: decodeCrlDp, [OID.authorityInfoAccess]: decodeAia,
};

export function malformed(exts: Extension[]): Problem[] {
  const out: Problem[] = [];
  for (const e of exts) {
    try {
      const inner = e.inner(); // every extension value must at least be one DER TLV
      const dec = DECODERS[e.oid];
      if (dec) dec(e);
      else if (!inner) throw new Asn1Error('empty', e.valueNode.start);
    } catch (err) {
      const a = err as Asn1Error;
      out.push({ message: `${e.path}: ${a.message}`, offset: typeof a.offset === 'number' ? a.offset : e.valueNode.start });
    }
  }
  return out;
}

export const lint: Lint = {
  meta: {
    id: 'e_ext_malformed', target: ['certificate', 'crl'],
    description: 'Extension values must decode as the type their OID names',
    descriptionZh: '扩展项的值应能按其 OID 所指类型正确解码',
    citation: 'RFC 5280 §4.2, §5.2', source: 'RFC 5280', editions: ['2012', '2023'], basis: 'verified',
  },
  applies: () => true,
  execute: (ctx: LintContext) => ctx.kind === 'certificate' ? malformed(ctx.cert.extensions)
    : ctx.kind === 'crl' ? [...malformed(ctx.crl.extensions), ...ctx.crl.revoked.flatMap((r) => malformed(r.extensions))] : [],
};
