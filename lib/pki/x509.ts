/**
 * Certificate structure (RFC 5280 §4.1, GM/T 0015 §5.2 / Annex A) as a thin typed view over the DER tree: every field
 * keeps its Node so lints can report `path` and absolute byte `offset`.
 */
import { Asn1Error, decodeOid, decodeString, Node, parseDer, TAG, tagName, type DerIssue } from './der.ts';
import { OID } from './oids.ts';

export interface Located { node: Node; path: string }

export interface AlgorithmIdentifier extends Located {
  oid: string;
  /** absent → undefined; otherwise the parameters node (NULL included) */
  params?: Node;
}

export interface AttributeValue extends Located {
  type: string;
  valueNode: Node;
  /** decoded text, null when the octets are invalid for the string type or the value is not a string */
  text: string | null;
}

export interface Name extends Located {
  rdns: AttributeValue[][];
  /** flat list of attributes in order */
  attrs: AttributeValue[];
}

export interface Time extends Located {
  kind: 'UTCTime' | 'GeneralizedTime';
  raw: string;
  /** null when the text is not a valid DER time of its kind */
  date: Date | null;
  /** why `date` is null, or which DER rule the text breaks */
  problem?: string;
}

export interface Extension extends Located {
  oid: string;
  critical: boolean;
  /** the BOOLEAN node when `critical` was encoded (encoding FALSE breaks DER's DEFAULT rule) */
  criticalNode?: Node;
  /** the OCTET STRING node wrapping extnValue */
  valueNode: Node;
  /** the DER inside extnValue, parsed lazily; an Asn1Error when it is malformed */
  inner(): Node;
}

export interface SubjectPublicKeyInfo extends Located {
  algorithm: AlgorithmIdentifier;
  keyNode: Node;
  unusedBits: number;
  publicKey: Uint8Array;
}

export interface BitStringValue extends Located { unusedBits: number; bytes: Uint8Array }

export interface Certificate {
  kind: 'certificate';
  /** the certificate's own DER bytes */
  der: Uint8Array;
  node: Node;
  /** DER violations seen while parsing the outer structure */
  derIssues: DerIssue[];
  tbs: Node;
  version: number;
  versionNode?: Node;
  serial: Located & { content: Uint8Array };
  innerSignature: AlgorithmIdentifier;
  issuer: Name;
  notBefore: Time;
  notAfter: Time;
  validity: Node;
  subject: Name;
  spki: SubjectPublicKeyInfo;
  issuerUniqueId?: Node;
  subjectUniqueId?: Node;
  extensionsNode?: Node;
  extensions: Extension[];
  signatureAlgorithm: AlgorithmIdentifier;
  signature: BitStringValue;
}

// ---------------------------------------------------------------------------------------------------------------

export function expect(node: Node | undefined, tag: number, path: string, parent?: Node): Node {
  if (!node) throw new Asn1Error(`${path}: missing (expected ${tagName(tag)})`, parent ? parent.end : 0, path);
  if (node.tag !== tag) throw new Asn1Error(`${path}: expected ${tagName(tag)}, found ${tagName(node.tag)}`, node.start, path);
  return node;
}

export function kids(node: Node): Node[] { return node.children ?? []; }

export function parseAlgorithmIdentifier(node: Node | undefined, path: string, parent?: Node): AlgorithmIdentifier {
  const seq = expect(node, TAG.SEQUENCE, path, parent);
  const k = kids(seq);
  const oidNode = expect(k[0], TAG.OID, `${path}.algorithm`, seq);
  const oid = decodeOid(oidNode.content);
  if (!oid) throw new Asn1Error(`${path}.algorithm: malformed OBJECT IDENTIFIER`, oidNode.start, path);
  if (k.length > 2) throw new Asn1Error(`${path}: ${k.length - 2} unexpected elements after parameters`, k[2]!.start, path);
  const r: AlgorithmIdentifier = { node: seq, path, oid };
  if (k[1]) r.params = k[1];
  return r;
}

