/** Decoders for the extension values lints look at (RFC 5280 §4.2). Each throws Asn1Error with an offset when malformed. */
import { Asn1Error, decodeOid, Node, TAG, tagName } from './der.ts';
import { OID } from './oids.ts';
import { expect, findExtension, kids, type Certificate, type Extension } from './x509.ts';

export const KU_BITS = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign',
  'encipherOnly', 'decipherOnly',
] as const;
export type KeyUsageBit = (typeof KU_BITS)[number];

export interface KeyUsage { bits: Set<KeyUsageBit>; node: Node; unusedBits: number; trailingZeroBits: boolean }

export function decodeKeyUsage(ext: Extension): KeyUsage {
  const n = expect(ext.inner(), TAG.BIT_STRING, `${ext.path}.value`);
  const c = n.content;
  if (c.length === 0 || c[0]! > 7) throw new Asn1Error(`${ext.path}: malformed BIT STRING`, n.start, ext.path);
  const unused = c[0]!;
  const bits = new Set<KeyUsageBit>();
  for (let i = 0; i < KU_BITS.length; i++) {
    const byte = c[1 + (i >> 3)];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) bits.add(KU_BITS[i]!);
  }
  // DER (X.690 §11.2.2): named bit lists carry no trailing zero bits
  let trailingZeroBits = false;
  if (c.length > 1) {
    const last = c[c.length - 1]!;
    if (last === 0) trailingZeroBits = true;
    else if (unused > 0 && (last & ((1 << unused) - 1)) !== 0) trailingZeroBits = true; // unused bits must be zero
    else if ((last & (1 << unused)) === 0) trailingZeroBits = true; // lowest used bit is 0 → should have been dropped
  }
  return { bits, node: n, unusedBits: unused, trailingZeroBits };
}

export interface BasicConstraints { cA: boolean; cANode?: Node; pathLen?: number; pathLenNode?: Node; node: Node }

export function decodeBasicConstraints(ext: Extension): BasicConstraints {
  const seq = expect(ext.inner(), TAG.SEQUENCE, `${ext.path}.value`);
  const k = kids(seq);
  const r: BasicConstraints = { cA: false, node: seq };
  let i = 0;
  if (k[0]?.tag === TAG.BOOLEAN) {
    r.cANode = k[0];
    r.cA = k[0].content[0] !== 0;
    i = 1;
  }
  if (k[i]) {
    const p = expect(k[i], TAG.INTEGER, `${ext.path}.pathLenConstraint`);
    if (p.len > 4 || p.content[0]! & 0x80) throw new Asn1Error(`${ext.path}: pathLenConstraint out of range`, p.start, ext.path);
    let v = 0;
    for (const b of p.content) v = v * 256 + b;
    r.pathLen = v;
    r.pathLenNode = p;
    i++;
  }
  if (k.length > i) throw new Asn1Error(`${ext.path}: unexpected element ${tagName(k[i]!.tag)}`, k[i]!.start, ext.path);
  return r;
}

export function decodeOidList(ext: Extension): string[] {
  const seq = expect(ext.inner(), TAG.SEQUENCE, `${ext.path}.value`);
  return kids(seq).map((n) => {
    expect(n, TAG.OID, `${ext.path}.purpose`);
    const o = decodeOid(n.content);
    if (!o) throw new Asn1Error(`${ext.path}: malformed OBJECT IDENTIFIER`, n.start, ext.path);
    return o;
  });
}

export interface AuthorityKeyId { keyIdentifier?: Uint8Array; keyIdNode?: Node; hasIssuerAndSerial: boolean; node: Node }

export function decodeAki(ext: Extension): AuthorityKeyId {
  const seq = expect(ext.inner(), TAG.SEQUENCE, `${ext.path}.value`);
  const r: AuthorityKeyId = { hasIssuerAndSerial: false, node: seq };
  for (const n of kids(seq)) {
    if (n.tag === 0x80) { r.keyIdentifier = n.content; r.keyIdNode = n; }
    else if (n.tag === 0xa1 || n.tag === 0x82) r.hasIssuerAndSerial = true;
    else throw new Asn1Error(`${ext.path}: unexpected ${tagName(n.tag)}`, n.start, ext.path);
  }
  return r;
}

export function decodeSki(ext: Extension): Uint8Array {
  return expect(ext.inner(), TAG.OCTET_STRING, `${ext.path}.value`).content;
}

