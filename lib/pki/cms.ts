/**
 * GM/T 0010 (GB/T 35275) SM2 message syntax and the PKCS#7 (RFC 2315) structures it is modelled on: ContentInfo,
 * SignedData, EnvelopedData, SignedAndEnvelopedData, as a located view over the DER tree (absolute offsets, paths).
 * Both content-type arcs are read (1.2.156.10197.6.1.4.2.x and 1.2.840.113549.1.7.x) because deployed GM software emits
 * either; which arc was used is itself a lint. Throws Asn1Error with the offset when the structure cannot be read.
 */
import { Asn1Error, decodeOid, parseDer, TAG, tagName, type DerIssue, type Node } from './der.ts';
import { OID } from './oids.ts';
import {
  expect, kids, parseAlgorithmIdentifier, parseCertificate, parseName, parseTime,
  type AlgorithmIdentifier, type Certificate, type Located, type Name, type Time,
} from './x509.ts';

export type CmsFamily = 'gmt0010' | 'pkcs7' | 'other';
export type CmsTypeName = 'data' | 'signedData' | 'envelopedData' | 'signedAndEnvelopedData' | 'encryptedData'
  | 'digestedData' | 'keyAgreementInfo' | 'unknown';

const CONTENT_TYPES: Record<string, { family: CmsFamily; name: CmsTypeName }> = {
  [OID.gmData]: { family: 'gmt0010', name: 'data' },
  [OID.gmSignedData]: { family: 'gmt0010', name: 'signedData' },
  [OID.gmEnvelopedData]: { family: 'gmt0010', name: 'envelopedData' },
  [OID.gmSignedAndEnvelopedData]: { family: 'gmt0010', name: 'signedAndEnvelopedData' },
  [OID.gmEncryptedData]: { family: 'gmt0010', name: 'encryptedData' },
  [OID.gmKeyAgreementInfo]: { family: 'gmt0010', name: 'keyAgreementInfo' },
  [OID.pkcs7Data]: { family: 'pkcs7', name: 'data' },
  [OID.pkcs7SignedData]: { family: 'pkcs7', name: 'signedData' },
  [OID.pkcs7EnvelopedData]: { family: 'pkcs7', name: 'envelopedData' },
  [OID.pkcs7SignedAndEnvelopedData]: { family: 'pkcs7', name: 'signedAndEnvelopedData' },
  [OID.pkcs7DigestedData]: { family: 'pkcs7', name: 'digestedData' },
  [OID.pkcs7EncryptedData]: { family: 'pkcs7', name: 'encryptedData' },
};

export function contentTypeInfo(oid: string): { family: CmsFamily; name: CmsTypeName } {
  return CONTENT_TYPES[oid] ?? { family: 'other', name: 'unknown' };
}

/** The GM/T 0010 OID for the same content type, when there is one (PKCS#7 digestedData has none). */
export function gmContentTypeFor(name: CmsTypeName): string | undefined {
  for (const [oid, t] of Object.entries(CONTENT_TYPES)) if (t.family === 'gmt0010' && t.name === name) return oid;
  return undefined;
}

/** A content-type OBJECT IDENTIFIER met anywhere in the object (outer, inner contentInfo, encryptedContentInfo). */
export interface ContentTypeRef extends Located { oid: string }

export interface IssuerAndSerial extends Located { issuer: Name; serial: Node }

export interface CmsAttribute extends Located { type: string; values: Node[] }

export interface RecipientInfo extends Located {
  version: number | null;
  versionNode: Node;
  rid: IssuerAndSerial;
  keyEncryptionAlgorithm: AlgorithmIdentifier;
  /** the OCTET STRING node; its content is the wrapped key (DER SM2Cipher under SM2) */
  encryptedKey: Node;
}

export interface SignerInfo extends Located {
  version: number | null;
  versionNode: Node;
  sid: IssuerAndSerial;
  digestAlgorithm: AlgorithmIdentifier;
  /** the [0] IMPLICIT node; the signature covers its DER re-tagged as SET (0x31) */
  authenticatedAttributesNode?: Node;
  authenticatedAttributes: CmsAttribute[];
  digestEncryptionAlgorithm: AlgorithmIdentifier;
  encryptedDigest: Node;
  unauthenticatedAttributes: CmsAttribute[];
  /** signingTime attribute, when present */
  signingTime?: Time;
}

