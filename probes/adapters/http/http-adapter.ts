import { randomBytes } from 'node:crypto';
import { hmacSm3, sm2GenerateKeyPair, sm2PrivateKeyFromPem, sm2Sign, sm3 } from '../../../lib/gm/index.ts';
import {
  OperationNotOfferedError, ResponseShapeError, TargetUnreachableError,
  type Adapter, type AuthMode, type CallOptions, type CallResult, type Exchange, type Fields, type Value,
} from '../types.ts';
import { OPERATIONS } from '../operations.ts';
import { PLACEHOLDER, type HttpMapping, type OperationMapping } from './mapping.ts';
import { sendRaw, type RawResponse } from './transport.ts';

export interface HttpAdapterOptions {
  name: string;
  baseUrl: string;
  mapping: HttpMapping;
  accessKey?: string;
  /** HMAC secret: used to sign, never recorded */
  secret?: string;
  timeoutMs?: number;
  createConnection?: () => import('node:stream').Duplex;
}

/** Headers whose values are secrets or bearer tokens; evidence keeps only a marker. */
const REDACT = /^(authorization|cookie|set-cookie|x-csp-secret)$/i;

/**
 * The declarative HTTP adapter: each operation is one request built from the mapping, signed with
 * HMAC-SM3 when the mapping asks for it, and answered by extracting the mapped response fields.
 */
export class HttpAdapter implements Adapter {
  readonly type = 'http';
  readonly name: string;
  constructor(private readonly o: HttpAdapterOptions) {
    this.name = o.name;
  }

  operations(): string[] {
    return Object.keys(this.o.mapping.operations);
  }

  authModes(): AuthMode[] {
    const scheme = this.o.mapping.auth?.scheme;
    if (scheme === 'hmac-sm3') return ['valid', 'none', 'bad-signature', 'stale-timestamp', 'replay'];
    if (scheme === 'sm2-challenge-session') return ['valid', 'none', 'password-only', 'wrong-second-factor'];
    return ['valid', 'none'];
  }

  private sessionToken: string | undefined;

