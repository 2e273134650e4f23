import { randomUUID } from 'node:crypto';
import type { Role, Session } from '../admin/admins.ts';
import type { PlatformContext } from '../context.ts';
import type { AuditCtx } from '../keys/keys.ts';
import { ApiError } from '../api/errors.ts';

export type ApprovalState = 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXECUTED' | 'EXPIRED';
export interface Decision { admin: string; roles: string[]; decision: 'approve' | 'reject'; at: string }
export interface Approval {
  id: string; action: string; requester: string; params: Record<string, unknown>; state: ApprovalState;
  required: number; approverRoles: Role[]; decisions: Decision[]; expiresAt: string; createdAt: string; executedAt?: string;
}
export interface ApprovalPolicy { required: number; approverRoles: Role[]; ttlSeconds: number }

/** M-of-N policies per dangerous action (reference-platform-api.md §6); thresholds are configuration. */
export const DEFAULT_POLICIES: Record<string, ApprovalPolicy> = {
  KM_JUDICIAL_RECOVERY: { required: 2, approverRoles: ['business_admin', 'audit_admin'], ttlSeconds: 24 * 3600 },
  KM_USER_RECOVERY: { required: 1, approverRoles: ['business_admin'], ttlSeconds: 24 * 3600 },
  // requested by the owning application (requester "app:<id>"), approved by the key custodians' administrators
  KEY_EMERGENCY_DESTROY: { required: 2, approverRoles: ['super_admin', 'business_admin'], ttlSeconds: 3600 },
};

/**
 * The generic M-of-N approval object: PENDING ─approve (distinct approvers holding an approver role, never the
 * requester)─► APPROVED ─execute (the requester, once)─► EXECUTED; PENDING ─reject─► REJECTED; ─ttl─► EXPIRED.
 * Every decision, refusal included, is audited.
 */
export class Approvals {
  readonly policies: Record<string, ApprovalPolicy> = structuredClone(DEFAULT_POLICIES);
  constructor(private readonly ctx: PlatformContext) {}

  policy(action: string): ApprovalPolicy {
    const p = this.policies[action];
    if (!p) throw new ApiError(400, 'INVALID_ARGUMENT', `no approval policy for ${action}`);
    // defect km-judicial-single-approval: one approval releases a judicial recovery
    if (action === 'KM_JUDICIAL_RECOVERY' && this.ctx.defects.has('km-judicial-single-approval')) return { ...p, required: 1 };
    return p;
  }

  create(ac: AuditCtx, action: string, requester: string, params: Record<string, unknown>): Approval {
    const p = this.policy(action);
    const now = this.ctx.clock.now();
    const a: Approval = {
      id: `apr-${randomUUID().slice(0, 12)}`, action, requester, params, state: 'PENDING', required: p.required, approverRoles: p.approverRoles,
      decisions: [], expiresAt: new Date(now.getTime() + p.ttlSeconds * 1000).toISOString(), createdAt: now.toISOString(),
    };
    this.ctx.db.prepare('INSERT INTO approvals (id, action, requester, params, state, required, approver_roles, decisions, expires_at, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)')
      .run(a.id, action, requester, JSON.stringify(params), a.state, a.required, JSON.stringify(a.approverRoles), '[]', a.expiresAt, a.createdAt);
    this.ctx.audit.append({ ...ac, action: 'APPROVAL_REQUEST', resource: { type: 'approval', id: a.id }, outcome: 'SUCCESS', details: { action, required: a.required } });
    return a;
  }

  get(id: string): Approval {
    const r = this.ctx.db.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!r) throw new ApiError(404, 'NOT_FOUND', `no approval ${id}`);
    const a: Approval = {
      id: String(r.id), action: String(r.action), requester: String(r.requester), params: JSON.parse(String(r.params)), state: r.state as ApprovalState,
      required: Number(r.required), approverRoles: JSON.parse(String(r.approver_roles)), decisions: JSON.parse(String(r.decisions)),
      expiresAt: String(r.expires_at), createdAt: String(r.created_at), executedAt: r.executed_at ? String(r.executed_at) : undefined,
    };
    if ((a.state === 'PENDING' || a.state === 'APPROVED') && Date.parse(a.expiresAt) < this.ctx.clock.now().getTime()) a.state = 'EXPIRED';
    return a;
  }

  list(): Approval[] {
    return (this.ctx.db.prepare('SELECT id FROM approvals ORDER BY created_at DESC LIMIT 200').all() as { id: string }[]).map((r) => this.get(r.id));
  }

  decide(ac: AuditCtx, id: string, s: Session, decision: 'approve' | 'reject'): Approval {
    return this.ctx.db.transaction(() => {
      const a = this.get(id);
      if (a.state !== 'PENDING') throw new ApiError(409, 'INVALID_STATE', `approval ${id} is ${a.state}`);
      if (a.requester === s.username) throw new ApiError(403, 'SELF_APPROVAL', 'a requester never approves their own request');
      if (!s.roles.some((r) => a.approverRoles.includes(r))) throw new ApiError(403, 'FORBIDDEN', `approving ${a.action} needs role ${a.approverRoles.join(' or ')}`);
      if (a.decisions.some((d) => d.admin === s.username)) throw new ApiError(409, 'ALREADY_DECIDED', `${s.username} has already decided on ${id}: one person counts once`);
      a.decisions.push({ admin: s.username, roles: s.roles, decision, at: this.ctx.clock.iso() });
      const approvals = a.decisions.filter((d) => d.decision === 'approve').length;
      a.state = decision === 'reject' ? 'REJECTED' : approvals >= a.required ? 'APPROVED' : 'PENDING';
      this.ctx.db.prepare('UPDATE approvals SET decisions = ?, state = ? WHERE id = ?').run(JSON.stringify(a.decisions), a.state, id);
      this.ctx.audit.append({ ...ac, action: decision === 'approve' ? 'APPROVAL_APPROVE' : 'APPROVAL_REJECT', resource: { type: 'approval', id }, outcome: 'SUCCESS', details: { action: a.action, approvals, required: a.required, state: a.state } });
      return a;
    })();
  }

  /** Runs `fn` once for an APPROVED request of `action`, by its requester; marks it EXECUTED in the same transaction. */
  execute<T>(ac: AuditCtx, id: string, s: Session, action: string, fn: (a: Approval) => T): T {
    return this.executeBy(ac, id, s.username, action, fn);
  }

  /** As execute, for a requester that is not an administrator session (an application: "app:<id>"). */
  executeBy<T>(ac: AuditCtx, id: string, requester: string, action: string, fn: (a: Approval) => T): T {
    return this.ctx.db.transaction(() => {
      const a = this.get(id);
      if (a.action !== action) throw new ApiError(404, 'NOT_FOUND', `no ${action} request ${id}`);
      if (a.requester !== requester) throw new ApiError(403, 'NOT_REQUESTER', 'only the requester executes an approved request');
      if (a.state !== 'APPROVED') {
        const n = a.decisions.filter((d) => d.decision === 'approve').length;
        throw new ApiError(409, a.state === 'PENDING' ? 'APPROVAL_REQUIRED' : 'INVALID_STATE', `request ${id} is ${a.state} (${n} of ${a.required} approvals)`);
      }
      const out = fn(a);
      this.ctx.db.prepare("UPDATE approvals SET state = 'EXECUTED', executed_at = ? WHERE id = ?").run(this.ctx.clock.iso(), id);
      this.ctx.audit.append({ ...ac, action: 'APPROVAL_EXECUTE', resource: { type: 'approval', id }, outcome: 'SUCCESS', details: { action } });
      return out;
    })();
  }
}
