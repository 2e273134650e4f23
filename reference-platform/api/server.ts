import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context.ts';
import type { Actor } from '../audit/audit-log.ts';
import type { Role, Session } from '../admin/admins.ts';
import { HmacAuthenticator } from './hmac-auth.ts';
import { registerRoutes } from './routes.ts';
import { CryptoWorkers } from '../devices/crypto-workers.ts';
import { registerKeyRoutes } from './routes-keys.ts';
import { registerAdminRoutes } from './routes-admin.ts';
import { registerCaRoutes } from '../ca/routes.ts';
import { registerKmRoutes } from '../km/routes.ts';
import { registerPlatformRoutes } from './routes-platform.ts';
import { ApiError, sendError, toApiError } from './errors.ts';

/** JSON-schema format for standard base64 (RFC 4648 §4 alphabet, up to two '=' at the end): the bulk fields' check. */
export const BASE64_FORMAT = 'gm-base64';
const B64_CHARS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') B64_CHARS[c.charCodeAt(0)] = 1;

/** Longest base64 field accepted (characters): what the schemas' maxLength used to say. */
export const BASE64_MAX_CHARS = 16 * 1024 * 1024;

/**
 * Same language as /^[A-Za-z0-9+\/]*={0,2}$/, at most BASE64_MAX_CHARS long, in one pass over char codes (half the
 * time of that regex on 5 KB).
 */
export function isBase64(s: string): boolean {
  if (s.length > BASE64_MAX_CHARS) return false;
  let end = s.length;
  if (end > 0 && s.charCodeAt(end - 1) === 61) end--;
  if (end > 0 && s.charCodeAt(end - 1) === 61) end--;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || B64_CHARS[c] !== 1) return false;
  }
  return true;
}

/** Per-route options: who may call it. Default: an application with a valid HMAC-SM3 request signature. */
export interface RouteAuth {
  public?: boolean;
  /** an administrator session; with roles, one of them is needed */
  admin?: boolean;
  roles?: Role[];
  /** a conformance hook: only with CSP_CONFORMANCE_MODE=1 */
  conformance?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest { session?: Session; startedAt?: number }
}

export function actorOf(req: FastifyRequest): Actor {
  if (req.session) return { type: 'admin', id: req.session.username, role: req.session.roles.join('+') };
  if (req.app) return { type: 'app', id: req.app.id };
  return { type: 'anonymous', id: String(req.headers['x-csp-accesskey'] ?? req.ip) };
}

