import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { sm2GenerateKeyPair } from '../../lib/gm/index.ts';
import { sealEnvelopedKey } from '../../lib/ca/enveloped-key.ts';
import { parseCsr, verifyCsr, Pkcs10Error } from '../../lib/ca/pkcs10.ts';
import { randomSerial, type NameSpec } from '../../lib/pki/builder.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import type { Session } from '../admin/admins.ts';
import type { PlatformContext } from '../context.ts';
import type { AuditCtx } from '../keys/keys.ts';
import { ApiError } from '../api/errors.ts';
import type { KeyManagementCentre } from '../km/km.ts';
import { normSerial, type CertificateAuthority, type CertRecord } from './ca.ts';

export const RA_DUTIES = ['ENTRY', 'REVIEW', 'ISSUE'] as const;
export type RaDuty = (typeof RA_DUTIES)[number];
export type RequestType = 'ENROLL' | 'RENEW' | 'REKEY';
export type RequestState = 'SUBMITTED' | 'APPROVED' | 'REJECTED' | 'ISSUED' | 'DELIVERED';

export interface RaRequest {
  id: string; type: RequestType; profile: string; subject: NameSpec; state: RequestState; targetSerial?: string;
  submittedBy: string; reviewedBy?: string; issuedBy?: string; signSerial?: string; encSerial?: string; createdAt: string; updatedAt: string;
}

const SUBJECT_ATTRS = new Set(['C', 'ST', 'L', 'O', 'OU', 'CN', 'E']);

/**
 * The registration authority (注册系统): 录入员 (ENTRY) submits, 审核员 (REVIEW) approves or rejects — never their own
 * submission — and 制证员 (ISSUE) has the CA issue the signing certificate over the subscriber's PKCS#10 key (proof of
 * possession checked with Z) and the encryption certificate over a key pair the KM supplies through GM/T 0014; the
 * KM's SM2EnvelopedKey (to the subscriber's signing key) is delivered with both certificates. Duties are assigned to
 * administrators holding the operator role by a business administrator.
 */
export class RegistrationAuthority {
  constructor(private readonly ctx: PlatformContext, private readonly ca: CertificateAuthority, private readonly km: KeyManagementCentre) {}

