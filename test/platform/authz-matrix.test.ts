import { test } from 'node:test';
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Ajv } from 'ajv';
import { startPlatform, type RunningPlatform } from '../../reference-platform/index.ts';
import { ROLES } from '../../reference-platform/admin/admins.ts';
import { AdminClient, AppClient, type Answer } from '../load/harness.ts';

/**
 * Authorization matrix (issue 11): every route of the platform API × every principal (the six administrator roles,
 * application A, application B, nobody) × own vs. another tenant's resources, judged from the outside by HTTP status.
 *
 * The routes come from fastify's own route table (an onRoute hook installed through fastify's
 * `fastify.initialization` diagnostics channel), never from a hand-kept list; the expectation of each route is
 * derived from the access policy it declares (`config`: public, admin with roles, conformance hook, or — by
 * default — an HMAC-signed application):
 *
 *   route policy             nobody   app A / app B                   admin with a listed role   other admin
 *   public                   allowed  allowed                         allowed                    allowed
 *   admin (any role)         401      401                             allowed                    (n/a)
 *   admin, roles R           401      401                             allowed                    403
 *   application (default)    401      allowed on own; 404 on the      401                        401
 *                                     other tenant's key (never 200/
 *                                     403: existence is not leaked)
 *
 * "allowed" = past the gate: neither a 401 nor a 403 (a handler may still answer 400/404/409 on the dummy
 * input). Each body is generated from the route's JSON schema and checked with ajv, so a 400 from validation can
 * never hide the gate. A route whose path parameter has no binding below fails the test, as does a 5xx anywhere.
 * Set GMEVAL_AUTHZ_MATRIX=FILE to write the observed matrix as JSON.
 */

interface Route { method: string; url: string; config: { public?: boolean; admin?: boolean; roles?: string[]; conformance?: boolean }; body?: unknown }

// --- the route table, from fastify itself --------------------------------------------------------------------------
const routes: Route[] = [];
const onInit = (msg: unknown) => {
  const f = (msg as { fastify: FastifyInstance }).fastify;
  f.addHook('onRoute', (r: RouteOptions) => {
    for (const method of [r.method].flat()) {
      if (method === 'HEAD' || !r.url.startsWith('/api/v1/')) continue;
      routes.push({ method, url: r.url, config: (r.config ?? {}) as Route['config'], body: (r.schema as { body?: unknown } | undefined)?.body });
    }
  });
};

// --- bodies that pass the route's own schema ---------------------------------------------------------------------
const ajv = new Ajv({ strict: false, validateFormats: false, logger: false });
type Schema = { type?: string | string[]; enum?: unknown[]; const?: unknown; properties?: Record<string, Schema>; required?: string[]; pattern?: string; minLength?: number; maxLength?: number; minimum?: number; maximum?: number; minItems?: number; items?: Schema };
function minimal(s: Schema | undefined): unknown {
  if (!s) return {};
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const type = [s.type ?? 'object'].flat()[0];
  if (type === 'object') return Object.fromEntries((s.required ?? []).map((k) => [k, minimal(s.properties?.[k])]));
  if (type === 'array') return Array.from({ length: s.minItems ?? 0 }, () => minimal(s.items));
  if (type === 'integer' || type === 'number') return Math.min(Math.max(s.minimum ?? 1, 1), s.maximum ?? 1);
  if (type === 'boolean') return false;
  if (type === 'null') return null;
  const len = Math.max(s.minLength ?? 1, 1);
  for (const c of ['AAAA'.repeat(Math.ceil(len / 4)), 'x'.repeat(len), '1'.repeat(len), 'a'.repeat(len)]) if (!s.pattern || new RegExp(s.pattern).test(c)) return c;
  return 'x';
}
function bodyFor(r: Route, keyId?: string): { body: unknown; valid: boolean } {
  if (r.method === 'GET' || r.method === 'DELETE') return { body: undefined, valid: true };
  const schema = r.body as Schema | undefined;
  const b = minimal(schema) as Record<string, unknown>;
  if (keyId && schema?.properties?.keyId) b.keyId = keyId;
  return { body: b, valid: !schema || ajv.validate(schema, b) };
}

// --- path parameters: how each is bound. An application route with an unknown parameter fails the test. -----------
const KEY_ROUTE = /^\/api\/v1\/keys\/:id(\/|$)/;
const APP_PARAMS: Record<string, (own: string) => string> = { id: (k) => k, action: () => 'suspend', backupId: () => 'authz-no-such-backup' };
const fill = (url: string, bind: (name: string) => string) => url.replace(/:([A-Za-z]+)|\*/g, (_m, n: string | undefined) => encodeURIComponent(bind(n ?? '*')));

