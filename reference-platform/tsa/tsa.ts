import { randomBytes } from 'node:crypto';
import { sm2Z, sm3, SM2_DEFAULT_ID } from '../../lib/gm/index.ts';
import { buildTimeStampResp, buildTimeStampToken, parseTimeStampReq, TspError } from '../../lib/ca/tsp.ts';
import { OID } from '../../lib/pki/oids.ts';
import type { PlatformContext } from '../context.ts';
import type { CertificateAuthority } from '../ca/ca.ts';

/** An example-arc policy OID (ITU-T X.660 2.999 is reserved for examples): a deployment sets its own (GM/T 0033 [U]). */
export const DEFAULT_TSA_POLICY = '2.999.3161.1';

/**
 * The time-stamp authority (RFC 3161, SM3 imprints, SM2 signatures by the TSA key in a pool device): the token binds
 * the requested imprint, the policy, a unique serial, the time and the requester's nonce (echoed).
 */
export class TimeStampAuthority {
  policy = DEFAULT_TSA_POLICY;
  constructor(private readonly ctx: PlatformContext, private readonly ca: CertificateAuthority) {}

  respond(der: Uint8Array): Buffer {
    let req;
    try {
      req = parseTimeStampReq(der);
    } catch (e) {
      if (e instanceof TspError) return Buffer.from(buildTimeStampResp(2, undefined, 5, e.message)); // badDataFormat
      throw e;
    }
    if (req.hashOid !== OID.sm3 || req.digest.length !== 32) return Buffer.from(buildTimeStampResp(2, undefined, 0, `hash algorithm ${req.hashOid}: only SM3 (32-byte imprint) is accepted`)); // badAlg
    if (req.policy && req.policy !== this.policy) return Buffer.from(buildTimeStampResp(2, undefined, 15, `policy ${req.policy} is not served`)); // unacceptedPolicy
    const a = this.ca.authority('tsa');
    const genTime = this.ctx.clock.now();
    genTime.setMilliseconds(0);
    const serialBytes = randomBytes(16);
    serialBytes[0] = (serialBytes[0]! & 0x7f) | 0x01;
    const serial = BigInt('0x' + serialBytes.toString('hex'));
    this.ctx.db.prepare('INSERT INTO tsa_serials (serial, gen_time, digest) VALUES (?,?,?)').run(serial.toString(16), genTime.toISOString(), Buffer.from(req.digest));
    // defect tsa-no-nonce-echo: the requester's nonce is dropped from TSTInfo
    const nonce = this.ctx.defects.has('tsa-no-nonce-echo') ? undefined : req.nonce;
    // defect tsa-wrong-hash: the token carries SM3 of the submitted imprint instead of the imprint itself
    const digest = this.ctx.defects.has('tsa-wrong-hash') ? sm3(Buffer.from(req.digest)) : req.digest;
    const token = buildTimeStampToken({ policy: this.policy, hashOid: OID.sm3, digest, serial, genTime, nonce, accuracySeconds: 1 }, a.certificate,
      (e) => a.signer.signDigest(e), a.signer.publicKey, (pub) => sm2Z(pub, SM2_DEFAULT_ID));
    return Buffer.from(buildTimeStampResp(0, token));
  }
}
