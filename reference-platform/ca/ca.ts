import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { CRL_REASON, encodeName, ext, issueCertificate, issueCrl, keyIdentifier, randomSerial, type ExtensionSpec, type IssuerSpec, type NameSpec } from '../../lib/pki/builder.ts';
import type { KeyUsageBit } from '../../lib/pki/extensions.ts';
import { OID } from '../../lib/pki/oids.ts';
import { parseCertificate, nameToString } from '../../lib/pki/x509.ts';
import type { PlatformContext } from '../context.ts';
import type { AuditCtx } from '../keys/keys.ts';
import { ApiError } from '../api/errors.ts';
import { DeviceSigner } from './device-signer.ts';

export type AuthorityKind = 'root' | 'sub' | 'ocsp' | 'tsa' | 'km';
export interface Authority { id: string; name: string; kind: AuthorityKind; parentId?: string; signer: DeviceSigner; certificate: Buffer; subjectDer: Buffer; keyId: Buffer }
export type CertStatus = 'VALID' | 'ON_HOLD' | 'REVOKED' | 'EXPIRED';
export interface CertRecord {
  serial: string; caId: string; kind: string; profile?: string; subject: string; requestId?: string; pairSerial?: string;
  status: CertStatus; reason?: number; revokedAt?: string; notBefore: string; notAfter: string; der: Buffer;
}

/** A certificate template (证书模板): validity and the extensions an issued certificate carries. */
export interface CertProfile { id: string; description: string; validityDays: number; keyUsage: KeyUsageBit[]; extKeyUsage?: string[]; kind: 'sign' | 'enc' }

export const DEFAULT_PROFILES: CertProfile[] = [
  { id: 'user-sign', description: '个人/机构签名证书', validityDays: 365, keyUsage: ['digitalSignature', 'nonRepudiation'], kind: 'sign' },
  // GM/T 0015 Annex C.4: encryption certificates carry encipherment bits only (their private key is escrowed by the KM)
  { id: 'user-enc', description: '个人/机构加密证书', validityDays: 365, keyUsage: ['keyEncipherment', 'dataEncipherment', 'keyAgreement'], kind: 'enc' },
  { id: 'server-sign', description: '服务器签名证书', validityDays: 365, keyUsage: ['digitalSignature'], extKeyUsage: [OID.kpServerAuth, OID.kpClientAuth], kind: 'sign' },
  { id: 'server-enc', description: '服务器加密证书', validityDays: 365, keyUsage: ['keyEncipherment', 'dataEncipherment', 'keyAgreement'], kind: 'enc' },
];

export const REASONS: Record<string, number> = {
  unspecified: CRL_REASON.unspecified, keyCompromise: CRL_REASON.keyCompromise, affiliationChanged: CRL_REASON.affiliationChanged,
  superseded: CRL_REASON.superseded, cessationOfOperation: CRL_REASON.cessationOfOperation, privilegeWithdrawn: CRL_REASON.privilegeWithdrawn,
};

const YEAR = 365 * 86400_000;
const hex = (n: bigint) => n.toString(16);

/**
 * The certificate authority (签发系统, GM/T 0034 §5): a root and a subordinate SM2 CA, a delegated OCSP responder, a
 * TSA and the KM centre's signing certificate — every private key inside a pool device. Certificates are built by
 * lib/pki and signed by the device; CRLs are numbered, SM2/SM3-signed, regenerated at each status change and when
 * the period ends. Status is always read from the database (never cached), so OCSP and CRL agree with it.
 */
export class CertificateAuthority {
  private readonly authorities = new Map<string, Authority>();
  private getStmt: Statement | undefined;
  /** where certificates point relying parties (CRL DP, AIA OCSP); set when the HTTP listener knows its address */
  publicBase = '';
  crlPeriodSeconds = 24 * 3600;

  constructor(private readonly ctx: PlatformContext) {
    // a CRL reads the revoked and held certificates of one CA: indexed, that is proportional to the CRL, not to every certificate issued
    ctx.db.exec('CREATE INDEX IF NOT EXISTS ca_certificates_ca_status ON ca_certificates (ca_id, status)');
    const rows = ctx.db.prepare('SELECT * FROM ca_authorities ORDER BY created_at').all() as Record<string, unknown>[];
    for (const r of rows) this.load(r);
    if (!rows.length) this.bootstrap();
    if (!(ctx.db.prepare('SELECT COUNT(*) AS n FROM ca_profiles').get() as { n: number }).n)
      for (const p of DEFAULT_PROFILES) ctx.db.prepare('INSERT INTO ca_profiles (id, definition, updated_at) VALUES (?,?,?)').run(p.id, JSON.stringify(p), ctx.clock.iso());
  }