  /** Prepared statements, compiled once (each RA step runs several). */
  private readonly statements = new Map<string, Statement>();
  private q(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) this.statements.set(sql, (st = this.ctx.db.prepare(sql)));
    return st;
  }

  setDuties(ac: AuditCtx, username: string, duties: string[]): RaDuty[] {
    const bad = duties.filter((d) => !(RA_DUTIES as readonly string[]).includes(d));
    if (bad.length) throw new ApiError(400, 'INVALID_ARGUMENT', `duties must be a subset of ${RA_DUTIES.join(', ')}`);
    const admin = this.q('SELECT roles FROM admins WHERE username = ?').get(username) as { roles: string } | undefined;
    if (!admin) throw new ApiError(404, 'NOT_FOUND', `no administrator ${username}`);
    if (!(JSON.parse(admin.roles) as string[]).includes('operator')) throw new ApiError(409, 'INVALID_STATE', `${username} is not an operator (业务操作员)`);
    this.ctx.db.transaction(() => {
      this.q('INSERT INTO ra_operators (username, duties, updated_at) VALUES (?,?,?) ON CONFLICT(username) DO UPDATE SET duties = excluded.duties, updated_at = excluded.updated_at')
        .run(username, JSON.stringify([...new Set(duties)]), this.ctx.clock.iso());
      this.ctx.audit.append({ ...ac, action: 'RA_OPERATOR_DUTIES', resource: { type: 'admin', id: username }, outcome: 'SUCCESS', details: { duties } });
    })();
    return duties as RaDuty[];
  }

  /** Assignment at provisioning time (no session): the platform's own set-up, audited as the system. */
  provisionDuties(username: string, duties: RaDuty[]): void {
    this.setDuties({ actor: { type: 'system', id: 'provisioning' } }, username, duties);
  }

  private need(s: Session, duty: RaDuty): void {
    const r = this.q('SELECT duties FROM ra_operators WHERE username = ?').get(s.username) as { duties: string } | undefined;
    const duties = r ? (JSON.parse(r.duties) as string[]) : [];
    if (!duties.includes(duty) && !this.ctx.defects.has('no-role-separation')) throw new ApiError(403, 'FORBIDDEN', `RA duty ${duty} is not assigned to ${s.username}`);
  }

  submit(ac: AuditCtx, s: Session, b: { type?: string; profile?: string; subject?: unknown; csr?: string; targetSerial?: string }): RaRequest {
    this.need(s, 'ENTRY');
    const type = (b.type ?? 'ENROLL') as RequestType;
    if (!['ENROLL', 'RENEW', 'REKEY'].includes(type)) throw new ApiError(400, 'INVALID_ARGUMENT', 'type: ENROLL, RENEW or REKEY');
    const profile = this.ca.profile(b.profile ?? 'user-sign');
    if (profile.kind !== 'sign') throw new ApiError(400, 'INVALID_ARGUMENT', 'profile: a signing-certificate template (the encryption certificate follows from it)');
    let target: CertRecord | undefined;
    if (type !== 'ENROLL') {
      target = b.targetSerial ? this.ca.get(normSerial(b.targetSerial)) : undefined;
      if (!target || target.kind !== 'sign') throw new ApiError(404, 'NOT_FOUND', 'targetSerial: the signing certificate to update');
      if (target.status !== 'VALID') throw new ApiError(409, 'INVALID_STATE', `certificate ${target.serial} is ${target.status}`);
    }
    const subject = type === 'ENROLL' ? checkSubject(b.subject) : (JSON.parse(String((this.q('SELECT subject FROM ra_requests WHERE sign_serial = ?').get(target!.serial) as { subject?: string } | undefined)?.subject ?? 'null')) ?? checkSubject(b.subject));
    let csr: Buffer | null = null;
    if (type !== 'RENEW' || b.csr) {
      if (!b.csr) throw new ApiError(400, 'INVALID_ARGUMENT', 'csr: a PKCS#10 request (base64 DER) with the subscriber signing key');
      csr = Buffer.from(b.csr, 'base64');
      let parsed;
      try { parsed = parseCsr(csr); } catch (e) { throw new ApiError(400, 'BAD_CSR', `csr: ${(e as Pkcs10Error).message}${e instanceof Pkcs10Error ? ` at byte ${e.offset}` : ''}`); }
      // defect ra-csr-pop-unchecked: the proof of possession (the request's own signature) is not verified
      if (!this.ctx.defects.has('ra-csr-pop-unchecked') && !verifyCsr(parsed)) throw new ApiError(400, 'BAD_CSR_SIGNATURE', 'csr: the SM2-with-SM3 signature (Z with the default ID) does not verify with the requested key — no proof of possession');
    }
    const now = this.ctx.clock.iso();
    const id = `req-${randomUUID().slice(0, 12)}`;
    this.ctx.db.transaction(() => {
      this.q(`INSERT INTO ra_requests (id, type, profile, subject, csr, target_serial, state, submitted_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)`)
        .run(id, type, profile.id, JSON.stringify(subject), csr, target?.serial ?? null, 'SUBMITTED', s.username, now, now);
      this.ctx.audit.append({ ...ac, action: 'RA_REQUEST_SUBMIT', resource: { type: 'ra-request', id }, outcome: 'SUCCESS', details: { type, profile: profile.id } });
    })();
    return this.get(id);
  }

  get(id: string): RaRequest {
    const r = this.q('SELECT * FROM ra_requests WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!r) throw new ApiError(404, 'NOT_FOUND', `no request ${id}`);
    const o = (k: string) => (r[k] === null || r[k] === undefined ? undefined : String(r[k]));
    return {
      id: String(r.id), type: r.type as RequestType, profile: String(r.profile), subject: JSON.parse(String(r.subject)), state: r.state as RequestState,
      targetSerial: o('target_serial'), submittedBy: String(r.submitted_by), reviewedBy: o('reviewed_by'), issuedBy: o('issued_by'),
      signSerial: o('sign_serial'), encSerial: o('enc_serial'), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
    };
  }

  review(ac: AuditCtx, s: Session, id: string, decision: 'approve' | 'reject', note?: string): RaRequest {
    this.need(s, 'REVIEW');
    return this.ctx.db.transaction(() => {
      const r = this.get(id);
      if (r.state !== 'SUBMITTED') throw new ApiError(409, 'INVALID_STATE', `request ${id} is ${r.state}`);
      // defect ra-self-approval: the reviewer may approve a request they entered themselves
      if (r.submittedBy === s.username && !this.ctx.defects.has('ra-self-approval')) throw new ApiError(403, 'SELF_APPROVAL', 'the 审核员 must not review a request they entered (dual control)');
      const state = decision === 'approve' ? 'APPROVED' : 'REJECTED';
      this.q('UPDATE ra_requests SET state = ?, reviewed_by = ?, review_note = ?, updated_at = ? WHERE id = ?').run(state, s.username, note ?? null, this.ctx.clock.iso(), id);
      this.ctx.audit.append({ ...ac, action: decision === 'approve' ? 'RA_REQUEST_APPROVE' : 'RA_REQUEST_REJECT', resource: { type: 'ra-request', id }, outcome: 'SUCCESS' });
      return this.get(id);
    })();
  }

  /** 制证: sign certificate + KM key + encryption certificate, all or nothing; an update supersedes the old pair. */
  issue(ac: AuditCtx, s: Session, id: string): RaRequest {
    this.need(s, 'ISSUE');
    return this.ctx.db.transaction(() => {
      const r = this.get(id);
      if (r.state !== 'APPROVED') throw new ApiError(409, 'INVALID_STATE', `request ${id} is ${r.state}; only an approved request is issued`);
      const row = this.q('SELECT csr FROM ra_requests WHERE id = ?').get(id) as { csr: Buffer | null };
      const old = r.targetSerial ? this.ca.get(r.targetSerial) : undefined;
      const signPub = row.csr ? Buffer.from(parseCsr(row.csr).publicKey) : Buffer.from(parseCertPub(old!.der));
      const profile = this.ca.profile(r.profile);
      const encProfile = this.ca.profile(profile.id.replace(/-sign$/, '-enc'));
      const signCert = this.ca.issue({ subject: r.subject, publicKey: signPub, profile, requestId: id });
      const encSerial = randomSerial();
      const now = this.ctx.clock.now();
      const notAfter = new Date(now.getTime() + encProfile.validityDays * 86400_000);
      const [resp] = this.km.call(ac, [{ type: 'applyKeyReq', appKeyType: 'SM2', appKeyLen: 256, userCertNo: encSerial.toString(16), userPubKey: signPub.toString('base64'), notBefore: now.toISOString(), notAfter: notAfter.toISOString() }]);
      if (!resp || resp.type !== 'applyKeyRespond') throw new ApiError(502, 'KM_REFUSED', `KM: ${resp && resp.type === 'errorPkgRespond' ? resp.errDesc : 'no answer'}`);
      let encPub = Buffer.from(resp.retPubKey, 'base64');
      let envelope = Buffer.from(resp.retPriKey, 'base64');
      // defect ca-enc-key-not-from-km: the CA makes the encryption key pair itself and envelopes it to the subscriber,
      // so the certificate and the delivered key agree while the KM escrows a key nobody uses
      if (this.ctx.defects.has('ca-enc-key-not-from-km')) {
        const local = sm2GenerateKeyPair();
        encPub = Buffer.from(local.publicKey);
        envelope = Buffer.from(sealEnvelopedKey(signPub, local));
      }
      const encCert = this.ca.issue({ subject: r.subject, publicKey: encPub, profile: encProfile, serial: encSerial, requestId: id, pairSerial: signCert.serial, notAfter });
      this.ca.setPair(signCert.serial, encCert.serial);
      // defect ca-update-old-cert-valid: an update leaves the superseded certificates valid
      if (old && !this.ctx.defects.has('ca-update-old-cert-valid')) {
        this.ca.transition(ac, old.serial, 'revoke', 'superseded');
        if (old.pairSerial && this.ca.get(old.pairSerial)?.status === 'VALID') {
          this.ca.transition(ac, old.pairSerial, 'revoke', 'superseded');
          this.km.call(ac, [{ type: 'revokeKeyReq', userCertNo: old.pairSerial }]);
        }
      }
      this.q("UPDATE ra_requests SET state = 'ISSUED', issued_by = ?, sign_serial = ?, enc_serial = ?, enc_envelope = ?, updated_at = ? WHERE id = ?")
        .run(s.username, signCert.serial, encCert.serial, envelope, this.ctx.clock.iso(), id);
      this.ctx.audit.append({ ...ac, action: 'CERT_ISSUE', resource: { type: 'ra-request', id }, outcome: 'SUCCESS', details: { signSerial: signCert.serial, encSerial: encCert.serial, type: r.type } });
      return this.get(id);
    })();
  }

  /** 下载: both certificates, the enveloped encryption key and the chain. */
  result(ac: AuditCtx, id: string): { request: RaRequest; signCertificate: Buffer; encCertificate: Buffer; encryptedPrivateKey: Buffer } {
    return this.ctx.db.transaction(() => {
      const r = this.get(id);
      if (r.state !== 'ISSUED' && r.state !== 'DELIVERED') throw new ApiError(409, 'INVALID_STATE', `request ${id} is ${r.state}; nothing to download yet`);
      const env = (this.q('SELECT enc_envelope FROM ra_requests WHERE id = ?').get(id) as { enc_envelope: Buffer }).enc_envelope;
      this.q("UPDATE ra_requests SET state = 'DELIVERED', updated_at = ? WHERE id = ?").run(this.ctx.clock.iso(), id);
      this.ctx.audit.append({ ...ac, action: 'CERT_DOWNLOAD', resource: { type: 'ra-request', id }, outcome: 'SUCCESS' });
      return { request: this.get(id), signCertificate: this.ca.get(r.signSerial!)!.der, encCertificate: this.ca.get(r.encSerial!)!.der, encryptedPrivateKey: Buffer.from(env) };
    })();
  }
}