  /**
   * Session login for scheme sm2-challenge-session: factor 1 (password) yields a challenge, factor 2 is an
   * SM2 signature over it with the administrator's key. The credential's secret is JSON
   * `{"password": "...", "sm2PrivateKeyPem": "..."}`; evidence of these exchanges never shows bodies.
   * `password-only` presents the first step's token as if it were a session; `wrong-second-factor` signs
   * the challenge with a key the platform has never seen.
   */
  private async login(mode: AuthMode, timeoutMs: number, exchanges: Exchange[]): Promise<{ token?: string; refused?: CallResult }> {
    const sess = this.o.mapping.auth?.session;
    if (!sess) throw new OperationNotOfferedError(this.name, 'login', 'auth.session is missing in the mapping');
    let cred: { password?: string; sm2PrivateKeyPem?: string };
    try { cred = JSON.parse(this.o.secret ?? ''); } catch { cred = {}; }
    if (!this.o.accessKey || !cred.password || !cred.sm2PrivateKeyPem) throw new OperationNotOfferedError(this.name, 'login', 'the credential needs accessKey (user name) and a JSON secret with password and sm2PrivateKeyPem');
    const vars: Fields = { username: this.o.accessKey, password: cred.password };
    const step = async (spec: OperationMapping): Promise<{ res: RawResponse; json: unknown; refused?: CallResult }> => {
      const { method, url, body } = this.buildRequest(spec, vars);
      const headers: Record<string, string> = { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) };
      const mark = exchanges.length;
      const res = await this.send(method, url, headers, body, timeoutMs, exchanges);
      for (const ex of exchanges.slice(mark)) {
        ex.request.body = body ? '[redacted: login step]' : undefined;
        if (ex.response) ex.response.body = '[redacted: login step]';
      }
      let json: unknown;
      try { json = JSON.parse(res.body.toString('utf8')); } catch { json = undefined; }
      if (!(spec.success ?? [200, 201]).includes(res.status)) return { res, json, refused: this.interpret('login', spec, res, exchanges) };
      return { res, json };
    };
    const first = await step(sess.login);
    if (first.refused) return { refused: first.refused };
    const challenge = extract(sess.challenge, first.res, first.json);
    const loginToken = extract(sess.loginToken, first.res, first.json);
    if (mode === 'password-only') return { token: loginToken == null ? '' : String(loginToken) };
    if (!Buffer.isBuffer(challenge)) throw new ResponseShapeError(`login: no challenge at ${sess.challenge}`, exchanges);
    const key = mode === 'wrong-second-factor' ? sm2GenerateKeyPair().privateKey : sm2PrivateKeyFromPem(cred.sm2PrivateKeyPem).privateKey;
    vars.loginToken = loginToken == null ? '' : String(loginToken);
    vars.signature = sm2Sign(key, challenge, { id: sess.signerId ?? '1234567812345678', format: 'der' });
    const second = await step(sess.respond);
    if (second.refused) return { refused: second.refused };
    const token = extract(sess.token, second.res, second.json);
    if (token == null) throw new ResponseShapeError(`login: no session token at ${sess.token}`, exchanges);
    return { token: String(token) };
  }

  private async sessionHeaders(auth: AuthMode, timeoutMs: number, exchanges: Exchange[]): Promise<{ headers: Record<string, string>; refused?: CallResult }> {
    const sess = this.o.mapping.auth!.session!;
    if (auth === 'none') return { headers: {} };
    let token = auth === 'valid' ? this.sessionToken : undefined;
    if (!token) {
      const r = await this.login(auth, timeoutMs, exchanges);
      if (r.refused) return { headers: {}, refused: r.refused };
      token = r.token!;
      if (auth === 'valid') this.sessionToken = token;
    }
    return { headers: { [sess.header]: (sess.headerValue ?? '{token}').replace('{token}', token) } };
  }

  async call(operation: string, input: Fields, opts: CallOptions = {}): Promise<CallResult> {
    const spec = this.o.mapping.operations[operation];
    if (!spec) throw new OperationNotOfferedError(this.name, operation, 'not in the mapping file');
    const auth = opts.auth ?? 'valid';
    if (!this.authModes().includes(auth)) throw new OperationNotOfferedError(this.name, operation, `auth variation "${auth}" needs request signing in the mapping`);
    const timeoutMs = opts.timeoutMs ?? this.o.timeoutMs ?? 10_000;
    const { method, url, body } = this.buildRequest(spec, input);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body) headers['content-type'] = 'application/json';
    const exchanges: Exchange[] = [];
    if (this.o.mapping.auth?.scheme === 'sm2-challenge-session') {
      const s = await this.sessionHeaders(auth, timeoutMs, exchanges);
      if (s.refused) return { ...s.refused, exchanges };
      Object.assign(headers, s.headers);
    } else if (auth !== 'none') Object.assign(headers, this.signHeaders(method, url, body ?? Buffer.alloc(0), auth));
    let res = await this.send(method, url, headers, body, timeoutMs, exchanges);
    if (res.status === 401 && auth === 'valid' && this.sessionToken) {
      // the session expired: log in again once
      this.sessionToken = undefined;
      const s = await this.sessionHeaders(auth, timeoutMs, exchanges);
      if (s.refused) return { ...s.refused, exchanges };
      Object.assign(headers, s.headers);
      res = await this.send(method, url, headers, body, timeoutMs, exchanges);
    }
    if (auth === 'replay' && res.status >= 200 && res.status < 300) {
      // the same bytes again: same nonce, same timestamp, same signature
      res = await this.send(method, url, headers, body, timeoutMs, exchanges);
    }
    return this.interpret(operation, spec, res, exchanges);
  }

  private buildRequest(spec: OperationMapping, input: Fields): { method: string; url: URL; body?: Buffer } {
    const path = spec.path.replace(PLACEHOLDER, (_m, name: string) => encodeURIComponent(scalar(input[name], 'string')));
    const url = new URL(path, this.o.baseUrl.endsWith('/') ? this.o.baseUrl : this.o.baseUrl + '/');
    url.pathname = new URL(this.o.baseUrl).pathname.replace(/\/$/, '') + path.split('?')[0];
    for (const [k, t] of Object.entries(spec.query ?? {})) {
      const v = fill(t, input);
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const body = spec.body === undefined ? undefined : Buffer.from(JSON.stringify(fill(spec.body, input) ?? {}), 'utf8');
    return { method: spec.method, url, body };
  }

  private signHeaders(method: string, url: URL, body: Buffer, auth: AuthMode): Record<string, string> {
    const a = this.o.mapping.auth;
    if (!a || a.scheme !== 'hmac-sm3' || !a.headers || !a.stringToSign) return {};
    if (!this.o.accessKey || !this.o.secret) throw new OperationNotOfferedError(this.name, 'sign', 'no credential configured for hmac-sm3');
    const now = auth === 'stale-timestamp' ? new Date(Date.now() - 3600_000) : new Date();
    const ts = a.timestamp === 'unix' ? String(Math.floor(now.getTime() / 1000)) : a.timestamp === 'unix-ms' ? String(now.getTime()) : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const nonce = randomBytes(a.nonceBytes ?? 16).toString('hex');
    const query = [...url.searchParams.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const sts = a.stringToSign
      .replaceAll('{method}', method)
      .replaceAll('{path}', url.pathname)
      .replaceAll('{query}', query)
      .replaceAll('{timestamp}', ts)
      .replaceAll('{nonce}', nonce)
      .replaceAll('{accessKey}', this.o.accessKey)
      .replaceAll('{bodySm3}', sm3(body).toString('hex'));
    let mac = hmacSm3(Buffer.from(this.o.secret, 'utf8'), Buffer.from(sts, 'utf8'));
    if (auth === 'bad-signature') mac = Buffer.from(mac.map((b, i) => (i === 0 ? b ^ 0x01 : b)));
    return {
      [a.headers.accessKey]: this.o.accessKey,
      [a.headers.timestamp]: ts,
      [a.headers.nonce]: nonce,
      [a.headers.signature]: a.signatureEncoding === 'hex' ? mac.toString('hex') : mac.toString('base64'),
    };
  }

  private async send(method: string, url: URL, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number, exchanges: Exchange[]): Promise<RawResponse> {
    const ex: Exchange = { at: new Date().toISOString(), request: { method, url: url.toString(), headers: redact(headers), body: body?.toString('utf8') } };
    exchanges.push(ex);
    try {
      const res = await sendRaw({ method, url, headers, body, timeoutMs, createConnection: this.o.createConnection });
      ex.response = { status: res.status, headers: redact(res.headers), body: truncate(res.body.toString('utf8')), ms: Math.round(res.ms) };
      return res;
    } catch (e) {
      ex.error = (e as Error).message;
      throw new TargetUnreachableError(`${method} ${url.origin}${url.pathname}: ${(e as Error).message}`, exchanges);
    }
  }

  private interpret(operation: string, spec: OperationMapping, res: RawResponse, exchanges: Exchange[]): CallResult {
    const success = spec.success ?? [200, 201];
    let json: unknown = undefined;
    const text = res.body.toString('utf8');
    if (text.length) {
      try { json = JSON.parse(text); } catch { json = undefined; }
    }
    if (!success.includes(res.status)) {
      const errs = this.o.mapping.errors ?? {};
      const code = errs.code ? extract(errs.code, res, json) : undefined;
      const message = errs.message ? extract(errs.message, res, json) : undefined;
      return { ok: false, output: {}, error: { status: res.status, code: code == null ? undefined : String(code), message: message == null ? undefined : String(message) }, exchanges };
    }
    const output: Fields = {};
    const outSpec = OPERATIONS[operation]?.output ?? {};
    for (const [field, from] of Object.entries(spec.response ?? {})) {
      const v = extract(from, res, json);
      if (v === undefined) throw new ResponseShapeError(`${operation}: response has no ${from.split('|')[0]} (mapped to ${field}); body: ${truncate(text, 200)}`, exchanges);
      if (outSpec[field] === 'bytes' && !Buffer.isBuffer(v)) throw new ResponseShapeError(`${operation}: ${field} must decode to bytes; got ${typeof v}`, exchanges);
      output[field] = v;
    }
    return { ok: true, output, exchanges };
  }
}

function scalar(v: Value, as: 'string'): string {
  if (v === undefined || v === null) return '';
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return as === 'string' ? String(v) : String(v);
}

/** Fills a template: a string that is exactly one placeholder keeps the input's type; undefined inputs drop the key. */
function fill(t: unknown, input: Fields): unknown {
  if (typeof t === 'string') {
    const whole = /^\{([A-Za-z][A-Za-z0-9]*)(?:\|(base64|hex|string|json))?\}$/.exec(t);
    if (whole) return encode(input[whole[1]!], whole[2]);
    return t.replace(PLACEHOLDER, (_m, name: string, enc?: string) => String(encode(input[name], enc) ?? ''));
  }
  if (Array.isArray(t)) return t.map((x) => fill(x, input)).filter((x) => x !== undefined);
  if (t && typeof t === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(t)) {
      const f = fill(v, input);
      if (f !== undefined) out[k] = f;
    }
    return out;
  }
  return t;
}

