/** CertificateList (RFC 5280 §5, GM/T 0015 §5.3) as a located view over the DER tree. */
import { Asn1Error, parseDer, TAG, tagName, type DerIssue, type Node } from './der.ts';
import {
  expect, kids, parseAlgorithmIdentifier, parseBitString, parseExtensionList, parseExtensions, parseName, parseTime,
  type AlgorithmIdentifier, type BitStringValue, type Extension, type Located, type Name, type Time,
} from './x509.ts';

export interface RevokedEntry extends Located {
  serial: Node;
  revocationDate: Time;
  extensions: Extension[];
}

export interface Crl {
  kind: 'crl';
  der: Uint8Array;
  node: Node;
  derIssues: DerIssue[];
  tbs: Node;
  version: number;
  versionNode?: Node;
  innerSignature: AlgorithmIdentifier;
  issuer: Name;
  thisUpdate: Time;
  nextUpdate?: Time;
  /** the revokedCertificates SEQUENCE when present (possibly empty) */
  revokedNode?: Node;
  revoked: RevokedEntry[];
  extensionsNode?: Node;
  extensions: Extension[];
  signatureAlgorithm: AlgorithmIdentifier;
  signature: BitStringValue;
}

export function parseCrl(buf: Uint8Array, start = 0, end = buf.length): Crl {
  const derIssues: DerIssue[] = [];
  const root = parseDer(buf, derIssues, start, end);
  const P = 'certificateList';
  expect(root, TAG.SEQUENCE, P);
  const top = kids(root);
  if (top.length !== 3) throw new Asn1Error(`${P}: expected 3 elements, found ${top.length}`, root.start, P);
  const T = 'tbsCertList';
  const tbs = expect(top[0], TAG.SEQUENCE, T, root);
  const f = kids(tbs);
  let i = 0;
  let version = 1;
  let versionNode: Node | undefined;
  if (f[0]?.tag === TAG.INTEGER) {
    versionNode = f[0];
    if (f[0].len !== 1) throw new Asn1Error(`${T}.version: INTEGER of ${f[0].len} octets`, f[0].start, T);
    version = f[0].content[0]! + 1;
    i = 1;
  }
  const innerSignature = parseAlgorithmIdentifier(f[i], `${T}.signature`, tbs);
  const issuer = parseName(f[i + 1], `${T}.issuer`, tbs);
  const thisUpdate = parseTime(f[i + 2], `${T}.thisUpdate`, tbs);
  let j = i + 3;
  const crl: Crl = {
    kind: 'crl', der: root.bytes, node: root, derIssues, tbs, version, innerSignature, issuer, thisUpdate,
    revoked: [], extensions: [],
    signatureAlgorithm: parseAlgorithmIdentifier(top[1], 'signatureAlgorithm', root),
    signature: parseBitString(top[2], 'signatureValue', root),
  };
  if (versionNode) crl.versionNode = versionNode;
  if (f[j] && (f[j]!.tag === TAG.UTCTime || f[j]!.tag === TAG.GeneralizedTime)) {
    crl.nextUpdate = parseTime(f[j], `${T}.nextUpdate`, tbs);
    j++;
  }
  if (f[j]?.tag === TAG.SEQUENCE) {
    crl.revokedNode = f[j]!;
    crl.revoked = kids(f[j]!).map((e, k) => {
      const ep = `${T}.revokedCertificates[${k}]`;
      expect(e, TAG.SEQUENCE, ep);
      const ek = kids(e);
      const serial = expect(ek[0], TAG.INTEGER, `${ep}.userCertificate`, e);
      const revocationDate = parseTime(ek[1], `${ep}.revocationDate`, e);
      let extensions: Extension[] = [];
      if (ek[2]) {
        extensions = parseExtensionList(expect(ek[2], TAG.SEQUENCE, `${ep}.crlEntryExtensions`), `${ep}.crlEntryExtensions`);
      }
      if (ek.length > 3) throw new Asn1Error(`${ep}: unexpected element`, ek[3]!.start, ep);
      return { node: e, path: ep, serial, revocationDate, extensions };
    });
    j++;
  }
  if (f[j]?.tag === 0xa0) {
    crl.extensionsNode = f[j]!;
    crl.extensions = parseExtensions(f[j]!, `${T}.crlExtensions`);
    j++;
  }
  if (f[j]) throw new Asn1Error(`${T}: unexpected ${tagName(f[j]!.tag)}`, f[j]!.start, T);
  return crl;
}
