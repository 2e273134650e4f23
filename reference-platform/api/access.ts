import type { FastifyRequest } from 'fastify';
import type { App } from '../apps/apps.ts';
import type { PlatformContext } from '../context.ts';
import type { AuditCtx, KeyRecord, KeyType, Use } from '../keys/keys.ts';
import { actorOf } from './server.ts';
import { ApiError } from './errors.ts';

/**
 * Access decisions for application requests, in this order: tenant (another app's key is 404, never 403,
 * §6.5.8 c), the app's access-control policy (403, §6.4 b), the key's type (400, purpose-bound use,
 * §6.5.3 e) and the key's state (409).
 */
export class Access {
  constructor(private readonly ctx: PlatformContext) {}

  app(req: FastifyRequest): App {
    if (!req.app) throw new ApiError(401, 'UNAUTHENTICATED', 'not authenticated');
    return req.app;
  }

  audit(req: FastifyRequest): AuditCtx {
    return { actor: actorOf(req), tenantId: req.app?.tenantId, requestId: req.id };
  }

  authorize(req: FastifyRequest, operation: string, keyId?: string): App {
    const app = this.app(req);
    if (this.ctx.defects.has('policy-not-enforced')) return app;
    const p = this.ctx.apps.policy(app.id);
    if (p.operations && !p.operations.includes(operation)) throw new ApiError(403, 'ACCESS_DENIED', `the access-control policy of ${app.id} does not allow ${operation}`);
    if (keyId && p.keyIds && !p.keyIds.includes(keyId)) throw new ApiError(403, 'ACCESS_DENIED', `the access-control policy of ${app.id} does not allow key ${keyId}`);
    return app;
  }

  /** A key of the calling app for a management action (no state check). */
  key(req: FastifyRequest, id: unknown, operation = 'manageKey'): KeyRecord {
    const app = this.app(req);
    const k = typeof id === 'string' ? this.ctx.keys.get(app.id, id) : undefined;
    if (!k) throw new ApiError(404, 'KEY_NOT_FOUND', `no key ${String(id)}`);
    this.authorize(req, operation, k.id);
    return k;
  }

  /** A key of the calling app, of one of `types`, in a state that allows `use`. */
  use(req: FastifyRequest, id: unknown, types: KeyType[], use: Use, operation: string): KeyRecord {
    const k = this.key(req, id, operation);
    if (!types.includes(k.type)) throw new ApiError(400, 'KEY_USAGE_MISMATCH', `key ${k.id} is ${k.type}; ${operation} needs ${types.join(' or ')}`);
    this.ctx.keys.checkUse(k, use);
    return k;
  }
}
