import Fastify, { type FastifyInstance } from 'fastify';
import type { PlatformContext } from '../context.ts';
import { HmacAuthenticator } from './hmac-auth.ts';
import { registerRoutes } from './routes.ts';
import { sendError } from './errors.ts';

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
  app.setErrorHandler((err, req, reply) => sendError(req, reply, err));
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url}`, requestId: req.id } }));
  app.addHook('onSend', async (req, reply) => { reply.header('X-Request-Id', req.id); });
  await app.register(async (v1) => {
    v1.addHook('preHandler', async (req) => {
      if ((req.routeOptions.config as { public?: boolean }).public) return;
      req.app = auth.authenticate(req, req.rawBody ?? Buffer.alloc(0));
    });
    registerRoutes(v1, ctx);
  }, { prefix: '/api/v1' });
  return app;
}
