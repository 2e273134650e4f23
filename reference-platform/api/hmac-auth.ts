import type { FastifyRequest } from 'fastify';
import { hmacSm3, sm3, timingSafeEqualBytes } from '../../lib/gm/index.ts';
import type { Apps, App } from '../apps/apps.ts';
import type { Defects } from '../defects/registry.ts';
import { ApiError } from './errors.ts';

const WINDOW_MS = 300_000;
const NONCE_TTL_MS = 600_000;
const MAX_NONCES = 1_000_000;

/**
 * HMAC-SM3 request authentication (reference-platform-api.md §2): the signature covers method, path,
 * canonical query, timestamp, nonce and SM3(body); timestamps outside ±300 s and reused nonces are refused.
 */
export class HmacAuthenticator {
  private readonly nonces = new Map<string, number>();
  constructor(private readonly apps: Apps, private readonly defects: Defects) {}

  authenticate(req: FastifyRequest, rawBody: Buffer): App {
    const h = req.headers;
    const accessKey = header(h['x-csp-accesskey']);
    const timestamp = header(h['x-csp-timestamp']);
    const nonce = header(h['x-csp-nonce']);
    const signature = header(h['x-csp-signature']);
    try {
      if (!accessKey || !timestamp || !nonce || !signature) throw new ApiError(401, 'UNAUTHENTICATED', 'missing X-CSP-AccessKey, X-CSP-Timestamp, X-CSP-Nonce or X-CSP-Signature');
      const cred = this.apps.credential(accessKey);
      if (!cred) throw new ApiError(401, 'UNAUTHENTICATED', 'unknown or inactive access key');
      const url = new URL(req.url, 'http://x');
      const query = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      const sts = `${req.method}\n${url.pathname}\n${query}\n${timestamp}\n${nonce}\n${sm3(rawBody).toString('hex')}`;
      const expected = hmacSm3(cred.secret, Buffer.from(sts, 'utf8'));
      if (!timingSafeEqualBytes(expected, Buffer.from(signature, 'base64'))) throw new ApiError(401, 'BAD_SIGNATURE', 'request signature does not verify');
      if (!this.defects.has('hmac-replay-accepted')) {
        const t = Date.parse(timestamp);
        if (!Number.isFinite(t) || Math.abs(Date.now() - t) > WINDOW_MS) throw new ApiError(401, 'STALE_REQUEST', 'timestamp outside the ±300 s window');
        this.rememberNonce(`${accessKey}:${nonce}`);
      }
      return cred.app;
    } catch (e) {
      // defect auth-optional: an unauthenticated caller is served as the first application
      if (this.defects.has('auth-optional') && e instanceof ApiError) {
        const app = this.apps.first();
        if (app) return app;
      }
      throw e;
    }
  }

  private rememberNonce(key: string): void {
    const now = Date.now();
    const seen = this.nonces.get(key);
    if (seen !== undefined && seen > now) throw new ApiError(401, 'REPLAYED_REQUEST', 'nonce already used');
    if (this.nonces.size >= MAX_NONCES) this.prune(now);
    if (this.nonces.size >= MAX_NONCES) throw new ApiError(429, 'RATE_LIMITED', 'too many requests in the replay window');
    this.nonces.set(key, now + NONCE_TTL_MS);
  }

  private prune(now: number): void {
    for (const [k, exp] of this.nonces) if (exp <= now) this.nonces.delete(k);
  }
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
