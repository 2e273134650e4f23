import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context.ts';
import type { Role } from '../admin/admins.ts';
import type { AuditCtx } from '../keys/keys.ts';
import { actorOf, type RouteAuth } from '../api/server.ts';
import { ApiError } from '../api/errors.ts';
import { normSerial, toPem, type CertRecord } from './ca.ts';
import type { PkiServices } from './services.ts';
import type { RaRequest } from './ra.ts';
import type { CryptoWorkers } from '../devices/crypto-workers.ts';

const admin = (...roles: Role[]): { config: RouteAuth } => ({ config: { admin: true, roles: roles.length ? roles : undefined } });
const pub: { config: RouteAuth } = { config: { public: true } };
const ac = (req: FastifyRequest): AuditCtx => ({ actor: actorOf(req), requestId: req.id });

export function certView(c: CertRecord): Record<string, unknown> {
  return {
    serial: c.serial, caId: c.caId, kind: c.kind, profile: c.profile ?? null, subject: c.subject, status: c.status, pairSerial: c.pairSerial ?? null,
    revocationReason: c.reason ?? null, revokedAt: c.revokedAt ?? null, notBefore: c.notBefore, notAfter: c.notAfter, certificate: c.der.toString('base64'),
  };
}
const requestView = (r: RaRequest) => ({ ...r, requestId: r.id });

/**
 * Certificate services (GM/T 0034 §5, §12): CA information and chain, certificate templates, the RA flow, certificate
 * status changes and queries (administrators with roles), and the relying-party protocols — CRL over HTTP, OCSP
 * (RFC 6960) and time stamps (RFC 3161) — which are public, as relying parties are not platform users.
 */
