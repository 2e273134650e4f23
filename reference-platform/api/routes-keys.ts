import type { FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context.ts';
import { KEY_ACTIONS, KEY_TYPES, type KeyRecord, type KeyType } from '../keys/keys.ts';
import { Access } from './access.ts';
import { ApiError } from './errors.ts';

const b64 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 16 * 1024 * 1024 } as const;
const bytes = (v: string) => Buffer.from(v, 'base64');

/** Key metadata only — never material (reference-platform-api.md §1.1). */
function view(ctx: PlatformContext, k: KeyRecord): Record<string, unknown> {
  return {
    keyId: k.id, name: k.name, type: k.type, state: k.state, origin: k.origin, exportable: k.exportable, deviceId: k.deviceId,
    primaryVersion: k.primaryVersion, versions: ctx.keys.versions(k.id).map((v) => ({ version: v.version, state: v.state })),
    rotationPeriodDays: k.rotationPeriodDays, nextRotationAt: k.nextRotationAt, destroyAt: k.destroyAt,
  };
}

/** Key lifecycle (T/TCGIA 0003-2023 §6.2 c, §6.5.3): generation, import, states, rotation, export, backup, destruction. */
export function registerKeyRoutes(api: FastifyInstance, ctx: PlatformContext): void {
  const access = new Access(ctx);

  api.post('/keys', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['type'], properties: {
      type: { enum: KEY_TYPES }, name: { type: 'string', maxLength: 128 }, exportable: { type: 'boolean' },
      rotationPeriodDays: { type: 'integer', minimum: 1, maximum: 3650 }, activate: { type: 'boolean' } } } },
  }, async (req, reply) => {
    const b = req.body as { type: KeyType; name?: string; exportable?: boolean; rotationPeriodDays?: number; activate?: boolean };
    const app = access.authorize(req, 'generateKey');
    const k = ctx.keys.generate(access.audit(req), app.id, b.type, b);
    return reply.code(201).send(view(ctx, k));
  });

  api.get('/keys', async (req) => ({ keys: ctx.keys.list(access.app(req).id).map((k) => view(ctx, k)) }));

  api.get('/keys/import-parameters', async (req) => {
    const p = ctx.keys.importParameters(access.authorize(req, 'importKey').id);
    return { importToken: p.importToken, wrappingPublicKey: p.wrappingPublicKey.toString('base64'), wrappingAlgorithm: 'SM2 (GM/T 0009 C1C3C2 DER)' };
  });

  api.post('/keys/import', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['type', 'wrappedKey', 'importToken'], properties: { type: { enum: ['SM4', 'HMAC_SM3'] }, name: { type: 'string', maxLength: 128 }, wrappedKey: b64, importToken: { type: 'string', maxLength: 64 }, exportable: { type: 'boolean' } } } },
  }, async (req, reply) => {
    const b = req.body as { type: KeyType; name?: string; wrappedKey: string; importToken: string; exportable?: boolean };
    const app = access.authorize(req, 'importKey');
    const k = ctx.keys.importWrapped(access.audit(req), app.id, b.importToken, b.type, bytes(b.wrappedKey), b);
    if (k === 'BAD_TOKEN') throw new ApiError(400, 'BAD_IMPORT_TOKEN', 'import token unknown, used, expired or for another application');
    return reply.code(201).send(view(ctx, k));
  });

  api.post('/keys/restore', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['blob', 'shares'], properties: { blob: b64, shares: { type: 'array', maxItems: 16, items: b64 } } } },
  }, async (req, reply) => {
    const b = req.body as { blob: string; shares: string[] };
    const app = access.authorize(req, 'backupKey');
    return reply.code(201).send(view(ctx, ctx.keys.restore(access.audit(req), app.id, b.blob, b.shares.map(bytes))));
  });

  api.get('/keys/:id', async (req) => view(ctx, access.key(req, (req.params as { id: string }).id, 'manageKey')));

  api.get('/keys/:id/public-key', async (req) => {
    const k = access.use(req, (req.params as { id: string }).id, ['SM2_SIGN', 'SM2_ENC'], 'process', 'verify');
    const v = ctx.keys.version(k);
    return { keyId: k.id, version: v.version, publicKey: ctx.pool.get(v.deviceId).exportPublicKey(v.slot).toString('base64') };
  });

  api.post('/keys/:id/:action', {
    schema: { body: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 256 } } } },
  }, async (req) => {
    const { id, action } = req.params as { id: string; action: string };
    if (!KEY_ACTIONS.includes(action)) throw new ApiError(404, 'NOT_FOUND', `no key action ${action}`);
    const k = access.key(req, id);
    return view(ctx, ctx.keys.transition(access.audit(req), k, action, { reason: (req.body as { reason?: string } | undefined)?.reason }));
  });

  api.post('/keys/:id/rotate', async (req) => view(ctx, ctx.keys.rotate(access.audit(req), access.key(req, (req.params as { id: string }).id))));

  api.put('/keys/:id/rotation-policy', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['rotationPeriodDays'], properties: { rotationPeriodDays: { type: ['integer', 'null'], minimum: 1, maximum: 3650 } } } },
  }, async (req) => view(ctx, ctx.keys.setRotationPolicy(access.audit(req), access.key(req, (req.params as { id: string }).id), (req.body as { rotationPeriodDays: number | null }).rotationPeriodDays)));

  api.post('/keys/:id/schedule-destruction', {
    schema: { body: { type: 'object', additionalProperties: false, properties: { pendingWindowDays: { type: 'integer' } } } },
  }, async (req) => view(ctx, ctx.keys.scheduleDestruction(access.audit(req), access.key(req, (req.params as { id: string }).id), (req.body as { pendingWindowDays?: number }).pendingWindowDays ?? 30)));

  // Emergency destruction (reference-platform-api.md §6): the owning application requests, M administrators approve
  // (KEY_EMERGENCY_DESTROY policy), the application executes once and the key is destroyed at that moment.
  api.post('/keys/:id/emergency-destroy', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1, maxLength: 256 } } } },
  }, async (req, reply) => {
    const k = access.key(req, (req.params as { id: string }).id);
    const reason = (req.body as { reason: string }).reason;
    // defect emergency-destroy-no-approval: the request alone destroys the key
    if (ctx.defects.has('emergency-destroy-no-approval')) return { ...view(ctx, ctx.keys.emergencyDestroy(access.audit(req), k, reason)), approvalId: '', approvalState: 'NOT_REQUIRED' };
    if (/^DESTROYED/.test(k.state)) throw new ApiError(409, 'ILLEGAL_TRANSITION', `key ${k.id} is already ${k.state}`);
    const a = ctx.db.transaction(() => ctx.pki!.approvals.create(access.audit(req), 'KEY_EMERGENCY_DESTROY', `app:${k.appId}`, { keyId: k.id, reason }))();
    return reply.code(202).send({ ...view(ctx, k), approvalId: a.id, approvalState: a.state, required: a.required });
  });
  api.post('/keys/:id/emergency-destroy/execute', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['approvalId'], properties: { approvalId: { type: 'string', maxLength: 64 } } } },
  }, async (req) => {
    const k = access.key(req, (req.params as { id: string }).id);
    const id = (req.body as { approvalId: string }).approvalId;
    return view(ctx, ctx.pki!.approvals.executeBy(access.audit(req), id, `app:${k.appId}`, 'KEY_EMERGENCY_DESTROY', (a) => {
      if (a.params.keyId !== k.id) throw new ApiError(409, 'INVALID_STATE', `approval ${id} is for key ${String(a.params.keyId)}, not ${k.id}`);
      return ctx.keys.emergencyDestroy(access.audit(req), k, `${String(a.params.reason)} (approved by ${a.decisions.filter((d) => d.decision === 'approve').map((d) => d.admin).join(', ')})`);
    }));
  });

  api.post('/keys/:id/export', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['wrappingPublicKey'], properties: { format: { enum: ['ENVELOPE'] }, wrappingPublicKey: b64 } } },
  }, async (req) => {
    const k = access.key(req, (req.params as { id: string }).id, 'exportKey');
    const r = ctx.keys.exportKey(access.audit(req), k, bytes((req.body as { wrappingPublicKey: string }).wrappingPublicKey));
    return { keyId: k.id, version: r.version, format: 'ENVELOPE', algorithm: 'SM2 (GM/T 0009 C1C3C2 DER)', wrappedKey: r.wrappedKey.toString('base64') };
  });

  api.post('/keys/:id/backups', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['threshold', 'custodians'], properties: {
      threshold: { type: 'integer' },
      custodians: { type: 'array', minItems: 2, maxItems: 16, items: { type: 'object', additionalProperties: false, required: ['name', 'publicKey'], properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, publicKey: b64 } } } } } },
  }, async (req, reply) => {
    const b = req.body as { threshold: number; custodians: { name: string; publicKey: string }[] };
    const k = access.key(req, (req.params as { id: string }).id, 'backupKey');
    const r = ctx.keys.backup(access.audit(req), k, b.threshold, b.custodians.map((c) => ({ name: c.name, publicKey: bytes(c.publicKey) })));
    return reply.code(201).send({ backupId: r.backupId, blob: r.blob, threshold: b.threshold, shares: r.shares.map((s) => ({ index: s.index, custodian: s.custodian, encryptedShare: s.encryptedShare.toString('base64') })) });
  });

  api.get('/keys/:id/backups/:backupId', async (req) => {
    const { id, backupId } = req.params as { id: string; backupId: string };
    const k = access.key(req, id, 'backupKey');
    const rec = ctx.keys.backupRecord(access.app(req).id, k.id, backupId);
    if (!rec) throw new ApiError(404, 'BACKUP_NOT_FOUND', `no backup ${backupId} of key ${k.id}`);
    return rec;
  });
}
