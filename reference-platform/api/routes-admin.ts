import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context.ts';
import { APP_OPERATIONS } from '../apps/apps.ts';
import type { Role } from '../admin/admins.ts';
import type { AuditInput } from '../audit/audit-log.ts';
import type { FaultMode } from '../devices/soft-sdf.ts';
import { actorOf, type RouteAuth } from './server.ts';
import { ApiError } from './errors.ts';

const b64 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 1024 * 1024 } as const;
const admin = (...roles: Role[]): { config: RouteAuth } => ({ config: { admin: true, roles: roles.length ? roles : undefined } });
const hook = (...roles: Role[]): { config: RouteAuth } => ({ config: { admin: true, conformance: true, roles: roles.length ? roles : undefined } });

/**
 * Administration (T/TCGIA 0003-2023 §6.4, §6.5.6), the resource pool (§6.1), monitoring (§6.4 h) and
 * audit (§6.5.7) — all behind an administrator session with role checks — plus conformance hooks.
 */
export function registerAdminRoutes(api: FastifyInstance, ctx: PlatformContext): void {
  /** A state change and its audit record in one transaction. */
  const audited = <T>(req: FastifyRequest, action: string, resource: AuditInput['resource'], fn: () => T, details?: (r: T) => Record<string, unknown>): T =>
    ctx.db.transaction(() => {
      const r = fn();
      ctx.audit.append({ actor: actorOf(req), action, resource, outcome: 'SUCCESS', requestId: req.id, details: details?.(r) });
      return r;
    })();

  // --- login: password, then SM2 challenge–response -----------------------------------------------
  api.post('/admin/login', {
    config: { public: true },
    schema: { body: { type: 'object', additionalProperties: false, required: ['username', 'password'], properties: { username: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 256 } } } },
  }, async (req) => {
    const b = req.body as { username: string; password: string };
    const r = ctx.admins.login(b.username, b.password);
    if ('session' in r) return { sessionToken: r.session.token, roles: r.session.roles };
    return { mfaToken: r.mfaToken, challenge: r.challenge.toString('base64'), signatureAlgorithm: 'SM2-SM3 (GB/T 32918.2, ID 1234567812345678), DER' };
  });

  api.post('/admin/login/mfa', {
    config: { public: true },
    schema: { body: { type: 'object', additionalProperties: false, required: ['mfaToken', 'signature'], properties: { mfaToken: { type: 'string', maxLength: 128 }, signature: b64 } } },
  }, async (req) => {
    const b = req.body as { mfaToken: string; signature: string };
    const s = ctx.admins.completeMfa(b.mfaToken, Buffer.from(b.signature, 'base64'));
    ctx.audit.append({ actor: { type: 'admin', id: s.username, role: s.roles.join('+') }, action: 'ADMIN_LOGIN', outcome: 'SUCCESS', requestId: req.id, details: { factors: ['password', 'SM2 challenge-response'] } });
    return { sessionToken: s.token, roles: s.roles, expiresAt: new Date(s.expiresAt).toISOString() };
  });

  api.get('/admin/me', admin(), async (req) => ({ username: req.session!.username, roles: req.session!.roles }));

  api.post('/admin/users', {
    ...admin('super_admin'),
    schema: { body: { type: 'object', additionalProperties: false, required: ['username', 'password', 'publicKey', 'roles'], properties: { username: { type: 'string' }, password: { type: 'string', maxLength: 256 }, publicKey: b64, roles: { type: 'array', items: { type: 'string' }, maxItems: 6 } } } },
  }, async (req, reply) => {
    const b = req.body as { username: string; password: string; publicKey: string; roles: string[] };
    const a = audited(req, 'ADMIN_CREATE', { type: 'admin', id: b.username }, () => ctx.admins.create(b.username, b.password, Buffer.from(b.publicKey, 'base64'), b.roles), (a) => ({ roles: a.roles }));
    return reply.code(201).send({ adminId: a.id, username: a.username, roles: a.roles });
  });

  api.put('/admin/users/:id/roles', {
    ...admin('super_admin'),
    schema: { body: { type: 'object', additionalProperties: false, required: ['roles'], properties: { roles: { type: 'array', items: { type: 'string' }, maxItems: 6 } } } },
  }, async (req) => {
    const id = (req.params as { id: string }).id;
    const a = audited(req, 'ADMIN_SET_ROLES', { type: 'admin', id }, () => ctx.admins.setRoles(req.session!, id, (req.body as { roles: string[] }).roles), (a) => ({ roles: a.roles }));
    return { adminId: a.id, username: a.username, roles: a.roles };
  });

  // --- applications (§6.2 b, §6.4 a/b) -------------------------------------------------------------
  api.post('/apps', {
    ...admin('business_admin'),
    schema: { body: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, contact: { type: 'string', maxLength: 256 } } } },
  }, async (req, reply) => {
    const b = req.body as { name: string; contact?: string };
    const r = audited(req, 'APP_ONBOARD', undefined, () => ctx.apps.create(b.name, b.contact), (r) => ({ appId: r.app.id, accessKey: r.accessKey }));
    // the secret is shown here, once; the platform keeps it only sealed
    return reply.code(201).send({ appId: r.app.id, name: r.app.name, tenantId: r.app.tenantId, credential: { kind: 'HMAC_SM3', accessKey: r.accessKey, secret: r.secret } });
  });

  api.get('/apps/:id', admin('business_admin', 'operator'), async (req) => {
    const d = ctx.apps.describe((req.params as { id: string }).id);
    if (!d) throw new ApiError(404, 'NOT_FOUND', 'no such application');
    return d;
  });

  api.put('/apps/:id', {
    ...admin('business_admin'),
    schema: { body: { type: 'object', additionalProperties: false, properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, contact: { type: 'string', maxLength: 256 } } } },
  }, async (req) => {
    const id = (req.params as { id: string }).id;
    const a = audited(req, 'APP_UPDATE', { type: 'app', id }, () => ctx.apps.update(id, req.body as { name?: string; contact?: string }));
    if (!a) throw new ApiError(404, 'NOT_FOUND', 'no such application');
    return ctx.apps.describe(id);
  });

  api.put('/apps/:id/policy', {
    ...admin('business_admin'),
    schema: { body: { type: 'object', additionalProperties: false, required: ['operations'], properties: { operations: { type: ['array', 'null'], items: { enum: APP_OPERATIONS } }, keyIds: { type: ['array', 'null'], items: { type: 'string' } } } } },
  }, async (req) => {
    const id = (req.params as { id: string }).id;
    if (!ctx.apps.get(id)) throw new ApiError(404, 'NOT_FOUND', 'no such application');
    const b = req.body as { operations: string[] | null; keyIds?: string[] | null };
    audited(req, 'APP_SET_POLICY', { type: 'app', id }, () => ctx.apps.setPolicy(id, { operations: b.operations, keyIds: b.keyIds ?? null }), () => ({ operations: b.operations, keyIds: b.keyIds ?? null }));
    return { appId: id, policy: ctx.apps.policy(id) };
  });

  // --- resource pool (§6.1) -------------------------------------------------------------------------
  const deviceView = (id: string) => {
    const d = ctx.pool.get(id);
    return { deviceId: d.info.id, model: d.info.model, vendor: d.info.vendor, type: d.info.type, serial: d.info.serial, state: d.info.state, calls: d.calls };
  };
  api.get('/pool/devices', admin('operator', 'business_admin'), async () => ({ devices: ctx.pool.list().map((d) => deviceView(d.info.id)) }));

  api.post('/pool/devices', {
    ...admin('operator'),
    schema: { body: { type: 'object', additionalProperties: false, required: ['model', 'vendor'], properties: { model: { type: 'string', minLength: 1, maxLength: 64 }, vendor: { type: 'string', minLength: 1, maxLength: 64 }, type: { type: 'string', maxLength: 64 } } } },
  }, async (req, reply) => {
    const b = req.body as { model: string; vendor: string; type?: string };
    const r = ctx.pool.enrol(b.model, b.vendor, b.type);
    ctx.audit.append({ actor: actorOf(req), action: 'DEVICE_ENROL', resource: { type: 'device', id: r.device.info.id }, outcome: 'SUCCESS', requestId: req.id, details: { model: b.model, vendor: b.vendor, selfTest: r.selfTest.detail } });
    return reply.code(201).send({ ...deviceView(r.device.info.id), selfTest: r.selfTest });
  });

  api.post('/pool/health-check', { ...admin('operator'), schema: { body: { type: 'object', additionalProperties: false } } }, async (req) => {
    const changes = audited(req, 'POOL_HEALTH_CHECK', undefined, () => ctx.pool.healthCheck(), (c) => ({ changes: c }));
    return { changes, devices: ctx.pool.list().map((d) => deviceView(d.info.id)) };
  });

  api.get('/monitor/metrics', admin('operator', 'auditor', 'business_admin'), async () => ({
    ...ctx.metrics.snapshot(),
    devices: ctx.pool.list().map((d) => ({ deviceId: d.info.id, state: d.info.state, calls: d.calls })),
  }));

  // --- audit (§6.5.7): read-only for auditors; no route edits or deletes a record --------------------
  const auditor = admin('auditor', 'audit_admin');
  api.get('/audit/records', auditor, async (req) => {
    const q = req.query as { resourceId?: string; action?: string; outcome?: string; sinceSeq?: string; limit?: string };
    return { records: ctx.audit.records({ resourceId: q.resourceId, action: q.action, outcome: q.outcome, sinceSeq: q.sinceSeq ? Number(q.sinceSeq) : undefined, limit: q.limit ? Math.min(1000, Number(q.limit)) : 1000 }) };
  });
  api.get('/audit/public-key', auditor, async () => ({ algorithm: 'SM2-SM3', userId: '1234567812345678', publicKey: ctx.audit.publicKey().toString('base64') }));
  api.get('/audit/checkpoints/latest', auditor, async () => ctx.audit.checkpoint());
  api.get('/audit/checkpoints/:size', auditor, async (req) => {
    const c = ctx.audit.checkpointAt(Number((req.params as { size: string }).size));
    if (!c) throw new ApiError(404, 'NOT_FOUND', 'no checkpoint of that size');
    return c;
  });
  api.get('/audit/proofs/inclusion', auditor, async (req) => {
    const q = req.query as { seq?: string; treeSize?: string };
    const p = ctx.audit.inclusionProof(Number(q.seq), Number(q.treeSize));
    if (!p) throw new ApiError(400, 'INVALID_ARGUMENT', 'seq must be < treeSize ≤ log size');
    return p;
  });
  api.get('/audit/proofs/consistency', auditor, async (req) => {
    const q = req.query as { first?: string; second?: string };
    const p = ctx.audit.consistencyProof(Number(q.first), Number(q.second));
    if (!p) throw new ApiError(400, 'INVALID_ARGUMENT', 'need 0 ≤ first ≤ second ≤ log size');
    return { first: Number(q.first), second: Number(q.second), path: p };
  });
  api.post('/audit/verify', { ...auditor, schema: { body: { type: 'object', additionalProperties: false } } }, async (req) => {
    const r = ctx.audit.verify();
    ctx.audit.append({ actor: actorOf(req), action: 'AUDIT_VERIFY', outcome: 'SUCCESS', requestId: req.id, details: r });
    return r;
  });
  api.delete('/audit/records/:seq', admin(), async () => {
    throw new ApiError(405, 'APPEND_ONLY', 'audit records cannot be deleted or modified');
  });

  // --- conformance hooks (CSP_CONFORMANCE_MODE=1), audited as actor "conformance" --------------------
  const asConformance = (req: FastifyRequest, action: string, resource: AuditInput['resource'], details: Record<string, unknown>) =>
    ctx.audit.append({ actor: { type: 'conformance', id: req.session!.username }, action, resource, outcome: 'SUCCESS', requestId: req.id, details });

  api.post('/sys/test/clock', {
    ...hook(),
    schema: { body: { type: 'object', additionalProperties: false, required: ['advanceSeconds'], properties: { advanceSeconds: { type: 'integer', minimum: 1, maximum: 10 * 365 * 86400 } } } },
  }, async (req) => {
    const s = (req.body as { advanceSeconds: number }).advanceSeconds;
    ctx.clock.advance(s);
    asConformance(req, 'TEST_CLOCK_ADVANCE', undefined, { advanceSeconds: s });
    ctx.maintenance();
    return { now: ctx.clock.iso() };
  });

  api.post('/pool/devices/:id/test/fail', {
    ...hook('operator'),
    schema: { body: { type: 'object', additionalProperties: false, required: ['mode'], properties: { mode: { enum: ['ERROR', 'TIMEOUT', 'OFF', 'NONE'] } } } },
  }, async (req) => {
    const id = (req.params as { id: string }).id;
    const mode = (req.body as { mode: FaultMode | 'NONE' }).mode;
    ctx.pool.injectFault(id, mode === 'NONE' ? undefined : mode);
    asConformance(req, 'TEST_DEVICE_FAULT', { type: 'device', id }, { mode });
    return deviceView(id);
  });

  api.post('/sys/test/audit/tamper', {
    ...hook(),
    schema: { body: { type: 'object', additionalProperties: false, required: ['seq'], properties: { seq: { type: 'integer', minimum: 0 } } } },
  }, async (req) => {
    const seq = (req.body as { seq: number }).seq;
    // deliberately not audited in the log it corrupts: it simulates an attacker writing to the store
    if (!ctx.audit.tamper(seq)) throw new ApiError(404, 'NOT_FOUND', `no audit record ${seq}`);
    return { tampered: seq };
  });

  api.post('/sys/test/apps/:id/policy/tamper', hook(), async (req) => {
    const id = (req.params as { id: string }).id;
    // like the audit hook: an attacker editing the policy row directly, so nothing is audited
    if (!ctx.apps.tamperPolicy(id)) throw new ApiError(404, 'NOT_FOUND', `no access-control policy stored for ${id}`);
    return { tampered: id };
  });
}