  private load(r: Record<string, unknown>): Authority {
    const certificate = Buffer.from(r.certificate as Buffer);
    const c = parseCertificate(certificate);
    const a: Authority = {
      id: String(r.id), name: String(r.name), kind: r.kind as AuthorityKind, parentId: r.parent_id ? String(r.parent_id) : undefined,
      signer: new DeviceSigner(this.ctx.pool, String(r.device_id), Number(r.slot)), certificate, subjectDer: Buffer.from(c.subject.node.bytes),
      keyId: Buffer.from(keyIdentifier(c.spki.publicKey)),
    };
    this.authorities.set(a.id, a);
    return a;
  }

  /** First start: root → subordinate CA → OCSP responder, TSA and KM certificates, all keys generated in devices. */
  private bootstrap(): void {
    const now = this.ctx.clock.now();
    const nb = new Date(now.getTime() - 60_000);
    const mk = (id: string, name: string, kind: AuthorityKind, parent: Authority | undefined, subject: NameSpec, years: number, exts: ExtensionSpec[]): Authority => {
      const signer = DeviceSigner.generate(this.ctx.pool);
      const issuer: IssuerSpec = parent ? this.issuerSpec(parent) : { sign: signer.tbsSigner, publicKey: signer.publicKey, name: encodeName(subject), keyId: keyIdentifier(signer.publicKey) };
      const built = issueCertificate({ serial: randomSerial(), subject, notBefore: nb, notAfter: new Date(now.getTime() + years * YEAR), publicKey: signer.publicKey, extensions: exts }, issuer);
      const der = Buffer.from(built.der);
      this.ctx.db.prepare('INSERT INTO ca_authorities (id, name, kind, parent_id, device_id, slot, certificate, created_at) VALUES (?,?,?,?,?,?,?,?)')
        .run(id, name, kind, parent?.id ?? null, signer.deviceId, signer.slot, der, new Date(now.getTime() + this.authorities.size).toISOString());
      const c = parseCertificate(der);
      if (parent) this.record({ serial: hex(BigInt('0x' + Buffer.from(c.serial.node.content).toString('hex'))), caId: parent.id, kind, subject: nameToString(c.subject), status: 'VALID', notBefore: nb.toISOString(), notAfter: new Date(now.getTime() + years * YEAR).toISOString(), der });
      return this.load({ id, name, kind, parent_id: parent?.id, device_id: signer.deviceId, slot: signer.slot, certificate: der });
    };
    const org: NameSpec = [['C', 'CN'], ['O', 'gmeval reference platform']];
    const root = mk('root', 'gmeval 参考根 CA', 'root', undefined, [...org, ['CN', 'gmeval Reference SM2 Root CA']], 20, [ext.basicConstraints(true), ext.keyUsage(['keyCertSign', 'cRLSign'])]);
    const sub = mk('sub', 'gmeval 参考 SM2 CA', 'sub', root, [...org, ['CN', 'gmeval Reference SM2 CA']], 10, [ext.basicConstraints(true, 0), ext.keyUsage(['keyCertSign', 'cRLSign'])]);
    mk('ocsp', 'OCSP 响应器', 'ocsp', sub, [...org, ['CN', 'gmeval Reference OCSP Responder']], 2, [ext.keyUsage(['digitalSignature']), ext.extKeyUsage([OID.kpOcspSigning]), ext.ocspNoCheck()]);
    mk('tsa', '时间戳服务', 'tsa', sub, [...org, ['CN', 'gmeval Reference TSA']], 5, [ext.keyUsage(['digitalSignature', 'nonRepudiation']), ext.extKeyUsage([OID.kpTimeStamping], !this.ctx.defects.has('tsa-cert-eku-not-critical'))]);
    mk('km', '密钥管理中心', 'km', root, [...org, ['CN', 'gmeval Reference Key Management Centre']], 5, [ext.keyUsage(['digitalSignature'])]);
  }

  /** lib/pki builds and the authority's device signs (the builder's signer hook): one signature per structure. */
  issuerSpec(a: Authority): IssuerSpec {
    return { sign: a.signer.tbsSigner, publicKey: a.signer.publicKey, name: a.subjectDer, keyId: a.keyId };
  }