export interface EncryptedContentInfo extends Located {
  contentType: ContentTypeRef;
  contentEncryptionAlgorithm: AlgorithmIdentifier;
  /** [0] IMPLICIT OCTET STRING (primitive 0x80 in DER) */
  encryptedContent?: Node;
  sharedInfo1?: Node;
  sharedInfo2?: Node;
}

export interface SignedData extends Located {
  type: 'signedData';
  version: number | null;
  versionNode: Node;
  digestAlgorithms: AlgorithmIdentifier[];
  contentInfo: { node: Node; path: string; contentType: ContentTypeRef; content?: Node };
  certificates: Certificate[];
  crlsNode?: Node;
  signerInfos: SignerInfo[];
}

export interface EnvelopedData extends Located {
  type: 'envelopedData';
  version: number | null;
  versionNode: Node;
  recipientInfos: RecipientInfo[];
  encryptedContentInfo: EncryptedContentInfo;
}

export interface SignedAndEnvelopedData extends Located {
  type: 'signedAndEnvelopedData';
  version: number | null;
  versionNode: Node;
  recipientInfos: RecipientInfo[];
  digestAlgorithms: AlgorithmIdentifier[];
  encryptedContentInfo: EncryptedContentInfo;
  certificates: Certificate[];
  crlsNode?: Node;
  signerInfos: SignerInfo[];
}

export interface Cms {
  kind: 'cms';
  der: Uint8Array;
  node: Node;
  derIssues: DerIssue[];
  contentType: ContentTypeRef;
  family: CmsFamily;
  typeName: CmsTypeName;
  /** the value inside content [0] EXPLICIT */
  content?: Node;
  body?: SignedData | EnvelopedData | SignedAndEnvelopedData;
  // flattened views, so lints need not care which content type carries them
  contentTypes: ContentTypeRef[];
  recipientInfos: RecipientInfo[];
  signerInfos: SignerInfo[];
  digestAlgorithms: AlgorithmIdentifier[];
  encryptedContentInfo?: EncryptedContentInfo;
  /** certificates embedded in [0] certificates */
  certificates: Certificate[];
}

/** Small non-negative INTEGER value (versions), null when negative, empty or larger than 2^31. */
export function smallInt(n: Node): number | null {
  const c = n.content;
  if (c.length === 0 || c.length > 4 || c[0]! & 0x80) return null;
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return v;
}

function parseOidNode(n: Node | undefined, path: string, parent: Node): ContentTypeRef {
  const o = expect(n, TAG.OID, path, parent);
  const oid = decodeOid(o.content);
  if (!oid) throw new Asn1Error(`${path}: malformed OBJECT IDENTIFIER`, o.start, path);
  return { node: o, path, oid };
}

function parseIssuerAndSerial(n: Node | undefined, path: string, parent: Node): IssuerAndSerial {
  const s = expect(n, TAG.SEQUENCE, path, parent);
  const k = kids(s);
  if (k.length !== 2) throw new Asn1Error(`${path}: expected issuer and serialNumber, found ${k.length} elements`, s.start, path);
  return { node: s, path, issuer: parseName(k[0], `${path}.issuer`, s), serial: expect(k[1], TAG.INTEGER, `${path}.serialNumber`, s) };
}

function parseVersion(n: Node | undefined, path: string, parent: Node): { version: number | null; versionNode: Node } {
  const v = expect(n, TAG.INTEGER, path, parent);
  return { version: smallInt(v), versionNode: v };
}