export function parseName(node: Node | undefined, path: string, parent?: Node): Name {
  const seq = expect(node, TAG.SEQUENCE, path, parent);
  const rdns: AttributeValue[][] = [];
  const attrs: AttributeValue[] = [];
  kids(seq).forEach((setNode, i) => {
    const rp = `${path}.rdn[${i}]`;
    expect(setNode, TAG.SET, rp);
    const rdn: AttributeValue[] = [];
    const members = kids(setNode);
    if (members.length === 0) throw new Asn1Error(`${rp}: empty RelativeDistinguishedName`, setNode.start, rp);
    members.forEach((atv, j) => {
      const ap = members.length > 1 ? `${rp}[${j}]` : rp;
      expect(atv, TAG.SEQUENCE, ap);
      const ak = kids(atv);
      const tn = expect(ak[0], TAG.OID, `${ap}.type`, atv);
      const type = decodeOid(tn.content);
      if (!type) throw new Asn1Error(`${ap}.type: malformed OBJECT IDENTIFIER`, tn.start, ap);
      const vn = ak[1];
      if (!vn || ak.length !== 2) throw new Asn1Error(`${ap}: AttributeTypeAndValue must have exactly type and value`, atv.start, ap);
      const text = vn.constructed ? null : decodeString(vn.tag, vn.content);
      const a: AttributeValue = { node: atv, path: ap, type, valueNode: vn, text };
      rdn.push(a);
      attrs.push(a);
    });
    rdns.push(rdn);
  });
  return { node: seq, path, rdns, attrs };
}

const UTC_RE = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GEN_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/** Parses UTCTime / GeneralizedTime; DER-incorrect forms (no seconds, offsets, fractions) give date=null + problem. */
export function parseTime(node: Node | undefined, path: string, parent?: Node): Time {
  if (!node) throw new Asn1Error(`${path}: missing time`, parent ? parent.end : 0, path);
  if (node.tag !== TAG.UTCTime && node.tag !== TAG.GeneralizedTime) {
    throw new Asn1Error(`${path}: expected UTCTime or GeneralizedTime, found ${tagName(node.tag)}`, node.start, path);
  }
  const kind = node.tag === TAG.UTCTime ? 'UTCTime' : 'GeneralizedTime';
  const raw = decodeString(TAG.IA5String, node.content) ?? '';
  const m = (kind === 'UTCTime' ? UTC_RE : GEN_RE).exec(raw);
  const t: Time = { node, path, kind, raw, date: null };
  if (!m) {
    t.problem = kind === 'UTCTime'
      ? `"${raw}" is not YYMMDDHHMMSSZ`
      : `"${raw}" is not YYYYMMDDHHMMSSZ (no fractions, no offset)`;
    return t;
  }
  let year = Number(m[1]);
  if (kind === 'UTCTime') year += year >= 50 ? 1900 : 2000;
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    t.problem = `"${raw}" is not a valid calendar time`;
    return t;
  }
  // Date.UTC maps years 0..99 to 1900..1999
  if (year < 100) date.setUTCFullYear(year);
  t.date = date;
  return t;
}