  authority(id: string): Authority {
    const a = this.authorities.get(id);
    if (!a) throw new ApiError(404, 'NOT_FOUND', `no authority ${id}`);
    return a;
  }

  list(): Authority[] {
    return [...this.authorities.values()];
  }

  /** The issuing CA for subscriber certificates. */
  issuing(): Authority {
    return this.authority('sub');
  }

  chainPem(): string {
    return [this.authority('sub'), this.authority('root')].map((a) => toPem(a.certificate)).join('');
  }

  profiles(): CertProfile[] {
    return (this.ctx.db.prepare('SELECT definition FROM ca_profiles ORDER BY id').all() as { definition: string }[]).map((r) => JSON.parse(r.definition) as CertProfile);
  }

  profile(id: string): CertProfile {
    const r = this.ctx.db.prepare('SELECT definition FROM ca_profiles WHERE id = ?').get(id) as { definition: string } | undefined;
    if (!r) throw new ApiError(400, 'UNKNOWN_PROFILE', `no certificate template ${id}`);
    return JSON.parse(r.definition) as CertProfile;
  }

  /** Template management (模板管理): only the validity period and description change; the key-usage profile is fixed by GM/T 0015. */
  updateProfile(ac: AuditCtx, id: string, patch: { validityDays?: number; description?: string }): CertProfile {
    const p = this.profile(id);
    if (patch.validityDays !== undefined && (!Number.isInteger(patch.validityDays) || patch.validityDays < 1 || patch.validityDays > 3650)) throw new ApiError(400, 'INVALID_ARGUMENT', 'validityDays: 1..3650');
    const next = { ...p, ...patch };
    this.ctx.db.transaction(() => {
      this.ctx.db.prepare('UPDATE ca_profiles SET definition = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(next), this.ctx.clock.iso(), id);
      this.ctx.audit.append({ ...ac, action: 'CA_PROFILE_UPDATE', resource: { type: 'cert-profile', id }, outcome: 'SUCCESS', details: patch });
    })();
    return next;
  }

  /** Issues a subscriber certificate under the issuing CA (call inside the caller's transaction; audited by the caller). */
  issue(o: { subject: NameSpec | Uint8Array; publicKey: Uint8Array; profile: CertProfile; serial?: bigint; requestId?: string; pairSerial?: string; notBefore?: Date; notAfter?: Date }): CertRecord {
    const ca = this.issuing();
    const now = this.ctx.clock.now();
    const notBefore = o.notBefore ?? new Date(now.getTime() - 60_000);
    const notAfter = o.notAfter ?? new Date(now.getTime() + o.profile.validityDays * 86400_000);
    const serial = o.serial ?? randomSerial();
    let keyUsage = o.profile.keyUsage;
    // defect ca-enc-cert-sign-keyusage: the encryption template also asserts digitalSignature
    if (o.profile.kind === 'enc' && this.ctx.defects.has('ca-enc-cert-sign-keyusage')) keyUsage = ['digitalSignature', ...keyUsage];
    const exts: ExtensionSpec[] = [ext.basicConstraints(false), ext.keyUsage(keyUsage)];
    if (o.profile.extKeyUsage) exts.push(ext.extKeyUsage(o.profile.extKeyUsage));
    if (this.publicBase) {
      exts.push(ext.crlDistributionPoints([`${this.publicBase}/crl/${ca.id}`]));
      exts.push(ext.authorityInfoAccess({ ocsp: `${this.publicBase}/ocsp`, caIssuers: `${this.publicBase}/ca/${ca.id}/certificate` }));
    }
    const built = issueCertificate({ serial, subject: o.subject, notBefore, notAfter, publicKey: o.publicKey, extensions: exts }, this.issuerSpec(ca));
    const der = Buffer.from(built.der);
    const rec: CertRecord = {
      serial: hex(serial), caId: ca.id, kind: o.profile.kind, profile: o.profile.id, subject: nameToString(parseCertificate(der).subject),
      requestId: o.requestId, pairSerial: o.pairSerial, status: 'VALID', notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString(), der,
    };
    this.record(rec);
    return rec;
  }

  private record(r: CertRecord): void {
    this.ctx.db.prepare(`INSERT INTO ca_certificates (serial, ca_id, kind, profile, subject, request_id, pair_serial, status, reason, revoked_at, not_before, not_after, der, created_at)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`).run(r.serial, r.caId, r.kind, r.profile ?? null, r.subject, r.requestId ?? null, r.pairSerial ?? null, r.status, r.reason ?? null, r.revokedAt ?? null, r.notBefore, r.notAfter, r.der, this.ctx.clock.iso());
  }

  setPair(serial: string, pair: string): void {
    this.ctx.db.prepare('UPDATE ca_certificates SET pair_serial = ? WHERE serial = ?').run(pair, serial);
  }

  /** Re-read from the database every time (a transition's answer is the stored state, not what was asked for). */
  get(serial: string): CertRecord | undefined {
    // prepared once: every OCSP request and issuance step reads a certificate
    this.getStmt ??= this.ctx.db.prepare('SELECT * FROM ca_certificates WHERE serial = ?');
    const r = this.getStmt.get(normSerial(serial)) as Record<string, unknown> | undefined;
    return r ? this.toRecord(r) : undefined;
  }

  find(q: { subject?: string; status?: string; limit?: number }): CertRecord[] {
    const rows = this.ctx.db.prepare('SELECT * FROM ca_certificates ORDER BY created_at DESC LIMIT ?').all(Math.min(q.limit ?? 100, 1000)) as Record<string, unknown>[];
    return rows.map((r) => this.toRecord(r)).filter((r) => (!q.subject || r.subject.includes(q.subject)) && (!q.status || r.status === q.status));
  }

  private toRecord(r: Record<string, unknown>): CertRecord {
    let status = r.status as CertStatus;
    if (status === 'VALID' && Date.parse(String(r.not_after)) < this.ctx.clock.now().getTime()) status = 'EXPIRED';
    return {
      serial: String(r.serial), caId: String(r.ca_id), kind: String(r.kind), profile: r.profile ? String(r.profile) : undefined, subject: String(r.subject),
      requestId: r.request_id ? String(r.request_id) : undefined, pairSerial: r.pair_serial ? String(r.pair_serial) : undefined, status,
      reason: r.reason === null || r.reason === undefined ? undefined : Number(r.reason), revokedAt: r.revoked_at ? String(r.revoked_at) : undefined,
      notBefore: String(r.not_before), notAfter: String(r.not_after), der: Buffer.from(r.der as Buffer),
    };
  }

  /**
   * Status transitions (GM/T 0034 12.3, 12.6, 12.7): hold = certificateHold (冻结), release only from ON_HOLD (解冻,
   * else 409), revoke from VALID or ON_HOLD with a reason (terminal). The CRL is regenerated in the same transaction.
   */
  transition(ac: AuditCtx, serial: string, action: 'hold' | 'release' | 'revoke', reasonName = 'unspecified'): CertRecord {
    const run = () => {
      const c = this.get(serial);
      if (!c) throw new ApiError(404, 'NOT_FOUND', `no certificate ${serial}`);
      if (c.caId === 'root') throw new ApiError(409, 'INVALID_STATE', 'authority certificates are managed by the key ceremony, not by RA actions');
      const now = this.ctx.clock.iso();
      if (action === 'hold') {
        if (c.status !== 'VALID') throw new ApiError(409, 'INVALID_STATE', `hold needs a VALID certificate; ${c.serial} is ${c.status}`);
        this.ctx.db.prepare("UPDATE ca_certificates SET status = 'ON_HOLD', reason = ?, revoked_at = ? WHERE serial = ?").run(CRL_REASON.certificateHold, now, c.serial);
      } else if (action === 'release') {
        // defect unhold-without-hold: release answers success for any certificate that is not revoked
        if (c.status !== 'ON_HOLD' && !(this.ctx.defects.has('unhold-without-hold') && c.status === 'VALID'))
          throw new ApiError(409, 'INVALID_STATE', `release applies only to a certificate on hold; ${c.serial} is ${c.status}`);
        this.ctx.db.prepare("UPDATE ca_certificates SET status = 'VALID', reason = NULL, revoked_at = NULL WHERE serial = ?").run(c.serial);
      } else {
        if (c.status !== 'VALID' && c.status !== 'ON_HOLD') throw new ApiError(409, 'INVALID_STATE', `revoke needs a VALID or ON_HOLD certificate; ${c.serial} is ${c.status}`);
        const reason = REASONS[reasonName];
        if (reason === undefined) throw new ApiError(400, 'INVALID_ARGUMENT', `reason must be one of ${Object.keys(REASONS).join(', ')}`);
        this.ctx.db.prepare("UPDATE ca_certificates SET status = 'REVOKED', reason = ?, revoked_at = ? WHERE serial = ?").run(reason, now, c.serial);
      }
      this.ctx.audit.append({ ...ac, action: `CERT_${action.toUpperCase()}`, resource: { type: 'certificate', id: c.serial }, outcome: 'SUCCESS', details: { reason: action === 'revoke' ? reasonName : undefined } });
      // defect crl-not-updated-on-revoke: status changes wait for the next scheduled CRL
      if (!this.ctx.defects.has('crl-not-updated-on-revoke')) this.generateCrl(c.caId, ac);
      return this.get(c.serial)!;
    };
    return this.ctx.db.transaction(run)();
  }

  /** The current CRL of a CA, generated anew when none exists or its period is over (periodic issuance). */
  currentCrl(caId: string): { number: number; der: Buffer; thisUpdate: string; nextUpdate: string } {
    this.authority(caId);
    const r = this.ctx.db.prepare('SELECT * FROM ca_crls WHERE ca_id = ? ORDER BY number DESC LIMIT 1').get(caId) as { number: number; der: Buffer; this_update: string; next_update: string } | undefined;
    if (r && Date.parse(r.next_update) > this.ctx.clock.now().getTime()) return { number: r.number, der: Buffer.from(r.der), thisUpdate: r.this_update, nextUpdate: r.next_update };
    return this.ctx.db.transaction(() => this.generateCrl(caId, { actor: { type: 'system', id: 'ca-crl-scheduler' } }))();
  }

  /** Issues the next CRL (numbered, SM2/SM3 by the CA key in its device) listing revoked and held certificates. */
  generateCrl(caId: string, ac: AuditCtx): { number: number; der: Buffer; thisUpdate: string; nextUpdate: string } {
    const ca = this.authority(caId);
    if (ca.kind !== 'root' && ca.kind !== 'sub') throw new ApiError(400, 'INVALID_ARGUMENT', `${caId} does not issue CRLs`);
    const last = this.ctx.db.prepare('SELECT MAX(number) AS n FROM ca_crls WHERE ca_id = ?').get(caId) as { n: number | null };
    const number = (last.n ?? 0) + 1;
    const now = this.ctx.clock.now();
    const next = new Date(now.getTime() + this.crlPeriodSeconds * 1000);
    const rows = this.ctx.db.prepare("SELECT serial, reason, revoked_at FROM ca_certificates WHERE ca_id = ? AND status IN ('REVOKED', 'ON_HOLD')").all(caId) as { serial: string; reason: number | null; revoked_at: string }[];
    const built = issueCrl({
      thisUpdate: now, nextUpdate: next, crlNumber: BigInt(number),
      revoked: rows.map((x) => ({ serial: BigInt('0x' + x.serial), revocationDate: new Date(x.revoked_at), reason: x.reason === null || x.reason === 0 ? undefined : x.reason })),
    }, this.issuerSpec(ca));
    const der = Buffer.from(built.der);
    this.ctx.db.prepare('INSERT INTO ca_crls (ca_id, number, this_update, next_update, der) VALUES (?,?,?,?,?)').run(caId, number, now.toISOString(), next.toISOString(), der);
    this.ctx.audit.append({ ...ac, action: 'CRL_ISSUE', resource: { type: 'crl', id: `${caId}#${number}` }, outcome: 'SUCCESS', details: { entries: rows.length } });
    return { number, der, thisUpdate: now.toISOString(), nextUpdate: next.toISOString() };
  }

  /** Periodic issuance, run by the platform's maintenance tick. */
  sweep(): void {
    for (const a of this.authorities.values()) if (a.kind === 'root' || a.kind === 'sub') this.currentCrl(a.id);
  }
}

export function normSerial(s: string): string {
  const t = s.trim().toLowerCase().replace(/^0x/, '').replace(/:/g, '');
  if (!/^[0-9a-f]{1,40}$/.test(t)) throw new ApiError(400, 'INVALID_ARGUMENT', `serial "${s.slice(0, 50)}": hexadecimal, at most 20 octets`);
  return BigInt('0x' + t).toString(16);
}

export function toPem(der: Uint8Array): string {
  const b = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b}${b.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}