function parseAttributes(wrapper: Node, path: string): CmsAttribute[] {
  if (!wrapper.constructed) throw new Asn1Error(`${path}: [${wrapper.ctx}] must be constructed (SET OF Attribute)`, wrapper.start, path);
  return kids(wrapper).map((a, i) => {
    const p = `${path}[${i}]`;
    expect(a, TAG.SEQUENCE, p);
    const ak = kids(a);
    const type = parseOidNode(ak[0], `${p}.attrType`, a).oid;
    const values = expect(ak[1], TAG.SET, `${p}.attrValues`, a);
    if (ak.length > 2) throw new Asn1Error(`${p}: unexpected element after attrValues`, ak[2]!.start, p);
    return { node: a, path: p, type, values: kids(values) };
  });
}

function parseAlgSet(n: Node | undefined, path: string, parent: Node): AlgorithmIdentifier[] {
  const s = expect(n, TAG.SET, path, parent);
  return kids(s).map((a, i) => parseAlgorithmIdentifier(a, `${path}[${i}]`, s));
}

function parseRecipientInfos(n: Node | undefined, path: string, parent: Node): RecipientInfo[] {
  const s = expect(n, TAG.SET, path, parent);
  return kids(s).map((r, i) => {
    const p = `${path}[${i}]`;
    expect(r, TAG.SEQUENCE, p);
    const k = kids(r);
    if (k.length !== 4) throw new Asn1Error(`${p}: expected 4 elements (version, issuerAndSerialNumber, keyEncryptionAlgorithm, encryptedKey), found ${k.length}`, r.start, p);
    return {
      node: r, path: p, ...parseVersion(k[0], `${p}.version`, r),
      rid: parseIssuerAndSerial(k[1], `${p}.issuerAndSerialNumber`, r),
      keyEncryptionAlgorithm: parseAlgorithmIdentifier(k[2], `${p}.keyEncryptionAlgorithm`, r),
      encryptedKey: expect(k[3], TAG.OCTET_STRING, `${p}.encryptedKey`, r),
    };
  });
}

function parseSignerInfos(n: Node | undefined, path: string, parent: Node): SignerInfo[] {
  const s = expect(n, TAG.SET, path, parent);
  return kids(s).map((si, i) => {
    const p = `${path}[${i}]`;
    expect(si, TAG.SEQUENCE, p);
    const k = kids(si);
    const version = parseVersion(k[0], `${p}.version`, si);
    const sid = parseIssuerAndSerial(k[1], `${p}.issuerAndSerialNumber`, si);
    const digestAlgorithm = parseAlgorithmIdentifier(k[2], `${p}.digestAlgorithm`, si);
    let j = 3;
    let authNode: Node | undefined;
    let authenticatedAttributes: CmsAttribute[] = [];
    if (k[j]?.cls === 2 && k[j]!.num === 0) {
      authNode = k[j]!;
      authenticatedAttributes = parseAttributes(authNode, `${p}.authenticatedAttributes`);
      j++;
    }
    const digestEncryptionAlgorithm = parseAlgorithmIdentifier(k[j], `${p}.digestEncryptionAlgorithm`, si);
    const encryptedDigest = expect(k[j + 1], TAG.OCTET_STRING, `${p}.encryptedDigest`, si);
    j += 2;
    let unauthenticatedAttributes: CmsAttribute[] = [];
    if (k[j]?.cls === 2 && k[j]!.num === 1) {
      unauthenticatedAttributes = parseAttributes(k[j]!, `${p}.unauthenticatedAttributes`);
      j++;
    }
    if (k[j]) throw new Asn1Error(`${p}: unexpected ${tagName(k[j]!.tag)}`, k[j]!.start, p);
    const out: SignerInfo = {
      node: si, path: p, ...version, sid, digestAlgorithm, authenticatedAttributes, digestEncryptionAlgorithm, encryptedDigest,
      unauthenticatedAttributes,
    };
    if (authNode) out.authenticatedAttributesNode = authNode;
    const st = authenticatedAttributes.find((a) => a.type === OID.pkcs9SigningTime);
    if (st) out.signingTime = parseTime(st.values[0], `${st.path}.attrValues[0]`, st.node);
    return out;
  });
}

/**
 * [0] IMPLICIT OCTET STRING (likewise sharedInfo [1], [2]). DER demands the primitive form; the constructed BER form
 * (chunks of OCTET STRING, as streaming encoders emit) is still readable, so it is recorded, not fatal.
 */
