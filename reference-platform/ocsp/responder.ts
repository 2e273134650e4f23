import { buildOcspResponse, ocspErrorResponse, type OcspSingleSpec } from '../../lib/pki/builder.ts';
import { parseOcspRequest, hashFor, OcspRequestError } from '../../lib/ca/ocsp-request.ts';
import { bytesEqual, TAG, parseDer } from '../../lib/pki/der.ts';
import { bitString, seq, explicit, octets, oid, enumerated } from '../../lib/pki/der-encode.ts';
import { OID } from '../../lib/pki/oids.ts';
import type { PlatformContext } from '../context.ts';
import type { CertificateAuthority } from '../ca/ca.ts';

/**
 * The OCSP responder (RFC 6960 with SM2/SM3): status read from the CA database at each request — good only for a
 * certificate this CA issued and has not revoked or held, revoked (with time and reason; hold = certificateHold)
 * otherwise, unknown for a serial never issued or an issuer it does not serve. Signed by a delegated responder
 * certificate (EKU OCSPSigning) whose key is in a pool device; the request nonce is echoed.
 */
export class OcspResponder {
  /** seconds until nextUpdate in each SingleResponse: clients may cache that long */
  validitySeconds = 300;
  constructor(private readonly ctx: PlatformContext, private readonly ca: CertificateAuthority) {}

  respond(der: Uint8Array): Buffer {
    let req;
    try {
      req = parseOcspRequest(der);
    } catch (e) {
      if (e instanceof OcspRequestError) return Buffer.from(ocspErrorResponse(1).der); // malformedRequest
      throw e;
    }
    if (!req.certIds.length) return Buffer.from(ocspErrorResponse(1).der);
    const now = this.ctx.clock.now();
    const next = new Date(now.getTime() + this.validitySeconds * 1000);
    const issuers = this.ca.list().filter((a) => a.kind === 'root' || a.kind === 'sub');
    const responses: OcspSingleSpec[] = req.certIds.map((id) => {
      const issuer = issuers.find((a) => bytesEqual(hashFor(id.hash, a.subjectDer), id.issuerNameHash) && bytesEqual(hashFor(id.hash, a.signer.publicKey), id.issuerKeyHash));
      const base = { issuerName: issuer?.subjectDer ?? new Uint8Array(), issuerPublicKey: issuer?.signer.publicKey ?? new Uint8Array(), serial: id.serial, thisUpdate: now, nextUpdate: next };
      const echo = { issuerNameHashOverride: id.issuerNameHash, issuerKeyHashOverride: id.issuerKeyHash };
      const c = issuer ? this.ca.get(id.serial.toString(16)) : undefined;
      if (!issuer || !c || c.caId !== issuer.id) {
        // defect ocsp-good-for-unknown: a serial nobody issued is reported good
        return { ...base, ...echo, status: this.ctx.defects.has('ocsp-good-for-unknown') ? 'good' : 'unknown' } as OcspSingleSpec;
      }
      if (c.status === 'REVOKED' || c.status === 'ON_HOLD') return { ...base, ...echo, status: 'revoked', revokedAt: new Date(c.revokedAt!), reason: c.reason } as OcspSingleSpec;
      return { ...base, ...echo, status: 'good' } as OcspSingleSpec;
    });
    const signer = this.ca.authority('ocsp');
    const hash = req.certIds[0]!.hash;
    const built = buildOcspResponse({
      producedAt: now, responses: responses.map((r) => ({ ...r, issuerKeyHashOverride: (r as { issuerKeyHashOverride?: Uint8Array }).issuerKeyHashOverride })),
      certIdHash: hash, responderId: 'name', certs: [signer.certificate], nonce: req.nonce,
    }, this.ca.issuerSpec(signer));
    return resignOcsp(Buffer.from(built.der), (tbs) => signer.signer.sign(tbs), req.certIds.map((c) => c.issuerNameHash));
  }
}

/**
 * Re-signs a BasicOCSPResponse inside the device, and puts the requester's issuerNameHash back into each CertID
 * (lib/pki recomputes it from the issuer name, which is empty for an issuer this responder does not serve).
 */
function resignOcsp(der: Buffer, sign: (tbs: Uint8Array) => Uint8Array, nameHashes: Uint8Array[]): Buffer {
  const root = parseDer(der);
  const rb = root.children![1]!.children![0]!;
  const basic = parseDer(rb.children![1]!.content);
  const [tbs, alg, , certs] = basic.children!;
  const tk = tbs!.children!;
  const respList = tk.find((n, i) => i > 0 && n.tag === TAG.SEQUENCE)!;
  const singles = respList.children!.map((s, i) => {
    const [certId, ...rest] = s.children!;
    const [h, , keyHash, serial] = certId!.children!;
    return seq(seq(h!.bytes, octets(nameHashes[i]!), keyHash!.bytes, serial!.bytes), ...rest.map((n) => n.bytes));
  });
  const newTbs = seq(...tk.map((n) => (n === respList ? seq(...singles) : n.bytes)));
  const newBasic = seq(newTbs, alg!.bytes, bitString(sign(newTbs)), ...(certs ? [certs.bytes] : []));
  return Buffer.from(seq(enumerated(0), explicit(0, seq(oid(OID.ocspBasic), octets(newBasic)))));
}