function checkSubject(v: unknown): NameSpec {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ApiError(400, 'INVALID_ARGUMENT', 'subject: an object such as {"C":"CN","O":"…","CN":"…"}');
  const out: NameSpec = [];
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (!SUBJECT_ATTRS.has(k)) throw new ApiError(400, 'INVALID_ARGUMENT', `subject.${k}: one of ${[...SUBJECT_ATTRS].join(', ')}`);
    if (typeof val !== 'string' || !val.length || val.length > 64) throw new ApiError(400, 'INVALID_ARGUMENT', `subject.${k}: 1..64 characters`);
    if (k === 'C' && !/^[A-Z]{2}$/.test(val)) throw new ApiError(400, 'INVALID_ARGUMENT', 'subject.C: two capital letters (ISO 3166)');
    out.push([k, val]);
  }
  if (!out.some(([k]) => k === 'CN')) throw new ApiError(400, 'INVALID_ARGUMENT', 'subject.CN is required');
  // GM/T 0015 / RFC 5280 order: C, ST, L, O, OU, CN
  const order = ['C', 'ST', 'L', 'O', 'OU', 'CN', 'E'];
  return out.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
}

function parseCertPub(der: Uint8Array): Uint8Array {
  return parseCertificate(der).spki.publicKey;
}