type Principal = 'nobody' | 'appA' | 'appB' | (typeof ROLES)[number];
const PRINCIPALS: Principal[] = ['nobody', 'appA', 'appB', ...ROLES];

interface Cell { route: string; principal: Principal; tenant: 'own' | 'foreign' | '-'; status: number; code?: string; expected: string; ok: boolean; why?: string }

async function runMatrix(defects: string[], only?: RegExp): Promise<{ cells: Cell[]; unbound: string[] }> {
  routes.length = 0;
  diagnostics.subscribe('fastify.initialization', onInit);
  let p: RunningPlatform;
  try {
    p = await startPlatform({ conformance: true, console: false, defects });
  } finally {
    diagnostics.unsubscribe('fastify.initialization', onInit);
  }
  const cells: Cell[] = [];
  const unbound: string[] = [];
  try {
    const api = p.listening.http;
    const A = p.provisionApp('authz-a');
    const B = p.provisionApp('authz-b');
    const appA = new AppClient(api, A);
    const appB = new AppClient(api, B);
    const admins = new Map<Principal, AdminClient>();
    for (const role of ROLES) {
      const a = p.provisionAdmin(`authz-${role}`, [role]);
      if (role === 'operator') p.assignRaDuties(a.username, ['ENTRY', 'REVIEW', 'ISSUE']);
      admins.set(role, await AdminClient.login(api, a));
    }
    const nobody = {
      async request(method: string, path: string, body?: unknown): Promise<Answer> {
        const raw = body === undefined ? undefined : JSON.stringify(body);
        const t0 = performance.now();
        const r = await fetch(api + path, { method, headers: raw ? { 'content-type': 'application/json' } : {}, body: raw });
        const text = await r.text();
        let json: Record<string, unknown> = {};
        try { json = JSON.parse(text); } catch { json = {}; }
        return { status: r.status, json, ms: performance.now() - t0 };
      },
    };
    const client = (who: Principal) => (who === 'nobody' ? nobody : who === 'appA' ? appA : who === 'appB' ? appB : admins.get(who)!);
    const newKeyOfA = async (route: string) => {
      const type = /sm2\/(sign|verify)|public-key/.test(route) ? 'SM2_SIGN' : /sm2\/(en|de)crypt/.test(route) ? 'SM2_ENC' : /hmac/.test(route) ? 'HMAC_SM3' : 'SM4';
      const r = await appA.request('POST', '/keys', { type, name: `authz-${Math.random()}` });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      return String(r.json.keyId);
    };

    assert.ok(routes.length >= 80, `only ${routes.length} routes seen: the route table hook did not work`);
    for (const r of routes.filter((x) => !only || only.test(`${x.method} ${x.url}`))) {
      const c = r.config;
      const kind = c.public ? 'public' : c.admin ? 'admin' : c.conformance ? 'unknown' : 'app';
      if (kind === 'unknown') { unbound.push(`${r.method} ${r.url}: a conformance hook without an administrator gate`); continue; }
      const params = [...r.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
      if (kind === 'app') {
        const missing = params.filter((n) => !APP_PARAMS[n]);
        if (missing.length || (params.includes('id') && !KEY_ROUTE.test(r.url))) { unbound.push(`${r.method} ${r.url}: no binding for :${missing.join(', :') || 'id'} (which tenant resource is it?)`); continue; }
      }
      const tenantScoped = kind === 'app' && (KEY_ROUTE.test(r.url) || !!(r.body as Schema | undefined)?.properties?.keyId);
      for (const who of PRINCIPALS) {
        for (const tenant of tenantScoped && who === 'appB' ? (['own', 'foreign'] as const) : tenantScoped && who === 'appA' ? (['own'] as const) : (['-'] as const)) {
          // app B's "own" cell uses its own fresh key; every other tenant-scoped cell names a fresh key of app A
          const owner = who === 'appB' && tenant === 'own' ? appB : appA;
          const keyId = tenantScoped ? (owner === appA ? await newKeyOfA(r.url) : String((await appB.request('POST', '/keys', { type: 'SM4' })).json.keyId)) : undefined;
          const path = fill(r.url.slice('/api/v1'.length), (n) => (kind === 'app' ? APP_PARAMS[n]!(keyId ?? 'authz-none') : n === 'action' ? 'approve' : 'authz-none'));
          const { body, valid } = bodyFor(r, keyId);
          const a = await client(who).request(r.method, path, body);
          // the same request naming a key that exists nowhere: a foreign key must be indistinguishable from it
          const none = tenant === 'foreign' ? await client(who).request(r.method, fill(r.url.slice('/api/v1'.length), (n) => APP_PARAMS[n]!('k-authz-no-such-key')), bodyFor(r, 'k-authz-no-such-key').body) : undefined;
          const code = String((a.json.error as { code?: string } | undefined)?.code ?? '');
          const cell: Cell = { route: `${r.method} ${r.url}`, principal: who, tenant, status: a.status, code, expected: '', ok: true };
          const gate = a.status === 401 || a.status === 403;
          const expect = (ok: boolean, expected: string) => { cell.expected = expected; cell.ok = ok; };
          if (a.status >= 500) expect(false, 'no 5xx');
          else if (kind === 'public') expect(!(a.status === 403 || (a.status === 401 && code === 'UNAUTHENTICATED' && !/login/.test(r.url))), 'allowed');
          else if (kind === 'admin') {
            const isAdmin = admins.has(who);
            const permitted = isAdmin && (!c.roles || c.roles.includes(who));
            if (permitted) expect(!gate, 'allowed');
            else if (!isAdmin) expect(a.status === 401 || (!valid && a.status === 400), '401');
            else expect(a.status === 403 || (!valid && a.status === 400), '403');
          } else if (who === 'appA' || (who === 'appB' && tenant === 'own')) expect(!gate && code !== 'KEY_NOT_FOUND', 'allowed (own)');
          else if (who === 'appB' && tenant === 'foreign') expect((a.status === 404 || a.status === 400) && a.status === none!.status && code === String((none!.json.error as { code?: string } | undefined)?.code ?? ''), '404 (foreign tenant), as for a key that does not exist');
          else if (who === 'appB') expect(!gate, 'allowed');
          else expect(a.status === 401 || (!valid && a.status === 400), '401');
          // nothing of app A's ever reaches app B
          if (who === 'appB' && keyId && owner === appA && JSON.stringify(a.json).includes(keyId) && a.status < 400) { cell.ok = false; cell.why = 'app B saw app A\'s key'; }
          if (!cell.ok) cell.why ??= `got ${a.status} ${code}${valid ? '' : ' (body not schema-valid)'}`;
          cells.push(cell);
        }
      }
    }
    // app B listing keys must not see app A's
    const listed = JSON.stringify((await appB.request('GET', '/keys')).json);
    const aKeys = ((await appA.request('GET', '/keys')).json.keys as { keyId: string }[]).map((k) => k.keyId);
    const leaked = aKeys.filter((k) => listed.includes(k));
    if (leaked.length) cells.push({ route: 'GET /api/v1/keys', principal: 'appB', tenant: 'foreign', status: 200, expected: 'none of app A\'s keys listed', ok: false, why: `${leaked.length} of app A's keys listed` });
    return { cells, unbound };
  } finally {
    await p.close();
  }
}

test('authorization matrix: every route × every principal × own/foreign tenant — no unexpected allow', { timeout: 120_000 }, async () => {
  const { cells, unbound } = await runMatrix([]);
  {
    if (process.env.GMEVAL_AUTHZ_MATRIX) writeFileSync(process.env.GMEVAL_AUTHZ_MATRIX, JSON.stringify({ routes: routes.length, cells }, null, 2));
    const byExpectation = new Map<string, number>();
    for (const c of cells) byExpectation.set(c.expected, (byExpectation.get(c.expected) ?? 0) + 1);
    console.log(`authz matrix: ${routes.length} routes × ${PRINCIPALS.length} principals = ${cells.length} cells (${cells.filter((c) => c.tenant === 'foreign').length} foreign-tenant); ${[...byExpectation].map(([k, v]) => `${k}: ${v}`).join(', ')}; ${cells.filter((c) => !c.ok).length} unexpected`);
    assert.deepEqual(unbound, [], 'routes without an expectation');
    assert.deepEqual(cells.filter((c) => !c.ok).map((c) => `${c.route} as ${c.principal}${c.tenant === '-' ? '' : ` (${c.tenant})`}: expected ${c.expected}, ${c.why}`), []);
    const foreign = cells.filter((c) => c.tenant === 'foreign');
    assert.ok(foreign.length >= 15 && foreign.filter((c) => c.status === 404).length >= foreign.length - 2, 'foreign-tenant cells are exercised and answered 404');
  }
});

test('the matrix can fail: without tenant isolation and role separation, the leaks are found', { timeout: 60_000 }, async () => {
  const { cells } = await runMatrix(['no-tenant-isolation', 'no-role-separation'], /^(GET|POST) \/api\/v1\/(keys|crypto\/sm4\/encrypt|pool\/devices$|audit\/records$)/);
  const bad = cells.filter((c) => !c.ok);
  assert.ok(bad.some((c) => c.tenant === 'foreign' && c.status === 200), 'a foreign tenant\'s key is served');
  assert.ok(bad.some((c) => c.expected === '403' && c.status === 200), 'an administrator without the role is served');
});
