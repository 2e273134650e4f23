import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context.ts';
import type { Role } from '../admin/admins.ts';
import type { AuditInput } from '../audit/audit-log.ts';
import { actorOf, type RouteAuth } from './server.ts';
import { ApiError } from './errors.ts';

const b64 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 4 * 1024 * 1024 } as const;
const admin = (...roles: Role[]): { config: RouteAuth } => ({ config: { admin: true, roles: roles.length ? roles : undefined } });
const hook = (...roles: Role[]): { config: RouteAuth } => ({ config: { admin: true, conformance: true, roles: roles.length ? roles : undefined } });
const noBody = { body: { type: 'object', additionalProperties: false } } as const;

/**
 * Device groups and dedicated devices (§6.1.2, §6.1.3 c), interface lifecycle and monitoring (§6.4 f/h),
 * software and configuration integrity (§6.5.5 a) and the supervision report (§6.5.10) — administrator routes,
 * each state change audited in the same transaction.
 */
export function registerPlatformRoutes(api: FastifyInstance, ctx: PlatformContext): void {
  const audited = <T>(req: FastifyRequest, action: string, resource: AuditInput['resource'], fn: () => T, details?: (r: T) => Record<string, unknown>): T =>
    ctx.db.transaction(() => {
      const r = fn();
      ctx.audit.append({ actor: actorOf(req), action, resource, outcome: 'SUCCESS', requestId: req.id, details: details?.(r) });
      return r;
    })();
  const param = (req: FastifyRequest, name: string) => String((req.params as Record<string, string>)[name]);
  const keyById = (c: PlatformContext, id: string) => {
    const k = c.keys.byId(id);
    if (!k) throw new ApiError(404, 'KEY_NOT_FOUND', `no key ${id}`);
    return k;
  };

  // --- device groups (§6.1.2) and dedicated devices (§6.1.3 c) ------------------------------------------
  const groupAdmin = admin('business_admin');
  api.get('/pool/groups', admin('business_admin', 'operator'), async () => ({ groups: ctx.groups.list() }));
  api.post('/pool/groups', {
    ...groupAdmin,
    schema: { body: { type: 'object', additionalProperties: false, required: ['name', 'deviceIds'], properties: {
      name: { type: 'string', minLength: 1, maxLength: 128 }, isolation: { enum: ['EXCLUSIVE', 'SHARED'] },
      deviceIds: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'string', maxLength: 64 } } } } },
  }, async (req, reply) => {
    const b = req.body as { name: string; isolation?: 'EXCLUSIVE' | 'SHARED'; deviceIds: string[] };
    const g = audited(req, 'GROUP_CREATE', undefined, () => ctx.groups.create(b.name, b.isolation ?? 'SHARED', b.deviceIds), (g) => ({ groupId: g.groupId, members: g.members.map((m) => m.deviceId), isolation: g.isolation }));
    return reply.code(201).send(g);
  });
  api.get('/pool/groups/:gid', admin('business_admin', 'operator'), async (req) => {
    const g = ctx.groups.view(param(req, 'gid'));
    if (!g) throw new ApiError(404, 'GROUP_NOT_FOUND', `no device group ${param(req, 'gid')}`);
    return g;
  });
  api.delete('/pool/groups/:gid', groupAdmin, async (req) => {
    const gid = param(req, 'gid');
    audited(req, 'GROUP_DELETE', { type: 'group', id: gid }, () => ctx.groups.delete(gid));
    return { groupId: gid, deleted: true };
  });
  api.post('/pool/groups/:gid/devices', {
    ...groupAdmin,
    schema: { body: { type: 'object', additionalProperties: false, required: ['deviceId'], properties: { deviceId: { type: 'string', maxLength: 64 } } } },
  }, async (req) => {
    const gid = param(req, 'gid');
    const d = (req.body as { deviceId: string }).deviceId;
    return audited(req, 'GROUP_ADD_DEVICE', { type: 'group', id: gid }, () => ctx.groups.addDevice(gid, d), () => ({ deviceId: d }));
  });
  api.delete('/pool/groups/:gid/devices/:deviceId', groupAdmin, async (req) => {
    const gid = param(req, 'gid');
    const d = param(req, 'deviceId');
    return audited(req, 'GROUP_REMOVE_DEVICE', { type: 'group', id: gid }, () => ctx.groups.removeDevice(gid, d), () => ({ deviceId: d }));
  });
  api.put('/apps/:id/device-group', {
    ...groupAdmin,
    schema: { body: { type: 'object', additionalProperties: false, required: ['groupId'], properties: { groupId: { type: ['string', 'null'], maxLength: 64 } } } },
  }, async (req) => {
    const appId = param(req, 'id');
    if (!ctx.apps.get(appId)) throw new ApiError(404, 'NOT_FOUND', 'no such application');
    const gid = (req.body as { groupId: string | null }).groupId;
    audited(req, 'APP_DEVICE_GROUP', { type: 'app', id: appId }, () => ctx.groups.assignApp(appId, gid), () => ({ groupId: gid }));
    return { appId, groupId: ctx.groups.groupOf(appId) };
  });
  api.post('/pool/groups/:gid/keys/:keyId/sync', { ...groupAdmin, schema: noBody }, async (req) => {
    const gid = param(req, 'gid');
    const k = keyById(ctx, param(req, 'keyId'));
    const r = audited(req, 'GROUP_KEY_SYNC', { type: 'key', id: k.id }, () => ctx.groups.syncKey(gid, k), (r) => ({ groupId: gid, replicas: r.replicas }));
    return { groupId: gid, keyId: k.id, blob: r.blob, replicas: r.replicas, placement: ctx.groups.placementOf(k.id) };
  });
  api.post('/pool/groups/:gid/sync-import', {
    ...groupAdmin,
    schema: { body: { type: 'object', additionalProperties: false, required: ['blob'], properties: { blob: b64 } } },
  }, async (req) => {
    const gid = param(req, 'gid');
    const replicas = audited(req, 'GROUP_KEY_SYNC_IMPORT', { type: 'group', id: gid }, () => ctx.groups.importSync(gid, (req.body as { blob: string }).blob), (r) => ({ replicas: r }));
    return { groupId: gid, replicas };
  });
  api.get('/pool/keys/:keyId/placement', admin('business_admin', 'operator'), async (req) => {
    const k = keyById(ctx, param(req, 'keyId'));
    return { keyId: k.id, groupId: k.groupId, placement: ctx.groups.placementOf(k.id) };
  });

  // --- interface lifecycle (§6.4 f) and monitoring (§6.4 h) ---------------------------------------------
  const interfaceView = () => {
    const m = new Map(ctx.metrics.snapshot().interfaces.map((i) => [i.name, i]));
    return ctx.interfaces.list().map((r) => {
      const u = m.get(`${r.method} ${r.path}`) ?? { calls: 0, errors: 0, meanMs: 0 };
      // defect interface-calls-uncounted: refused calls vanish from the interface statistics
      const calls = ctx.defects.has('interface-calls-uncounted') ? u.calls - u.errors : u.calls;
      const errors = ctx.defects.has('interface-calls-uncounted') ? 0 : u.errors;
      return { ...r, availability: r.state === 'PUBLISHED' ? 'AVAILABLE' : 'UNAVAILABLE', calls, errors, meanMs: u.meanMs, successRate: calls ? Math.round(((calls - errors) / calls) * 1000) / 1000 : null };
    });
  };
  api.get('/admin/interfaces', admin('super_admin', 'business_admin', 'operator', 'auditor'), async () => ({ since: ctx.metrics.since, interfaces: interfaceView() }));
  api.get('/admin/interfaces/:iid', admin('super_admin', 'business_admin', 'operator', 'auditor'), async (req) => {
    const v = interfaceView().find((i) => i.interfaceId === param(req, 'iid'));
    if (!v) throw new ApiError(404, 'INTERFACE_NOT_FOUND', `no interface ${param(req, 'iid')}`);
    return v;
  });
  api.post('/admin/interfaces/:iid/:action', {
    ...admin('super_admin', 'business_admin'),
    schema: { body: { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 256 } } } },
  }, async (req) => {
    const iid = param(req, 'iid');
    const action = param(req, 'action');
    return audited(req, `INTERFACE_${action.toUpperCase()}`, { type: 'interface', id: iid }, () => ctx.interfaces.transition(iid, action, req.session!.username, (req.body as { note?: string } | undefined)?.note), (r) => ({ state: r.state, version: r.version }));
  });
  api.post('/admin/interfaces/:iid/versions', {
    ...admin('super_admin', 'business_admin'),
    schema: { body: { type: 'object', additionalProperties: false, required: ['version'], properties: { version: { type: 'string', maxLength: 32 }, note: { type: 'string', maxLength: 256 } } } },
  }, async (req, reply) => {
    const iid = param(req, 'iid');
    const b = req.body as { version: string; note?: string };
    return reply.code(201).send(audited(req, 'INTERFACE_VERSION', { type: 'interface', id: iid }, () => ctx.interfaces.newVersion(iid, b.version, req.session!.username, b.note), (r) => ({ version: r.version })));
  });

  // --- software and configuration integrity (§6.5.5 a) ---------------------------------------------------
  const integrityReaders = admin('super_admin', 'auditor', 'audit_admin', 'operator');
  api.get('/sys/integrity', integrityReaders, async () => ctx.integrity.report());
  api.post('/sys/integrity/verify', { ...integrityReaders, schema: noBody }, async (req) => {
    const r = ctx.integrity.verify();
    ctx.audit.append({ actor: actorOf(req), action: 'INTEGRITY_VERIFY', outcome: r.status === 'OK' ? 'SUCCESS' : 'FAILED', requestId: req.id, details: { status: r.status, mismatches: r.mismatches.map((m) => m.path).slice(0, 20) } });
    return r;
  });
  api.post('/sys/test/integrity/alter', {
    ...hook(),
    schema: { body: { type: 'object', additionalProperties: false, required: ['path'], properties: { path: { type: 'string', maxLength: 512 } } } },
  }, async (req) => {
    const path = (req.body as { path: string }).path;
    const altered = ctx.integrity.toggleAltered(path);
    ctx.audit.append({ actor: { type: 'conformance', id: req.session!.username }, action: 'TEST_INTEGRITY_ALTER', outcome: 'SUCCESS', requestId: req.id, details: { path, altered } });
    return { path, altered };
  });

  // --- supervision report (§6.5.10, §9.5) ----------------------------------------------------------------
  const supervisors = admin('super_admin', 'auditor', 'audit_admin');
  api.get('/supervision/public-key', supervisors, async () => ({ algorithm: 'SM2-SM3', userId: '1234567812345678', publicKey: ctx.supervision.publicKey().toString('base64') }));
  api.post('/supervision/reports', {
    ...supervisors,
    schema: { body: { type: 'object', additionalProperties: false, properties: { recipientPublicKey: b64 } } },
  }, async (req, reply) => {
    const rp = (req.body as { recipientPublicKey?: string } | undefined)?.recipientPublicKey;
    const r = audited(req, 'SUPERVISION_REPORT', undefined, () => ctx.supervision.create(rp ? Buffer.from(rp, 'base64') : undefined), (r) => ({ reportId: r.reportId, enveloped: !!r.envelope }));
    return reply.code(201).send(r);
  });
}