/** Extensions inside an EXPLICIT tag ([3] in certificates, [0] in CRLs, [1] in OCSP). */
export function parseExtensions(wrapper: Node, path: string): Extension[] {
  const seq = expect(kids(wrapper)[0], TAG.SEQUENCE, path, wrapper);
  if (kids(wrapper).length !== 1) throw new Asn1Error(`${path}: explicit tag must wrap exactly one SEQUENCE`, wrapper.start, path);
  return parseExtensionList(seq, path);
}

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension */
export function parseExtensionList(seq: Node, path: string): Extension[] {
  return kids(seq).map((e, i) => {
    const ep = `${path}[${i}]`;
    expect(e, TAG.SEQUENCE, ep);
    const k = kids(e);
    const on = expect(k[0], TAG.OID, `${ep}.extnID`, e);
    const oid = decodeOid(on.content);
    if (!oid) throw new Asn1Error(`${ep}.extnID: malformed OBJECT IDENTIFIER`, on.start, ep);
    let idx = 1;
    let criticalNode: Node | undefined;
    let critical = false;
    if (k[1]?.tag === TAG.BOOLEAN) {
      criticalNode = k[1];
      if (criticalNode.len !== 1) throw new Asn1Error(`${ep}.critical: BOOLEAN must be one octet`, criticalNode.start, ep);
      critical = criticalNode.content[0] !== 0;
      idx = 2;
    }
    const valueNode = expect(k[idx], TAG.OCTET_STRING, `${ep}.extnValue`, e);
    if (k.length > idx + 1) throw new Asn1Error(`${ep}: unexpected element after extnValue`, k[idx + 1]!.start, ep);
    let cached: Node | Asn1Error | undefined;
    const ext: Extension = {
      node: e, path: `${ep}(${oidLabel(oid)})`, oid, critical, valueNode,
      inner(): Node {
        if (cached === undefined) {
          try {
            cached = parseDer(valueNode.buf, [], valueNode.contentStart, valueNode.end);
          } catch (err) {
            cached = err instanceof Asn1Error ? err : new Asn1Error(String(err), valueNode.contentStart);
          }
        }
        if (cached instanceof Asn1Error) throw cached;
        return cached;
      },
    };
    if (criticalNode) ext.criticalNode = criticalNode;
    return ext;
  });
}

const OID_LABELS = new Map<string, string>();
for (const [k, v] of Object.entries(OID)) if (!OID_LABELS.has(v)) OID_LABELS.set(v, k);
function oidLabel(oid: string): string {
  return OID_LABELS.get(oid) ?? oid;
}

export function parseBitString(node: Node | undefined, path: string, parent?: Node): BitStringValue {
  const n = expect(node, TAG.BIT_STRING, path, parent);
  const c = n.content;
  if (c.length === 0) throw new Asn1Error(`${path}: BIT STRING without the unused-bits octet`, n.start, path);
  const unusedBits = c[0]!;
  if (unusedBits > 7) throw new Asn1Error(`${path}: unused-bits octet ${unusedBits} > 7`, n.start, path);
  return { node: n, path, unusedBits, bytes: c.subarray(1) };
}

/**
 * Parses a Certificate. `buf` may be a whole file: `start`/`end` bound the certificate, and offsets stay absolute.
 * Throws Asn1Error (with offset) when the structure cannot be read.
 */
