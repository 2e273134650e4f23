import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SM2_DEFAULT_ID, sm2Encrypt, sm2Verify, sm2VerifyDigest, sm2Z, sm3 } from '../../lib/gm/index.ts';
import type { App } from '../apps/apps.ts';
import type { PlatformContext } from '../context.ts';
import type { KeyRecord, KeyType, Use } from '../keys/keys.ts';
import { Access } from './access.ts';
import type { CryptoWorkers } from '../devices/crypto-workers.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest { app?: App; rawBody?: Buffer }
}

// the gm-base64 format (server.ts) accepts exactly what the pattern ^[A-Za-z0-9+/]*={0,2}$ does, up to 16 MiB
// characters, in one pass (ajv's maxLength would walk the string a second time counting code points)
const b64 = { type: 'string', format: 'gm-base64' } as const;
const GM_ALGORITHMS = ['SM2', 'SM3', 'SM4-ECB', 'SM4-CBC', 'SM4-GCM', 'HMAC-SM3'];

function bytes(v: unknown): Buffer | undefined {
  return typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
}

/** The crypto-service API (T/TCGIA 0003-2023 §6.2 a, h): every operation on a key the calling app owns. */
export function registerRoutes(api: FastifyInstance, ctx: PlatformContext, offload: () => CryptoWorkers | undefined = () => undefined): void {
  const access = new Access(ctx);
  const appOf = (req: FastifyRequest): App => access.app(req);
  /** The primary version's device and slot of a usable key. */
  const keyOf = (req: FastifyRequest, id: unknown, types: KeyType[], use: Use = 'protect', operation = 'use'): KeyRecord => {
    const k = access.use(req, id, types, use, operation);
    const v = ctx.keys.version(k);
    return { ...k, deviceId: v.deviceId, slot: v.slot };
  };

  api.get('/sys/health', { config: { public: true } }, async () => ({ status: 'ok', devices: ctx.pool.list().map((d) => ({ id: d.info.id, state: d.info.state })) }));

  api.get('/sys/capabilities', async () => ({
    algorithms: ctx.defects.has('accepts-non-gm-algorithm') ? [...GM_ALGORITHMS, 'AES-128-CBC'] : GM_ALGORITHMS,
    defaultUserId: SM2_DEFAULT_ID,
  }));

  api.post('/crypto/hash', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['data'], properties: { algorithm: { type: 'string' }, data: b64, publicKey: b64, userId: { type: 'string', maxLength: 1024 } } } },
  }, async (req) => {
    const b = req.body as { algorithm?: string; data: string; publicKey?: string; userId?: string };
    access.authorize(req, 'hash');
    const alg = b.algorithm ?? 'SM3';
    if (alg !== 'SM3') throw new ApiError(400, 'ALGORITHM_NOT_ALLOWED', `hash algorithm ${alg} is not offered; only SM3`);
    const data = bytes(b.data)!;
    const input = b.publicKey ? Buffer.concat([sm2Z(bytes(b.publicKey)!, b.userId ?? SM2_DEFAULT_ID), data]) : data;
    return { algorithm: 'SM3', digest: ctx.pool.schedule().hash('SM3', input).toString('base64') };
  });

  api.post('/crypto/random', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['length'], properties: { length: { type: 'integer', minimum: 1, maximum: 4096 } } } },
  }, async (req) => {
    access.authorize(req, 'random');
    return { random: ctx.pool.schedule().generateRandom((req.body as { length: number }).length).toString('base64') };
  });

  api.get('/apps/self', async (req) => {
    const app = appOf(req);
    return { appId: app.id, name: app.name, tenantId: app.tenantId };
  });

  const symBody = { type: 'object', additionalProperties: false, required: ['keyId', 'data'], properties: { keyId: { type: 'string' }, algorithm: { type: 'string' }, mode: { type: 'string' }, iv: b64, data: b64, padding: { type: 'boolean' }, aad: b64, tag: b64 } } as const;
  type SymBody = { keyId: string; algorithm?: string; mode?: string; iv?: string; data: string; padding?: boolean; aad?: string; tag?: string };

  api.post('/crypto/sm4/raw/encrypt', { schema: { body: symBody } }, async (req) => {
    const b = req.body as SymBody;
    const k = keyOf(req, b.keyId, ['SM4'], 'protect', 'encrypt');
    const dev = ctx.pool.get(k.deviceId);
    if ((b.algorithm ?? 'SM4') !== 'SM4') return nonGm('encrypt', b);
    const r = dev.encrypt(k.slot, (b.mode ?? 'CBC').toUpperCase(), bytes(b.iv), bytes(b.data)!, b.padding ?? false, bytes(b.aad));
    return { ciphertext: r.ciphertext.toString('base64'), ...(r.tag ? { tag: r.tag.toString('base64') } : {}) };
  });

  api.post('/crypto/sm4/raw/decrypt', { schema: { body: symBody } }, async (req) => {
    const b = req.body as SymBody;
    const k = keyOf(req, b.keyId, ['SM4'], 'process', 'decrypt');
    if ((b.algorithm ?? 'SM4') !== 'SM4') return nonGm('decrypt', b);
    const pt = ctx.pool.get(k.deviceId).decrypt(k.slot, (b.mode ?? 'CBC').toUpperCase(), bytes(b.iv), bytes(b.data)!, b.padding ?? false, bytes(b.aad), bytes(b.tag));
    return { plaintext: pt.toString('base64') };
  });

  /** Only the accepts-non-gm-algorithm defect reaches past the refusal. */
  function nonGm(op: 'encrypt' | 'decrypt', b: SymBody): Record<string, string> {
    if (!ctx.defects.has('accepts-non-gm-algorithm') || b.algorithm !== 'AES' || (b.mode ?? 'CBC').toUpperCase() !== 'CBC')
      throw new ApiError(400, 'ALGORITHM_NOT_ALLOWED', `algorithm ${b.algorithm} is not an approved commercial cryptography algorithm`, 'SDR_ALGNOTSUPPORT');
    const key = Buffer.alloc(16, 0x11); // the defect's stand-in: a platform-wide AES key
    const c = op === 'encrypt' ? createCipheriv('aes-128-cbc', key, bytes(b.iv)!) : createDecipheriv('aes-128-cbc', key, bytes(b.iv)!);
    c.setAutoPadding(b.padding ?? false);
    const out = Buffer.concat([c.update(bytes(b.data)!), c.final()]).toString('base64');
    return op === 'encrypt' ? { ciphertext: out } : { plaintext: out };
  }

  api.post('/crypto/hmac', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['keyId', 'data'], properties: { keyId: { type: 'string' }, algorithm: { type: 'string' }, data: b64 } } },
  }, async (req) => {
    const b = req.body as { keyId: string; algorithm?: string; data: string };
    if ((b.algorithm ?? 'HMAC-SM3') !== 'HMAC-SM3') throw new ApiError(400, 'ALGORITHM_NOT_ALLOWED', `MAC algorithm ${b.algorithm} is not offered; only HMAC-SM3`);
    const k = keyOf(req, b.keyId, ['HMAC_SM3'], 'protect', 'hmac');
    return { mac: ctx.pool.get(k.deviceId).hmac(k.slot, bytes(b.data)!).toString('base64') };
  });

  api.post('/crypto/sm2/sign', {
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['keyId', 'data'], properties: { keyId: { type: 'string' }, data: b64, userId: { type: 'string', maxLength: 1024 } } },
      response: { 200: { type: 'object', required: ['signature', 'format'], properties: { signature: { type: 'string', format: 'unsafe' }, format: { type: 'string' } } } },
    },
  }, async (req) => {
    const b = req.body as { keyId: string; data: string; userId?: string };
    const k = keyOf(req, b.keyId, ['SM2_SIGN'], 'protect', 'sign');
    // the device forms e = SM3(Z‖M) itself (SDF_HashInit with P and ID), so OpenSSL's message-based SM2 signs;
    // sm2-wrong-z drops Z (e = SM3(M)), as the verify route does
    const sig = await ctx.pool.get(k.deviceId).signMessageAsync(k.slot, bytes(b.data)!, { id: b.userId, omitZ: ctx.defects.has('sm2-wrong-z') }, offload());
    return { signature: sig.toString('base64'), format: 'GM/T 0009 DER' };
  });

  api.post('/crypto/sm2/verify', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['data', 'signature'], properties: { keyId: { type: 'string' }, publicKey: b64, data: b64, signature: b64, userId: { type: 'string', maxLength: 1024 } } } },
  }, async (req) => {
    const b = req.body as { keyId?: string; publicKey?: string; data: string; signature: string; userId?: string };
    let pub: Buffer;
    access.authorize(req, 'verify');
    if (b.keyId) {
      const k = keyOf(req, b.keyId, ['SM2_SIGN'], 'process', 'verify');
      pub = ctx.pool.get(k.deviceId).exportPublicKey(k.slot);
    } else if (b.publicKey) pub = bytes(b.publicKey)!;
    else throw new ApiError(400, 'INVALID_ARGUMENT', 'give keyId or publicKey');
    const data = bytes(b.data)!;
    const sig = bytes(b.signature)!;
    const valid = ctx.defects.has('sm2-wrong-z') ? sm2VerifyDigest(pub, sm3(data), sig) : sm2Verify(pub, data, sig, { id: b.userId ?? SM2_DEFAULT_ID });
    return { valid };
  });

  // --- versioned, authenticated SM4 envelope (csp:v<version>:base64) ----------------------------------

  api.post('/crypto/sm4/encrypt', {
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['keyId', 'plaintext'], properties: { keyId: { type: 'string' }, plaintext: b64, aad: b64 } },
      // a response schema lets fastify serialise with a compiled fast-json-stringify function; 'unsafe' skips the
      // per-character escape scan, right for base64 (and the csp:v<n>: prefix), which never needs escaping
      response: { 200: { type: 'object', required: ['ciphertext', 'keyVersion'], properties: { ciphertext: { type: 'string', format: 'unsafe' }, keyVersion: { type: 'integer' } } } },
    },
  }, async (req) => {
    const b = req.body as { keyId: string; plaintext: string; aad?: string };
    const k = access.use(req, b.keyId, ['SM4'], 'protect', 'encrypt');
    const version = ctx.keys.version(k);
    const header = `csp:v${version.version}:`;
    const blob = await ctx.pool.get(version.deviceId).envelopeSealAsync(version.slot, header, bytes(b.plaintext)!, bytes(b.aad), offload());
    return { ciphertext: header + blob.toString('base64'), keyVersion: version.version };
  });

  api.post('/crypto/sm4/decrypt', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['keyId', 'ciphertext'], properties: { keyId: { type: 'string' }, ciphertext: { type: 'string', maxLength: 24 * 1024 * 1024 }, aad: b64 } } },
  }, async (req) => {
    const b = req.body as { keyId: string; ciphertext: string; aad?: string };
    const m = /^csp:v([1-9][0-9]{0,8}):([A-Za-z0-9+/]*={0,2})$/.exec(b.ciphertext);
    if (!m) throw new ApiError(400, 'BAD_CIPHERTEXT', 'ciphertext must be csp:v<version>:<base64>');
    const k = access.use(req, b.keyId, ['SM4'], 'process', 'decrypt');
    const version = ctx.keys.version(k, Number(m[1]));
    const pt = ctx.pool.get(version.deviceId).envelopeOpen(version.slot, `csp:v${version.version}:`, Buffer.from(m[2]!, 'base64'), bytes(b.aad));
    return { plaintext: pt.toString('base64'), keyVersion: version.version };
  });

  // --- SM2 encryption (GM/T 0009 C1C3C2 DER) ---------------------------------------------------------

  api.post('/crypto/sm2/encrypt', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['keyId', 'data'], properties: { keyId: { type: 'string' }, data: b64 } } },
  }, async (req) => {
    const b = req.body as { keyId: string; data: string };
    const k = keyOf(req, b.keyId, ['SM2_ENC'], 'protect', 'encrypt');
    const pub = ctx.pool.get(k.deviceId).exportPublicKey(k.slot);
    return { ciphertext: sm2Encrypt(pub, bytes(b.data)!, { format: 'der' }).toString('base64') };
  });

  api.post('/crypto/sm2/decrypt', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['keyId', 'ciphertext'], properties: { keyId: { type: 'string' }, ciphertext: b64 } } },
  }, async (req) => {
    const b = req.body as { keyId: string; ciphertext: string };
    // the type check is the device's (SDF_InternalDecrypt_ECC refuses a signing key with SDR_KEYTYPEERR)
    const k = keyOf(req, b.keyId, ['SM2_ENC', 'SM2_SIGN'], 'process', 'decrypt');
    return { plaintext: ctx.pool.get(k.deviceId).decryptEcc(k.slot, bytes(b.ciphertext)!).toString('base64') };
  });
}
