import { ocspErrorResponse, prepareOcspResponse, type OcspSingleSpec } from '../../lib/pki/builder.ts';
import { parseOcspRequest, hashFor, OcspRequestError, type CertIdHash } from '../../lib/ca/ocsp-request.ts';
import { bytesEqual } from '../../lib/pki/der.ts';
import type { PlatformContext } from '../context.ts';
import type { Authority, CertificateAuthority } from '../ca/ca.ts';
import type { DeviceSigner } from '../ca/device-signer.ts';
import type { CryptoWorkers } from '../devices/crypto-workers.ts';

/**
 * The OCSP responder (RFC 6960 with SM2/SM3): status read from the CA database at each request — good only for a
 * certificate this CA issued and has not revoked or held, revoked (with time and reason; hold = certificateHold)
 * otherwise, unknown for a serial never issued or an issuer it does not serve. Signed by a delegated responder
 * certificate (EKU OCSPSigning) whose key is in a pool device; the request nonce is echoed.
 */
export class OcspResponder {
  /** seconds until nextUpdate in each SingleResponse: clients may cache that long */
  validitySeconds = 300;
  /**
   * Pre-produced responses for requests without a nonce (RFC 5019 §2.1.1/§6 practice, "lightweight" responders): the
   * status is still read from the database on every request, and the signed response is reused only while the
   * (CertIDs, status, revocation time and reason) stay the same within one window of this many seconds; its
   * producedAt/thisUpdate is the window start. A status change therefore shows at once. 0 turns it off. Requests
   * with a nonce always get a freshly signed response echoing it.
   */
  preproducedSeconds = 60;
  private readonly preproduced = new Map<string, Buffer>();
  private preproducedWindow = -1;
  constructor(private readonly ctx: PlatformContext, private readonly ca: CertificateAuthority) {}

  respond(der: Uint8Array): Buffer {
    const p = this.prepare(der);
    if ('error' in p) return p.error;
    if ('cached' in p) return p.cached;
    return this.keep(p.cacheKey, Buffer.from(p.finish(p.signer.sign(p.tbs)).der));
  }

  /** respond(), with the signature made on a crypto worker thread when `workers` is given (a busy responder). */
  async respondAsync(der: Uint8Array, workers?: CryptoWorkers): Promise<Buffer> {
    const p = this.prepare(der);
    if ('error' in p) return p.error;
    if ('cached' in p) return p.cached;
    return this.keep(p.cacheKey, Buffer.from(p.finish(await p.signer.signAsync(p.tbs, workers)).der));
  }

  private keep(key: string | undefined, der: Buffer): Buffer {
    if (key !== undefined) {
      if (this.preproduced.size >= 50_000) this.preproduced.clear();
      this.preproduced.set(key, der);
    }
    return der;
  }

  /** CertID hashes of the served issuers, per hash algorithm (the same two digests on every request otherwise). */
  private readonly issuerHashes = new Map<string, { name: Buffer; key: Buffer }>();

  private hashesOf(alg: CertIdHash, a: Authority): { name: Buffer; key: Buffer } {
    const k = `${alg}/${a.id}`;
    let h = this.issuerHashes.get(k);
    if (!h) this.issuerHashes.set(k, (h = { name: hashFor(alg, a.subjectDer), key: hashFor(alg, a.signer.publicKey) }));
    return h;
  }

  /** Everything but the signature: the status of each CertID read from the database, and the ResponseData to sign. */
  private prepare(der: Uint8Array): { error: Buffer } | { cached: Buffer } | { tbs: Uint8Array; finish(sig: Uint8Array): { der: Uint8Array }; signer: DeviceSigner; cacheKey?: string } {
    let req;
    try {
      req = parseOcspRequest(der);
    } catch (e) {
      if (e instanceof OcspRequestError) return { error: Buffer.from(ocspErrorResponse(1).der) }; // malformedRequest
      throw e;
    }
    if (!req.certIds.length) return { error: Buffer.from(ocspErrorResponse(1).der) };
    const clock = this.ctx.clock.now();
    const windowMs = this.preproducedSeconds * 1000;
    const reuse = !req.nonce && windowMs > 0;
    const window = reuse ? Math.floor(clock.getTime() / windowMs) : -1;
    if (reuse && window !== this.preproducedWindow) {
      this.preproduced.clear();
      this.preproducedWindow = window;
    }
    const now = reuse ? new Date(window * windowMs) : clock;
    const next = new Date(now.getTime() + this.validitySeconds * 1000);
    const issuers = this.ca.list().filter((a) => a.kind === 'root' || a.kind === 'sub');
    const responses: OcspSingleSpec[] = req.certIds.map((id) => {
      const issuer = issuers.find((a) => { const h = this.hashesOf(id.hash, a); return bytesEqual(h.name, id.issuerNameHash) && bytesEqual(h.key, id.issuerKeyHash); });
      const base = { issuerName: issuer?.subjectDer ?? new Uint8Array(), issuerPublicKey: issuer?.signer.publicKey ?? new Uint8Array(), serial: id.serial, thisUpdate: now, nextUpdate: next };
      // the requester's CertID is echoed as sent (for an issuer this responder does not serve it cannot be recomputed)
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
    let cacheKey: string | undefined;
    if (reuse) {
      const h = (b: Uint8Array) => Buffer.from(b).toString('base64');
      cacheKey = [window, signer.id, hash, ...responses.map((r) => {
        const x = r as OcspSingleSpec & { issuerNameHashOverride: Uint8Array; issuerKeyHashOverride: Uint8Array };
        return `${h(x.issuerNameHashOverride)}/${h(x.issuerKeyHashOverride)}/${r.serial.toString(16)}/${r.status}/${r.revokedAt?.toISOString() ?? ''}/${r.reason ?? ''}`;
      })].join('|');
      const hit = this.preproduced.get(cacheKey);
      if (hit) return { cached: hit };
    }
    // built by lib/pki, signed by the responder key in its device (OpenSSL SM2 over SM3(Z‖ResponseData))
    // defect ocsp-responder-id-names-ca: responderID byName names the issuing CA while the delegated responder key signs
    const spec = this.ctx.defects.has('ocsp-responder-id-names-ca') && signer.parentId
      ? { ...this.ca.issuerSpec(signer), name: this.ca.authority(signer.parentId).subjectDer } : this.ca.issuerSpec(signer);
    const p = prepareOcspResponse({ producedAt: now, responses, certIdHash: hash, responderId: 'name', certs: [signer.certificate], nonce: req.nonce }, spec);
    return { tbs: p.tbs, finish: p.finish, signer: signer.signer, cacheKey };
  }
}
