/** OCSPResponse / BasicOCSPResponse (RFC 6960 §4.2) as a located view over the DER tree. */
import { Asn1Error, decodeOid, parseDer, TAG, tagName, type DerIssue, type Node } from './der.ts';
import { OID } from './oids.ts';
import {
  expect, kids, parseAlgorithmIdentifier, parseBitString, parseCertificate, parseExtensions, parseName, parseTime,
  type AlgorithmIdentifier, type BitStringValue, type Certificate, type Extension, type Located, type Name, type Time,
} from './x509.ts';

export const OCSP_STATUS = ['successful', 'malformedRequest', 'internalError', 'tryLater', '(4 unused)', 'sigRequired', 'unauthorized'];

export interface CertId extends Located {
  hashAlgorithm: AlgorithmIdentifier;
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  serial: Node;
}

export interface SingleResponse extends Located {
  certId: CertId;
  status: 'good' | 'revoked' | 'unknown';
  statusNode: Node;
  thisUpdate: Time;
  nextUpdate?: Time;
  extensions: Extension[];
}

export interface OcspResponse {
  kind: 'ocsp';
  der: Uint8Array;
  node: Node;
  derIssues: DerIssue[];
  responseStatus: number;
  statusNode: Node;
  responseType?: string;
  /** present when responseType is id-pkix-ocsp-basic and the status is successful */
  basic?: BasicOcspResponse;
}

export interface BasicOcspResponse {
  node: Node;
  tbs: Node;
  version: number;
  responderByName?: Name;
  responderByKey?: Uint8Array;
  responderNode: Node;
  producedAt: Time;
  responses: SingleResponse[];
  extensions: Extension[];
  signatureAlgorithm: AlgorithmIdentifier;
  signature: BitStringValue;
  certs: Certificate[];
}

function parseCertId(n: Node | undefined, path: string, parent: Node): CertId {
  const seq = expect(n, TAG.SEQUENCE, path, parent);
  const k = kids(seq);
  return {
    node: seq, path,
    hashAlgorithm: parseAlgorithmIdentifier(k[0], `${path}.hashAlgorithm`, seq),
    issuerNameHash: expect(k[1], TAG.OCTET_STRING, `${path}.issuerNameHash`, seq).content,
    issuerKeyHash: expect(k[2], TAG.OCTET_STRING, `${path}.issuerKeyHash`, seq).content,
    serial: expect(k[3], TAG.INTEGER, `${path}.serialNumber`, seq),
  };
}

export function parseOcspResponse(buf: Uint8Array, start = 0, end = buf.length): OcspResponse {
  const derIssues: DerIssue[] = [];
  const root = parseDer(buf, derIssues, start, end);
  const P = 'ocspResponse';
  expect(root, TAG.SEQUENCE, P);
  const top = kids(root);
  const statusNode = expect(top[0], TAG.ENUMERATED, `${P}.responseStatus`, root);
  const r: OcspResponse = { kind: 'ocsp', der: root.bytes, node: root, derIssues, responseStatus: statusNode.content[0] ?? -1, statusNode };
  if (!top[1]) return r;
  if (top[1].tag !== 0xa0) throw new Asn1Error(`${P}: expected [0] responseBytes, found ${tagName(top[1].tag)}`, top[1].start, P);
  const rb = expect(kids(top[1])[0], TAG.SEQUENCE, `${P}.responseBytes`, top[1]);
  const rbk = kids(rb);
  const typeNode = expect(rbk[0], TAG.OID, `${P}.responseBytes.responseType`, rb);
  r.responseType = decodeOid(typeNode.content) ?? '';
  const octets = expect(rbk[1], TAG.OCTET_STRING, `${P}.responseBytes.response`, rb);
  if (r.responseType !== OID.ocspBasic) return r;
  const B = 'basicOCSPResponse';
  const basicNode = parseDer(buf, derIssues, octets.contentStart, octets.end);
  expect(basicNode, TAG.SEQUENCE, B);
  const bk = kids(basicNode);
  const tbs = expect(bk[0], TAG.SEQUENCE, `${B}.tbsResponseData`, basicNode);
  const tk = kids(tbs);
  let i = 0;
  let version = 1;
  if (tk[0]?.tag === 0xa0) {
    const v = expect(kids(tk[0])[0], TAG.INTEGER, `${B}.tbsResponseData.version`, tk[0]);
    version = (v.content[0] ?? 0) + 1;
    i = 1;
  }
  const responderNode = tk[i];
  if (!responderNode) throw new Asn1Error(`${B}.tbsResponseData: responderID missing`, tbs.end, B);
  const basic: BasicOcspResponse = {
    node: basicNode, tbs, version, responderNode,
    producedAt: parseTime(tk[i + 1], `${B}.tbsResponseData.producedAt`, tbs),
    responses: [],
    extensions: [],
    signatureAlgorithm: parseAlgorithmIdentifier(bk[1], `${B}.signatureAlgorithm`, basicNode),
    signature: parseBitString(bk[2], `${B}.signature`, basicNode),
    certs: [],
  };
  if (responderNode.tag === 0xa1) basic.responderByName = parseName(kids(responderNode)[0], `${B}.tbsResponseData.responderID.byName`, responderNode);
  else if (responderNode.tag === 0xa2) basic.responderByKey = expect(kids(responderNode)[0], TAG.OCTET_STRING, `${B}.tbsResponseData.responderID.byKey`, responderNode).content;
  else throw new Asn1Error(`${B}.tbsResponseData.responderID: expected [1] or [2], found ${tagName(responderNode.tag)}`, responderNode.start, B);
  const list = expect(tk[i + 2], TAG.SEQUENCE, `${B}.tbsResponseData.responses`, tbs);
  basic.responses = kids(list).map((sr, k) => {
    const sp = `${B}.tbsResponseData.responses[${k}]`;
    expect(sr, TAG.SEQUENCE, sp);
    const sk = kids(sr);
    const certId = parseCertId(sk[0], `${sp}.certID`, sr);
    const st = sk[1];
    if (!st || st.cls !== 2 || st.num > 2) throw new Asn1Error(`${sp}.certStatus: expected [0], [1] or [2]`, st?.start ?? sr.end, sp);
    const one: SingleResponse = {
      node: sr, path: sp, certId, statusNode: st,
      status: st.num === 0 ? 'good' : st.num === 1 ? 'revoked' : 'unknown',
      thisUpdate: parseTime(sk[2], `${sp}.thisUpdate`, sr),
      extensions: [],
    };
    let j = 3;
    if (sk[j]?.tag === 0xa0) { one.nextUpdate = parseTime(kids(sk[j]!)[0], `${sp}.nextUpdate`, sk[j]); j++; }
    if (sk[j]?.tag === 0xa1) { one.extensions = parseExtensions(sk[j]!, `${sp}.singleExtensions`); j++; }
    if (sk[j]) throw new Asn1Error(`${sp}: unexpected ${tagName(sk[j]!.tag)}`, sk[j]!.start, sp);
    return one;
  });
  if (tk[i + 3]?.tag === 0xa1) basic.extensions = parseExtensions(tk[i + 3]!, `${B}.tbsResponseData.responseExtensions`);
  if (bk[3]) {
    if (bk[3].tag !== 0xa0) throw new Asn1Error(`${B}: unexpected ${tagName(bk[3].tag)} after signature`, bk[3].start, B);
    const seq = expect(kids(bk[3])[0], TAG.SEQUENCE, `${B}.certs`, bk[3]);
    basic.certs = kids(seq).map((c) => parseCertificate(buf, c.start, c.end));
  }
  r.basic = basic;
  return r;
}
