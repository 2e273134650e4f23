import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sm2ValidatePublicKey } from '../../lib/gm/index.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import type { PlatformContext } from '../context.ts';
import type { Role } from '../admin/admins.ts';
import type { AuditCtx } from '../keys/keys.ts';
import { actorOf, type RouteAuth } from '../api/server.ts';
import { ApiError } from '../api/errors.ts';
import { normSerial } from '../ca/ca.ts';
import type { PkiServices } from '../ca/services.ts';
import type { KsRequest, Signed } from './km.ts';

const admin = (...roles: Role[]): { config: RouteAuth } => ({ config: { admin: true, roles: roles.length ? roles : undefined } });
const ac = (req: FastifyRequest): AuditCtx => ({ actor: actorOf(req), requestId: req.id });
const b64 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 4096 } as const;

/**
 * KM centre (GM/T 0034 §6, §12.4, §12.5): key stores, the GM/T 0014 endpoint (JSON twin, SM2-signed both ways),
 * user key recovery (enveloped to the subscriber's signing key) and judicial recovery (司法取证) — requested by a
 * judicial officer, released only after M-of-N approval by distinct administrators, executed once by the requester,
 * delivered as an SM2EnvelopedKey to the officer's key. Also the generic approval routes.
 */
export function registerKmRoutes(api: FastifyInstance, ctx: PlatformContext, pki: PkiServices): void {
  const { km, approvals, ca } = pki;

  api.get('/km/pool', admin('business_admin', 'auditor', 'audit_admin'), async () => ({ stores: km.stats(), lowWater: km.lowWater }));
  api.post('/km/pool/replenish', admin('business_admin'), async (req) => ({ added: km.replenish(ac(req), true), stores: km.stats() }));
  api.get('/km/keys/:userCertNo', admin('business_admin', 'auditor'), async (req) => km.keyInfo(normSerial((req.params as { userCertNo: string }).userCertNo)));
  // mutual authentication is by the SM2 signatures on CARequest / KMRespond (the transport is the platform's channel)
  api.post('/km/gmt0014', { config: { public: true } }, async (req) => km.handle(ac(req), req.body as Signed<KsRequest>));

  // user key recovery: the key pair of an encryption certificate, re-enveloped to the paired signing certificate's key
  api.post('/certificates/:serial/recover-key', admin('business_admin'), async (req) => {
    const enc = ca.get(normSerial((req.params as { serial: string }).serial));
    if (!enc || enc.kind !== 'enc' || !enc.pairSerial) throw new ApiError(404, 'NOT_FOUND', 'an encryption certificate with its paired signing certificate');
    const sign = ca.get(enc.pairSerial)!;
    const [r] = km.call(ac(req), [{ type: 'restoreKeyReq', userCertNo: enc.serial, userPubKey: Buffer.from(parseCertificate(sign.der).spki.publicKey).toString('base64') }]);
    if (!r || r.type !== 'restoreKeyRespond') throw new ApiError(409, 'KM_REFUSED', r && r.type === 'errorPkgRespond' ? r.errDesc : 'no answer');
    return { userCertNo: enc.serial, encryptedPrivateKey: r.retPriKey, encryptedPrivateKeyFormat: 'GM/T 0009 SM2EnvelopedKey', recipient: `signing certificate ${sign.serial}` };
  });

  api.post('/km/judicial-recoveries', {
    ...admin('judicial_officer'),
    schema: { body: { type: 'object', additionalProperties: false, required: ['caseNumber', 'documentDigest', 'userCertNo', 'officerPublicKey'], properties: {
      caseNumber: { type: 'string', minLength: 1, maxLength: 64 }, documentDigest: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
      userCertNo: { type: 'string', maxLength: 64 }, officerPublicKey: b64 } } },
  }, async (req, reply) => {
    const b = req.body as { caseNumber: string; documentDigest: string; userCertNo: string; officerPublicKey: string };
    if (!sm2ValidatePublicKey(Buffer.from(b.officerPublicKey, 'base64'))) throw new ApiError(400, 'INVALID_ARGUMENT', 'officerPublicKey: an SM2 public key (04‖x‖y, base64)');
    const certNo = normSerial(b.userCertNo);
    km.keyInfo(certNo);
    const a = ctx.db.transaction(() => approvals.create(ac(req), 'KM_JUDICIAL_RECOVERY', req.session!.username, { caseNumber: b.caseNumber, documentDigest: b.documentDigest.toLowerCase(), userCertNo: certNo, officerPublicKey: b.officerPublicKey }))();
    return reply.code(201).send({ recoveryId: a.id, state: a.state, required: a.required });
  });
  api.post('/km/judicial-recoveries/:id/execute', admin('judicial_officer'), async (req) => {
    const id = (req.params as { id: string }).id;
    return approvals.execute(ac(req), id, req.session!, 'KM_JUDICIAL_RECOVERY', (a) => {
      const e = km.envelopeFor(String(a.params.userCertNo), Buffer.from(String(a.params.officerPublicKey), 'base64'));
      ctx.audit.append({ ...ac(req), action: 'KM_JUDICIAL_RECOVERY', resource: { type: 'km-key', id: String(a.params.userCertNo) }, outcome: 'SUCCESS', details: { caseNumber: a.params.caseNumber, documentDigest: a.params.documentDigest, approvers: a.decisions.map((d) => d.admin) } });
      return { recoveryId: id, userCertNo: a.params.userCertNo, encryptedPrivateKey: e.envelope.toString('base64'), encryptedPrivateKeyFormat: 'GM/T 0009 SM2EnvelopedKey' };
    });
  });

  api.get('/approvals', admin(), async () => ({ approvals: approvals.list() }));
  api.get('/approvals/:id', admin(), async (req) => approvals.get((req.params as { id: string }).id));
  for (const d of ['approve', 'reject'] as const)
    api.post(`/approvals/:id/${d}`, admin(), async (req) => approvals.decide(ac(req), (req.params as { id: string }).id, req.session!, d));

  // conformance hook: the escrow record exactly as stored (what someone with the database would see)
  api.get('/sys/test/km/escrow/:userCertNo', { config: { admin: true, conformance: true, roles: ['super_admin'] } }, async (req) => {
    const r = km.escrowRecord(normSerial((req.params as { userCertNo: string }).userCertNo));
    return { format: r.format, stored: r.blob.toString('base64'), publicKey: r.publicKey.toString('base64') };
  });
}
