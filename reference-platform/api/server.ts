import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { PlatformContext } from '../context.ts';
import type { Actor } from '../audit/audit-log.ts';
import type { Role, Session } from '../admin/admins.ts';
import { HmacAuthenticator } from './hmac-auth.ts';
import { registerRoutes } from './routes.ts';
import { registerKeyRoutes } from './routes-keys.ts';
import { registerAdminRoutes } from './routes-admin.ts';
import { registerCaRoutes } from '../ca/routes.ts';
import { registerKmRoutes } from '../km/routes.ts';
import { registerPlatformRoutes } from './routes-platform.ts';
import { ApiError, sendError, toApiError } from './errors.ts';

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
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 20 * 1024 * 1024, genReqId: () => crypto.randomUUID() });
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
  app.addHook('onRequest', async (req) => { req.startedAt = performance.now(); });
  app.addHook('onSend', async (req, reply) => {
    reply.header('X-Request-Id', req.id);
    // counted before the answer leaves, so a caller that has its answer always finds its call counted
    const route = req.routeOptions.url;
    if (route) ctx.metrics.record(req.app?.id, `${req.method} ${route}`, reply.statusCode < 400, performance.now() - (req.startedAt ?? performance.now()));
  });
  // application-facing routes are the interfaces whose lifecycle is managed (§6.4 f)
  const appRoutes: { method: string; url: string }[] = [];
  await app.register(async (v1) => {
    v1.addHook('onRoute', (r) => {
      const c = (r.config ?? {}) as RouteAuth;
      if (c.public || c.admin || c.conformance) return;
      for (const m of [r.method].flat()) if (m !== 'HEAD') appRoutes.push({ method: m, url: r.url });
    });
    v1.addHook('preHandler', async (req) => {
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
    });
    registerRoutes(v1, ctx);
    registerKeyRoutes(v1, ctx);
    registerAdminRoutes(v1, ctx);
    if (ctx.pki) {
      registerCaRoutes(v1, ctx, ctx.pki);
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
