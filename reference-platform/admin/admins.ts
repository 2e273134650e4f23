import { pbkdf2Sync, randomBytes, randomUUID } from 'node:crypto';
import { SM2_DEFAULT_ID, sm2ValidatePublicKey, sm2Verify, timingSafeEqualBytes } from '../../lib/gm/index.ts';
import type { Db } from '../store/db.ts';
import type { Defects } from '../defects/registry.ts';
import { ApiError } from '../api/errors.ts';

export const ROLES = ['super_admin', 'business_admin', 'audit_admin', 'operator', 'auditor', 'judicial_officer'] as const;
export type Role = (typeof ROLES)[number];
/** Role pairs one person may never hold together (三员分立: system, security/business and audit duties apart). */
export const CONFLICTS: [Role, Role][] = [
  ['business_admin', 'audit_admin'], ['business_admin', 'auditor'], ['super_admin', 'audit_admin'], ['super_admin', 'auditor'],
  ['super_admin', 'business_admin'], ['judicial_officer', 'business_admin'], ['judicial_officer', 'super_admin'], ['operator', 'auditor'],
];

export interface Admin { id: string; username: string; roles: Role[]; state: string; publicKey: Buffer }
export interface Session { token: string; adminId: string; username: string; roles: Role[]; expiresAt: number }

const PBKDF2_ROUNDS = 20_000;
const CHALLENGE_TTL_MS = 60_000;
const SESSION_TTL_MS = 15 * 60_000;

/**
 * Administrators (T/TCGIA 0003-2023 §6.4, §6.5.6 b): login needs the password AND an SM2 signature over a
 * fresh server challenge with the administrator's key (a soft "smart key") — two factors, GB/T 15843.3
 * style unilateral authentication. Sessions are short bearer tokens bound to the admin's roles.
 */
export class Admins {
  private readonly challenges = new Map<string, { adminId: string; challenge: Buffer; expiresAt: number }>();
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly db: Db, private readonly defects: Defects) {}

  /** Refuses role sets that break separation of duties (409 SOD_VIOLATION). */
  checkSeparation(roles: string[]): Role[] {
    const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
    if (unknown.length || !roles.length) throw new ApiError(400, 'INVALID_ARGUMENT', `roles must be a non-empty subset of ${ROLES.join(', ')}`);
    if (!this.defects.has('no-role-separation')) {
      const c = CONFLICTS.find(([a, b]) => roles.includes(a) && roles.includes(b));
      if (c) throw new ApiError(409, 'SOD_VIOLATION', `one person may not hold both ${c[0]} and ${c[1]}`);
    }
    return [...new Set(roles)] as Role[];
  }

  create(username: string, password: string, publicKey: Buffer, roles: string[]): Admin {
    if (!/^[A-Za-z0-9._-]{3,64}$/.test(username)) throw new ApiError(400, 'INVALID_ARGUMENT', 'username: 3..64 of A-Z a-z 0-9 . _ -');
    if (password.length < 12) throw new ApiError(400, 'INVALID_ARGUMENT', 'password: at least 12 characters');
    if (!sm2ValidatePublicKey(publicKey)) throw new ApiError(400, 'INVALID_ARGUMENT', 'publicKey: not a valid SM2 public key (04‖x‖y)');
    const r = this.checkSeparation(roles);
    if (this.db.prepare('SELECT 1 FROM admins WHERE username = ?').get(username)) throw new ApiError(409, 'ALREADY_EXISTS', `administrator ${username} exists`);
    const salt = randomBytes(16);
    const id = `adm-${randomUUID().slice(0, 8)}`;
    this.db.prepare('INSERT INTO admins (id, username, password_hash, salt, public_key, roles, state, created_at) VALUES (?,?,?,?,?,?,?,?)')
      .run(id, username, hashPassword(password, salt), salt, publicKey, JSON.stringify(r), 'ACTIVE', new Date().toISOString());
    return this.get(id)!;
  }

  get(id: string): Admin | undefined {
    const r = this.db.prepare('SELECT * FROM admins WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r ? toAdmin(r) : undefined;
  }

  setRoles(actor: Session, id: string, roles: string[]): Admin {
    if (actor.adminId === id) throw new ApiError(403, 'SELF_GRANT', 'an administrator cannot change their own roles');
    if (!this.get(id)) throw new ApiError(404, 'NOT_FOUND', `no administrator ${id}`);
    const r = this.checkSeparation(roles);
    this.db.prepare('UPDATE admins SET roles = ? WHERE id = ?').run(JSON.stringify(r), id);
    for (const s of this.sessions.values()) if (s.adminId === id) this.sessions.delete(s.token);
    return this.get(id)!;
  }

  /** Factor 1: the password. Returns a challenge for factor 2 (or, with the single-factor defect, a session). */
  login(username: string, password: string): { mfaToken: string; challenge: Buffer } | { session: Session } {
    const r = this.db.prepare("SELECT * FROM admins WHERE username = ? AND state = 'ACTIVE'").get(username) as Record<string, unknown> | undefined;
    const ok = r && timingSafeEqualBytes(hashPassword(password, r.salt as Buffer), r.password_hash as Buffer);
    if (!r || !ok) throw new ApiError(401, 'BAD_CREDENTIALS', 'unknown user or wrong password');
    const admin = toAdmin(r);
    const mfaToken = randomBytes(24).toString('base64url');
    const challenge = randomBytes(32);
    this.challenges.set(mfaToken, { adminId: admin.id, challenge, expiresAt: Date.now() + CHALLENGE_TTL_MS });
    return { mfaToken, challenge };
  }

  /** Factor 2: SM2 signature (Z with the default ID) over the challenge with the admin's registered key. */
  completeMfa(mfaToken: string, signature: Buffer): Session {
    const c = this.challenges.get(mfaToken);
    this.challenges.delete(mfaToken);
    if (!c || c.expiresAt < Date.now()) throw new ApiError(401, 'MFA_FAILED', 'unknown or expired login challenge');
    const admin = this.get(c.adminId)!;
    let valid = false;
    try {
      valid = sm2Verify(admin.publicKey, c.challenge, signature, { id: SM2_DEFAULT_ID, format: 'der' });
    } catch {
      valid = false;
    }
    // defect single-factor-admin: the second factor is asked for but never checked
    if (!valid && !this.defects.has('single-factor-admin')) throw new ApiError(401, 'MFA_FAILED', 'the SM2 signature over the challenge does not verify with the registered admin key');
    const s: Session = { token: randomBytes(32).toString('base64url'), adminId: admin.id, username: admin.username, roles: admin.roles, expiresAt: Date.now() + SESSION_TTL_MS };
    this.sessions.set(s.token, s);
    return s;
  }

  session(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const s = this.sessions.get(token);
    if (!s || s.expiresAt < Date.now()) return undefined;
    return s;
  }

  logout(token: string): void {
    this.sessions.delete(token);
  }
}

function hashPassword(password: string, salt: Buffer): Buffer {
  return pbkdf2Sync(password, salt, PBKDF2_ROUNDS, 32, 'sm3');
}

function toAdmin(r: Record<string, unknown>): Admin {
  return { id: String(r.id), username: String(r.username), roles: JSON.parse(String(r.roles)) as Role[], state: String(r.state), publicKey: Buffer.from(r.public_key as Buffer) };
}