export interface GeneralName { tag: number; node: Node; text?: string }

export function decodeGeneralNames(seq: Node, path: string): GeneralName[] {
  return kids(seq).map((n) => {
    if (n.cls !== 2) throw new Asn1Error(`${path}: GeneralName must be context-tagged, found ${tagName(n.tag)}`, n.start, path);
    const g: GeneralName = { tag: n.num, node: n };
    if (!n.constructed && (n.num === 1 || n.num === 2 || n.num === 6)) g.text = Buffer.from(n.content).toString('latin1');
    return g;
  });
}

export function decodeSan(ext: Extension): GeneralName[] {
  return decodeGeneralNames(expect(ext.inner(), TAG.SEQUENCE, `${ext.path}.value`), ext.path);
}

export interface DistributionPoint { fullNames: GeneralName[]; hasRelativeName: boolean; hasReasons: boolean; hasCrlIssuer: boolean }

export function decodeCrlDp(ext: Extension): DistributionPoint[] {
  const seq = expect(ext.inner(), TAG.SEQUENCE, `${ext.path}.value`);
  return kids(seq).map((dp) => {
    expect(dp, TAG.SEQUENCE, `${ext.path}.distributionPoint`);
    const r: DistributionPoint = { fullNames: [], hasRelativeName: false, hasReasons: false, hasCrlIssuer: false };
    for (const f of kids(dp)) {
      if (f.tag === 0xa0) {
        const dpn = kids(f)[0];
        if (!dpn) throw new Asn1Error(`${ext.path}: empty distributionPoint`, f.start, ext.path);
        if (dpn.tag === 0xa0) r.fullNames = decodeGeneralNames(dpn, ext.path);
        else if (dpn.tag === 0xa1) r.hasRelativeName = true;
        else throw new Asn1Error(`${ext.path}: unexpected ${tagName(dpn.tag)} in DistributionPointName`, dpn.start, ext.path);
      } else if (f.tag === 0x81) r.hasReasons = true;
      else if (f.tag === 0xa2) r.hasCrlIssuer = true;
      else throw new Asn1Error(`${ext.path}: unexpected ${tagName(f.tag)} in DistributionPoint`, f.start, ext.path);
    }
    return r;
  });
}

export interface AccessDescription { method: string; location: GeneralName }

export function decodeAia(ext: Extension): AccessDescription[] {
  const seq = expect(ext.inner(), TAG.SEQUENCE, `${ext.path}.value`);
  return kids(seq).map((ad) => {
    expect(ad, TAG.SEQUENCE, `${ext.path}.accessDescription`);
    const k = kids(ad);
    const on = expect(k[0], TAG.OID, `${ext.path}.accessMethod`, ad);
    const method = decodeOid(on.content) ?? '';
    if (!k[1] || k[1].cls !== 2) throw new Asn1Error(`${ext.path}: accessLocation missing`, ad.start, ext.path);
    const loc: GeneralName = { tag: k[1].num, node: k[1] };
    if (!k[1].constructed) loc.text = Buffer.from(k[1].content).toString('latin1');
    return { method, location: loc };
  });
}

// Convenience accessors that return undefined when the extension is absent or malformed (lints that care about
// malformation have their own lint; others should not crash on it).
function safe<T>(f: () => T): T | undefined { try { return f(); } catch { return undefined; } }

export function keyUsageOf(c: Certificate): KeyUsage | undefined {
  const e = findExtension(c.extensions, OID.keyUsage);
  return e && safe(() => decodeKeyUsage(e));
}
export function basicConstraintsOf(c: Certificate): BasicConstraints | undefined {
  const e = findExtension(c.extensions, OID.basicConstraints);
  return e && safe(() => decodeBasicConstraints(e));
}
export function ekuOf(c: Certificate): string[] | undefined {
  const e = findExtension(c.extensions, OID.extKeyUsage);
  return e && safe(() => decodeOidList(e));
}
export function skiOf(c: Certificate): Uint8Array | undefined {
  const e = findExtension(c.extensions, OID.subjectKeyIdentifier);
  return e && safe(() => decodeSki(e));
}
export function akiOf(exts: Extension[]): AuthorityKeyId | undefined {
  const e = findExtension(exts, OID.authorityKeyIdentifier);
  return e && safe(() => decodeAki(e));
}