function encode(v: Value, enc?: string): unknown {
  if (v === undefined) return undefined;
  if (Buffer.isBuffer(v)) return enc === 'hex' ? v.toString('hex') : v.toString('base64');
  if (enc === 'string') return String(v);
  if (enc === 'json') return JSON.stringify(v);
  return v;
}

/** `body.a.b|base64`, `status`, `header.x-name|string` */
function extract(spec: string, res: RawResponse, json: unknown): Value {
  const [path, dec] = spec.split('|') as [string, string | undefined];
  const [root, ...rest] = path.split('.');
  let v: unknown;
  if (root === 'status') v = res.status;
  else if (root === 'header') v = res.headers[rest.join('.').toLowerCase()];
  else {
    v = json;
    for (const k of rest) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  }
  if (v === undefined || v === null) return undefined;
  switch (dec) {
    case 'base64': return typeof v === 'string' && /^[A-Za-z0-9+/=\s]*$/.test(v) ? Buffer.from(v, 'base64') : undefined;
    case 'hex': return typeof v === 'string' && /^([0-9a-fA-F]{2})*$/.test(v) ? Buffer.from(v, 'hex') : undefined;
    case 'number': return typeof v === 'number' ? v : Number.isFinite(Number(v)) ? Number(v) : undefined;
    case 'boolean': return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;
    case 'string': return String(v);
    case 'json': return JSON.stringify(v);
    default: return v as Value;
  }
}

function redact(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k] = REDACT.test(k) ? '[redacted]' : v;
  return out;
}

function truncate(s: string, n = 64 * 1024): string {
  return s.length > n ? `${s.slice(0, n)}… [${s.length - n} more characters]` : s;
}