function implicitOctets(n: Node, path: string, issues: DerIssue[]): Node {
  if (n.constructed) {
    issues.push({ offset: n.start, message: `${path}: constructed [${n.num}] encoding of an IMPLICIT OCTET STRING (BER, not DER)` });
    for (const c of kids(n)) if (c.tag !== TAG.OCTET_STRING) throw new Asn1Error(`${path}: constructed form holds ${tagName(c.tag)}, expected OCTET STRING chunks`, c.start, path);
  }
  return n;
}

function parseEncryptedContentInfo(n: Node | undefined, path: string, parent: Node, issues: DerIssue[]): EncryptedContentInfo {
  const s = expect(n, TAG.SEQUENCE, path, parent);
  const k = kids(s);
  const out: EncryptedContentInfo = {
    node: s, path,
    contentType: parseOidNode(k[0], `${path}.contentType`, s),
    contentEncryptionAlgorithm: parseAlgorithmIdentifier(k[1], `${path}.contentEncryptionAlgorithm`, s),
  };
  let last = -1;
  for (const x of k.slice(2)) {
    const num = x.cls === 2 ? x.num : -1;
    if (num < 0 || num > 2 || num <= last) throw new Asn1Error(`${path}: unexpected ${tagName(x.tag)}`, x.start, path);
    last = num;
    const name = (['encryptedContent', 'sharedInfo1', 'sharedInfo2'] as const)[num]!;
    out[name] = implicitOctets(x, `${path}.${name}`, issues);
  }
  return out;
}

function parseCertificateSet(n: Node, path: string, buf: Uint8Array): Certificate[] {
  if (!n.constructed) throw new Asn1Error(`${path}: [0] must be constructed (SET OF Certificate)`, n.start, path);
  // only X.509 certificates are read: PKCS#6 extended certificates and attribute certificates are [n]-tagged
  return kids(n).filter((c) => c.tag === TAG.SEQUENCE).map((c) => parseCertificate(buf, c.start, c.end));
}

/** certificates [0] IMPLICIT, crls [1] IMPLICIT, then signerInfos SET: the shared tail of the two signed types. */
function parseSignedTail(k: Node[], from: number, path: string, seq: Node, buf: Uint8Array) {
  let j = from;
  let certificates: Certificate[] = [];
  let crlsNode: Node | undefined;
  if (k[j]?.cls === 2 && k[j]!.num === 0) { certificates = parseCertificateSet(k[j]!, `${path}.certificates`, buf); j++; }
  if (k[j]?.cls === 2 && k[j]!.num === 1) { crlsNode = k[j]!; j++; }
  const signerInfos = parseSignerInfos(k[j], `${path}.signerInfos`, seq);
  j++;
  if (k[j]) throw new Asn1Error(`${path}: unexpected ${tagName(k[j]!.tag)} after signerInfos`, k[j]!.start, path);
  return { certificates, signerInfos, ...(crlsNode ? { crlsNode } : {}) };
}

function explicitContent(n: Node, path: string): Node {
  if (n.tag !== 0xa0) throw new Asn1Error(`${path}: expected [0] EXPLICIT content, found ${tagName(n.tag)}`, n.start, path);
  const k = kids(n);
  if (k.length !== 1) throw new Asn1Error(`${path}: [0] EXPLICIT must hold exactly one value, found ${k.length}`, n.start, path);
  return k[0]!;
}

/**
 * Parses a ContentInfo. `buf` may be a whole file: `start`/`end` bound the object and offsets stay absolute.
 * Content types other than the three signed/enveloped ones are kept as an opaque `content` node.
 */