/** The HTTP API under /api/v1: raw JSON bodies are kept for the request-signature body hash. */
export async function buildApi(ctx: PlatformContext, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false, bodyLimit: 20 * 1024 * 1024, genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { formats: { [BASE64_FORMAT]: isBase64 } } },
  });
  const auth = new HmacAuthenticator(ctx.apps, ctx.defects);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    req.rawBody = buf;
    if (!buf.length) return done(null, {});
    try {
      done(null, JSON.parse(buf.toString('utf8')));
    } catch {
      const err = new Error('request body is not valid JSON') as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
  app.setErrorHandler((err, req, reply) => {
    auditRefusal(ctx, req, err);
    return sendError(req, reply, err);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}`, requestId: req.id } }));
  // Heavy device primitives (SM2 signing, the SM4 envelope) go to worker threads while the platform is busy, so
  // that every core works and the event loop keeps parsing HTTP; a lightly used platform (tests, a lone caller)
  // keeps the lower latency of inline work and never starts a thread. "Busy" = at least 20 such operations in
  // the previous 100 ms window. (Counting requests in flight does not work: a handler that computes inline never
  // yields, so the next request is only parsed after it has finished.) Either path gives the same results.
  const workers = new CryptoWorkers();
  let windowStart = 0;
  let windowOps = 0;
  let busy = false;
  const offload = (): CryptoWorkers | undefined => {
    const now = performance.now();
    if (now - windowStart >= 100) {
      busy = windowOps >= 20 && now - windowStart < 200;
      windowStart = now;
      windowOps = 0;
    }
    windowOps++;
    return busy ? workers : undefined;
  };
  app.addHook('onClose', async () => { await workers.close(); });
  // callback-style hooks: an async hook costs a promise and a microtask turn on every request
  app.addHook('onRequest', (req, _reply, done) => { req.startedAt = performance.now(); done(); });
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('X-Request-Id', req.id);
    // counted before the answer leaves, so a caller that has its answer always finds its call counted
    const route = req.routeOptions.url;
    if (route) ctx.metrics.record(req.app?.id, `${req.method} ${route}`, reply.statusCode < 400, performance.now() - (req.startedAt ?? performance.now()));
    done(null, payload);
  });
  // application-facing routes are the interfaces whose lifecycle is managed (§6.4 f)
  const appRoutes: { method: string; url: string }[] = [];
  await app.register(async (v1) => {
    v1.addHook('onRoute', (r) => {
      const c = (r.config ?? {}) as RouteAuth;
      if (c.public || c.admin || c.conformance) return;
      for (const m of [r.method].flat()) if (m !== 'HEAD') appRoutes.push({ method: m, url: r.url });
    });
    v1.addHook('preHandler', (req, _reply, done) => {
      try {
        authorizeRequest(req);
      } catch (e) {
        done(e as Error);
        return;
      }
      done();
    });
    const authorizeRequest = (req: FastifyRequest): void => {
      const c = (req.routeOptions.config ?? {}) as RouteAuth;
      if (c.conformance && !ctx.conformance) throw new ApiError(404, 'NOT_FOUND', 'conformance hooks are off (CSP_CONFORMANCE_MODE)');
      if (c.public) return;
      if (c.admin) {
        const h = req.headers.authorization;
        const s = ctx.admins.session(h?.startsWith('Bearer ') ? h.slice(7) : undefined);
        if (!s) throw new ApiError(401, 'UNAUTHENTICATED', 'administrator session required (password + SM2 challenge–response)');
        req.session = s;
        if (c.roles && !c.roles.some((r) => s.roles.includes(r)) && !ctx.defects.has('no-role-separation'))
          throw new ApiError(403, 'FORBIDDEN', `needs role ${c.roles.join(' or ')}; session has ${s.roles.join(', ')}`);
        return;
      }
      req.app = auth.authenticate(req, req.rawBody ?? Buffer.alloc(0));
      ctx.interfaces.check(req.method, req.routeOptions.url);
    };
    registerRoutes(v1, ctx, offload);
    registerKeyRoutes(v1, ctx);
    registerAdminRoutes(v1, ctx);
    if (ctx.pki) {
      registerCaRoutes(v1, ctx, ctx.pki, offload);
      registerKmRoutes(v1, ctx, ctx.pki);
    }
    registerPlatformRoutes(v1, ctx);
  }, { prefix: '/api/v1' });
  ctx.interfaces.seed(appRoutes);
  return app;
}

/** Refusals are security-relevant too (§6.5.7 c): who tried what, on which resource, and why it was refused. */
function auditRefusal(ctx: PlatformContext, req: FastifyRequest, err: unknown): void {
  if (ctx.defects.has('audit-misses-refusals')) return;
  const e = toApiError(err) ?? new ApiError(500, 'INTERNAL', 'internal error');
  const status = e.status;
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const params = (req.params ?? {}) as Record<string, unknown>;
  const keyId = params.id ?? body.keyId;
  try {
    ctx.audit.append({
      actor: actorOf(req),
      tenantId: req.app?.tenantId,
      action: `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`,
      resource: typeof keyId === 'string' ? { type: 'key', id: keyId } : undefined,
      outcome: status < 500 ? 'DENIED' : 'FAILED',
      requestId: req.id,
      details: { status, code: e.code, reason: e.message.slice(0, 200) },
    });
  } catch (auditError) {
    req.log.error({ err: auditError }, 'audit append failed');
  }
}