export function parseCertificate(buf: Uint8Array, start = 0, end = buf.length): Certificate {
  const derIssues: DerIssue[] = [];
  const root = parseDer(buf, derIssues, start, end);
  const P = 'certificate';
  expect(root, TAG.SEQUENCE, P);
  const top = kids(root);
  if (top.length !== 3) throw new Asn1Error(`${P}: expected 3 elements (tbsCertificate, signatureAlgorithm, signatureValue), found ${top.length}`, root.start, P);
  const T = 'tbsCertificate';
  const tbs = expect(top[0], TAG.SEQUENCE, T, root);
  const f = kids(tbs);
  let i = 0;
  let version = 1;
  let versionNode: Node | undefined;
  if (f[0]?.tag === 0xa0) {
    versionNode = f[0];
    const vi = expect(kids(f[0])[0], TAG.INTEGER, `${T}.version`, f[0]);
    if (vi.len !== 1) throw new Asn1Error(`${T}.version: INTEGER of ${vi.len} octets`, vi.start, `${T}.version`);
    version = vi.content[0]! + 1;
    i = 1;
  }
  const serialNode = expect(f[i], TAG.INTEGER, `${T}.serialNumber`, tbs);
  const innerSignature = parseAlgorithmIdentifier(f[i + 1], `${T}.signature`, tbs);
  const issuer = parseName(f[i + 2], `${T}.issuer`, tbs);
  const validity = expect(f[i + 3], TAG.SEQUENCE, `${T}.validity`, tbs);
  const vk = kids(validity);
  if (vk.length !== 2) throw new Asn1Error(`${T}.validity: expected notBefore and notAfter`, validity.start, `${T}.validity`);
  const notBefore = parseTime(vk[0], `${T}.validity.notBefore`, validity);
  const notAfter = parseTime(vk[1], `${T}.validity.notAfter`, validity);
  const subject = parseName(f[i + 4], `${T}.subject`, tbs);
  const spkiNode = expect(f[i + 5], TAG.SEQUENCE, `${T}.subjectPublicKeyInfo`, tbs);
  const sk = kids(spkiNode);
  if (sk.length !== 2) throw new Asn1Error(`${T}.subjectPublicKeyInfo: expected algorithm and subjectPublicKey`, spkiNode.start, `${T}.subjectPublicKeyInfo`);
  const spkiAlg = parseAlgorithmIdentifier(sk[0], `${T}.subjectPublicKeyInfo.algorithm`, spkiNode);
  const key = parseBitString(sk[1], `${T}.subjectPublicKeyInfo.subjectPublicKey`, spkiNode);
  const cert: Certificate = {
    kind: 'certificate', der: root.bytes, node: root, derIssues, tbs, version,
    serial: { node: serialNode, path: `${T}.serialNumber`, content: serialNode.content },
    innerSignature, issuer, notBefore, notAfter, validity, subject,
    spki: {
      node: spkiNode, path: `${T}.subjectPublicKeyInfo`, algorithm: spkiAlg, keyNode: key.node,
      unusedBits: key.unusedBits, publicKey: key.bytes,
    },
    extensions: [],
    signatureAlgorithm: parseAlgorithmIdentifier(top[1], 'signatureAlgorithm', root),
    signature: parseBitString(top[2], 'signatureValue', root),
  };
  if (versionNode) cert.versionNode = versionNode;
  let j = i + 6;
  const seen = new Set<number>();
  for (; j < f.length; j++) {
    const n = f[j]!;
    const ctx = n.ctx;
    if (ctx < 1 || ctx > 3 || seen.has(ctx) || [...seen].some((s) => s > ctx)) {
      throw new Asn1Error(`${T}: unexpected ${tagName(n.tag)} after subjectPublicKeyInfo`, n.start, T);
    }
    seen.add(ctx);
    if (ctx === 1) cert.issuerUniqueId = n;
    else if (ctx === 2) cert.subjectUniqueId = n;
    else {
      if (!n.constructed) throw new Asn1Error(`${T}.extensions: [3] must be constructed (EXPLICIT)`, n.start, `${T}.extensions`);
      cert.extensionsNode = n;
      cert.extensions = parseExtensions(n, `${T}.extensions`);
    }
  }
  return cert;
}

export function findExtension(exts: Extension[], oid: string): Extension | undefined {
  for (const e of exts) if (e.oid === oid) return e;
  return undefined;
}

/** Attribute value by type (first match). */
export function nameAttr(name: Name, type: string): AttributeValue | undefined {
  return name.attrs.find((a) => a.type === type);
}

/** Short human form of a Name ("CN=…, O=…") for messages. */
export function nameToString(name: Name): string {
  const short: Record<string, string> = {
    [OID.countryName]: 'C', [OID.commonName]: 'CN', [OID.organizationName]: 'O', [OID.organizationalUnitName]: 'OU',
    [OID.localityName]: 'L', [OID.stateOrProvinceName]: 'ST', [OID.emailAddress]: 'E', [OID.serialNumber]: 'serialNumber',
  };
  return name.attrs.map((a) => `${short[a.type] ?? a.type}=${a.text ?? '#' + Buffer.from(a.valueNode.content).toString('hex')}`).join(', ');
}