export function parseCms(buf: Uint8Array, start = 0, end = buf.length): Cms {
  const derIssues: DerIssue[] = [];
  const root = parseDer(buf, derIssues, start, end);
  const P = 'contentInfo';
  expect(root, TAG.SEQUENCE, P);
  const top = kids(root);
  const contentType = parseOidNode(top[0], `${P}.contentType`, root);
  if (top.length > 2) throw new Asn1Error(`${P}: unexpected ${tagName(top[2]!.tag)} after content`, top[2]!.start, P);
  const { family, name } = contentTypeInfo(contentType.oid);
  const cms: Cms = {
    kind: 'cms', der: root.bytes, node: root, derIssues, contentType, family, typeName: name,
    contentTypes: [contentType], recipientInfos: [], signerInfos: [], digestAlgorithms: [], certificates: [],
  };
  if (!top[1]) return cms;
  const content = explicitContent(top[1], `${P}.content`);
  cms.content = content;
  if (name === 'signedData') {
    const S = 'signedData';
    expect(content, TAG.SEQUENCE, S);
    const k = kids(content);
    const ci = expect(k[2], TAG.SEQUENCE, `${S}.contentInfo`, content);
    const cik = kids(ci);
    const inner: SignedData['contentInfo'] = { node: ci, path: `${S}.contentInfo`, contentType: parseOidNode(cik[0], `${S}.contentInfo.contentType`, ci) };
    if (cik[1]) inner.content = explicitContent(cik[1], `${S}.contentInfo.content`);
    if (cik.length > 2) throw new Asn1Error(`${S}.contentInfo: unexpected element after content`, cik[2]!.start, `${S}.contentInfo`);
    const sd: SignedData = {
      type: 'signedData', node: content, path: S, ...parseVersion(k[0], `${S}.version`, content),
      digestAlgorithms: parseAlgSet(k[1], `${S}.digestAlgorithms`, content),
      contentInfo: inner,
      ...parseSignedTail(k, 3, S, content, buf),
    };
    cms.body = sd;
    cms.contentTypes.push(inner.contentType);
    cms.signerInfos = sd.signerInfos;
    cms.digestAlgorithms = sd.digestAlgorithms;
    cms.certificates = sd.certificates;
  } else if (name === 'envelopedData') {
    const E = 'envelopedData';
    expect(content, TAG.SEQUENCE, E);
    const k = kids(content);
    if (k.length > 3) throw new Asn1Error(`${E}: unexpected ${tagName(k[3]!.tag)} after encryptedContentInfo`, k[3]!.start, E);
    const ed: EnvelopedData = {
      type: 'envelopedData', node: content, path: E, ...parseVersion(k[0], `${E}.version`, content),
      recipientInfos: parseRecipientInfos(k[1], `${E}.recipientInfos`, content),
      encryptedContentInfo: parseEncryptedContentInfo(k[2], `${E}.encryptedContentInfo`, content, derIssues),
    };
    cms.body = ed;
    cms.recipientInfos = ed.recipientInfos;
    cms.encryptedContentInfo = ed.encryptedContentInfo;
    cms.contentTypes.push(ed.encryptedContentInfo.contentType);
  } else if (name === 'signedAndEnvelopedData') {
    const E = 'signedAndEnvelopedData';
    expect(content, TAG.SEQUENCE, E);
    const k = kids(content);
    const se: SignedAndEnvelopedData = {
      type: 'signedAndEnvelopedData', node: content, path: E, ...parseVersion(k[0], `${E}.version`, content),
      recipientInfos: parseRecipientInfos(k[1], `${E}.recipientInfos`, content),
      digestAlgorithms: parseAlgSet(k[2], `${E}.digestAlgorithms`, content),
      encryptedContentInfo: parseEncryptedContentInfo(k[3], `${E}.encryptedContentInfo`, content, derIssues),
      ...parseSignedTail(k, 4, E, content, buf),
    };
    cms.body = se;
    cms.recipientInfos = se.recipientInfos;
    cms.signerInfos = se.signerInfos;
    cms.digestAlgorithms = se.digestAlgorithms;
    cms.encryptedContentInfo = se.encryptedContentInfo;
    cms.certificates = se.certificates;
    cms.contentTypes.push(se.encryptedContentInfo.contentType);
  }
  return cms;
}

/** The earliest signingTime of the signers, when any signer carries one. */
export function cmsSigningTime(c: Cms): Date | null {
  let best: Date | null = null;
  for (const s of c.signerInfos) {
    const d = s.signingTime?.date;
    if (d && (!best || d < best)) best = d;
  }
  return best;
}