export function registerCaRoutes(api: FastifyInstance, ctx: PlatformContext, pki: PkiServices, offload: () => CryptoWorkers | undefined = () => undefined): void {
  for (const type of ['application/ocsp-request', 'application/timestamp-query', 'application/octet-stream'])
    api.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
  const { ca, ra } = pki;

  api.get('/ca', admin(), async () => ({ authorities: ca.list().map((a) => ({ id: a.id, name: a.name, kind: a.kind, parentId: a.parentId, deviceId: a.signer.deviceId, certificate: a.certificate.toString('base64') })) }));
  api.get('/ca/chain', pub, async (_req, reply) => reply.type('application/pem-certificate-chain').send(ca.chainPem()));
  api.get('/ca/:id/certificate', pub, async (req, reply) => reply.type('application/pkix-cert').send(ca.authority((req.params as { id: string }).id).certificate));
  api.get('/cert-profiles', admin(), async () => ({ profiles: ca.profiles() }));
  api.put('/cert-profiles/:id', {
    ...admin('business_admin'),
    schema: { body: { type: 'object', additionalProperties: false, properties: { validityDays: { type: 'integer' }, description: { type: 'string', maxLength: 200 } } } },
  }, async (req) => ca.updateProfile(ac(req), (req.params as { id: string }).id, req.body as { validityDays?: number }));

  // --- RA: duties, apply → review → issue → download -----------------------------------------------
  api.put('/ra/operators/:username', {
    ...admin('business_admin'),
    schema: { body: { type: 'object', additionalProperties: false, required: ['duties'], properties: { duties: { type: 'array', items: { type: 'string' }, maxItems: 3 } } } },
  }, async (req) => ({ username: (req.params as { username: string }).username, duties: ra.setDuties(ac(req), (req.params as { username: string }).username, (req.body as { duties: string[] }).duties) }));
  api.post('/ra/requests', {
    ...admin('operator'),
    schema: { body: { type: 'object', additionalProperties: false, properties: { type: { type: 'string' }, profile: { type: 'string' }, subject: { type: 'object' }, csr: { type: 'string', maxLength: 8192 }, targetSerial: { type: 'string', maxLength: 64 } } } },
  }, async (req, reply) => reply.code(201).send(requestView(ra.submit(ac(req), req.session!, req.body as Record<string, string>))));
  api.get('/ra/requests/:id', admin('operator', 'business_admin'), async (req) => requestView(ra.get((req.params as { id: string }).id)));
  for (const d of ['approve', 'reject'] as const)
    api.post(`/ra/requests/:id/${d}`, admin('operator'), async (req) => requestView(ra.review(ac(req), req.session!, (req.params as { id: string }).id, d, (req.body as { note?: string } | undefined)?.note)));
  api.post('/ra/requests/:id/issue', admin('operator'), async (req) => requestView(ra.issue(ac(req), req.session!, (req.params as { id: string }).id)));
  api.get('/ra/requests/:id/result', admin('operator'), async (req) => {
    const r = ra.result(ac(req), (req.params as { id: string }).id);
    return {
      ...requestView(r.request), signCertificate: r.signCertificate.toString('base64'), encCertificate: r.encCertificate.toString('base64'),
      encryptedPrivateKey: r.encryptedPrivateKey.toString('base64'), encryptedPrivateKeyFormat: 'GM/T 0009 SM2EnvelopedKey', chain: ca.chainPem(),
    };
  });

  // --- certificates: query and status --------------------------------------------------------------
  api.get('/certificates', admin('operator', 'business_admin', 'auditor'), async (req) => {
    const q = req.query as { subject?: string; status?: string; limit?: string };
    return { certificates: ca.find({ subject: q.subject, status: q.status, limit: q.limit ? Number(q.limit) : undefined }).map(certView) };
  });
  api.get('/certificates/:serial', admin('operator', 'business_admin', 'auditor'), async (req) => {
    const c = ca.get(normSerial((req.params as { serial: string }).serial));
    if (!c) throw new ApiError(404, 'NOT_FOUND', 'no such certificate');
    return certView(c);
  });
  for (const action of ['hold', 'release', 'revoke'] as const)
    api.post(`/certificates/:serial/${action}`, {
      ...admin('operator', 'business_admin'),
      schema: { body: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 40 } } } },
    }, async (req) => certView(ca.transition(ac(req), normSerial((req.params as { serial: string }).serial), action, (req.body as { reason?: string } | undefined)?.reason)));

  // --- CRL, OCSP, TSA (relying parties) ---------------------------------------------------------------
  api.get('/crl/:caId', pub, async (req, reply) => {
    const c = ca.currentCrl((req.params as { caId: string }).caId);
    return reply.type('application/pkix-crl').header('Cache-Control', `max-age=${Math.max(0, Math.floor((Date.parse(c.nextUpdate) - ctx.clock.now().getTime()) / 1000))}`).send(c.der);
  });
  api.post('/ca/:id/crl', admin('operator', 'business_admin'), async (req) => {
    const id = (req.params as { id: string }).id;
    const c = ctx.db.transaction(() => ca.generateCrl(id, ac(req)))();
    return { caId: id, crlNumber: c.number, thisUpdate: c.thisUpdate, nextUpdate: c.nextUpdate };
  });
  api.post('/ocsp', pub, async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'OCSP requests are application/ocsp-request (DER)');
    // signed on a crypto worker thread while the responder is busy (same response either way)
    return reply.type('application/ocsp-response').send(await pki.ocsp.respondAsync(req.body, offload()));
  });
  api.get('/ocsp/*', pub, async (req, reply) => {
    const b64 = decodeURIComponent((req.params as { '*': string })['*']);
    return reply.type('application/ocsp-response').send(await pki.ocsp.respondAsync(Buffer.from(b64, 'base64'), offload()));
  });
  api.post('/tsa', pub, async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'time-stamp requests are application/timestamp-query (DER)');
    return reply.type('application/timestamp-reply').send(pki.tsa.respond(req.body));
  });
  api.get('/tsa/certificate', pub, async (_req, reply) => reply.type('application/x-pem-file').send(toPem(ca.authority('tsa').certificate) + ca.chainPem()));
  api.get('/tsa/policy', pub, async () => ({ policy: pki.tsa.policy, hashAlgorithms: ['SM3'], signatureAlgorithm: 'SM2-with-SM3' }));
}
