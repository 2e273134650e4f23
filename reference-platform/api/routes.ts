import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SM2_DEFAULT_ID, sm2Verify, sm2VerifyDigest, sm2Z, sm3 } from '../../lib/gm/index.ts';
import type { App } from '../apps/apps.ts';
import type { PlatformContext } from '../context.ts';
import { KEY_TYPES, type KeyRecord, type KeyType } from '../keys/keys.ts';
import { ApiError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest { app?: App; rawBody?: Buffer }
}

const b64 = { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 16 * 1024 * 1024 } as const;
const GM_ALGORITHMS = ['SM2', 'SM3', 'SM4-ECB', 'SM4-CBC', 'SM4-GCM', 'HMAC-SM3'];

function bytes(v: unknown): Buffer | undefined {
  return typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
}

/** The crypto-service API (T/TCGIA 0003-2023 §6.2 a, h): every operation on a key the calling app owns. */
export function registerRoutes(api: FastifyInstance, ctx: PlatformContext): void {
  const appOf = (req: FastifyRequest): App => {
    if (!req.app) throw new ApiError(401, 'UNAUTHENTICATED', 'not authenticated');
    return req.app;
  };
  const keyOf = (req: FastifyRequest, id: unknown, types: KeyType[]): KeyRecord => {
    const k = typeof id === 'string' ? ctx.keys.get(appOf(req).id, id) : undefined;
    if (!k) throw new ApiError(404, 'KEY_NOT_FOUND', `no key ${String(id)}`);
    if (!types.includes(k.type)) throw new ApiError(400, 'KEY_USAGE_MISMATCH', `key ${k.id} is ${k.type}; this operation needs ${types.join(' or ')}`);
    if (k.state !== 'ACTIVE') throw new ApiError(409, 'KEY_STATE', `key ${k.id} is ${k.state}`);
    return k;
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
    const alg = b.algorithm ?? 'SM3';
    if (alg !== 'SM3') throw new ApiError(400, 'ALGORITHM_NOT_ALLOWED', `hash algorithm ${alg} is not offered; only SM3`);
    const data = bytes(b.data)!;
    const input = b.publicKey ? Buffer.concat([sm2Z(bytes(b.publicKey)!, b.userId ?? SM2_DEFAULT_ID), data]) : data;
    return { algorithm: 'SM3', digest: ctx.pool.schedule().hash('SM3', input).toString('base64') };
  });

  api.post('/crypto/random', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['length'], properties: { length: { type: 'integer', minimum: 1, maximum: 4096 } } } },
  }, async (req) => ({ random: ctx.pool.schedule().generateRandom((req.body as { length: number }).length).toString('base64') }));

  api.post('/keys', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { enum: KEY_TYPES }, name: { type: 'string', maxLength: 128 } } } },
  }, async (req, reply) => {
    const b = req.body as { type: KeyType; name?: string };
    const k = ctx.keys.generate(appOf(req).id, b.type, b.name);
    return reply.code(201).send({ keyId: k.id, type: k.type, state: k.state });
  });

  api.get('/keys/import-parameters', async (req) => {
    const p = ctx.keys.importParameters(appOf(req).id);
    return { importToken: p.importToken, wrappingPublicKey: p.wrappingPublicKey.toString('base64'), wrappingAlgorithm: 'SM2 (GM/T 0009 C1C3C2 DER)' };
  });

  api.post('/keys/import', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['type', 'wrappedKey', 'importToken'], properties: { type: { enum: ['SM4', 'HMAC_SM3'] }, name: { type: 'string', maxLength: 128 }, wrappedKey: b64, importToken: { type: 'string', maxLength: 64 } } } },
  }, async (req, reply) => {
    const b = req.body as { type: KeyType; name?: string; wrappedKey: string; importToken: string };
    const k = ctx.keys.importWrapped(appOf(req).id, b.importToken, b.type, bytes(b.wrappedKey)!, b.name);
    if (k === 'BAD_TOKEN') throw new ApiError(400, 'BAD_IMPORT_TOKEN', 'import token unknown, used, expired or for another application');
    return reply.code(201).send({ keyId: k.id, type: k.type, state: k.state });
  });

  api.get('/keys/:id/public-key', async (req) => {
    const k = keyOf(req, (req.params as { id: string }).id, ['SM2_SIGN', 'SM2_ENC']);
    return { keyId: k.id, publicKey: ctx.pool.get(k.deviceId).exportPublicKey(k.slot).toString('base64') };
  });

  const symBody = { type: 'object', additionalProperties: false, required: ['keyId', 'data'], properties: { keyId: { type: 'string' }, algorithm: { type: 'string' }, mode: { type: 'string' }, iv: b64, data: b64, padding: { type: 'boolean' }, aad: b64, tag: b64 } } as const;
  type SymBody = { keyId: string; algorithm?: string; mode?: string; iv?: string; data: string; padding?: boolean; aad?: string; tag?: string };

  api.post('/crypto/sm4/raw/encrypt', { schema: { body: symBody } }, async (req) => {
    const b = req.body as SymBody;
    const k = keyOf(req, b.keyId, ['SM4']);
    const dev = ctx.pool.get(k.deviceId);
    if ((b.algorithm ?? 'SM4') !== 'SM4') return nonGm('encrypt', b);
    const r = dev.encrypt(k.slot, (b.mode ?? 'CBC').toUpperCase(), bytes(b.iv), bytes(b.data)!, b.padding ?? false, bytes(b.aad));
    return { ciphertext: r.ciphertext.toString('base64'), ...(r.tag ? { tag: r.tag.toString('base64') } : {}) };
  });

  api.post('/crypto/sm4/raw/decrypt', { schema: { body: symBody } }, async (req) => {
    const b = req.body as SymBody;
    const k = keyOf(req, b.keyId, ['SM4']);
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
    const k = keyOf(req, b.keyId, ['HMAC_SM3']);
    return { mac: ctx.pool.get(k.deviceId).hmac(k.slot, bytes(b.data)!).toString('base64') };
  });

  /** e = SM3(Z‖M) with Z from the signer's public key and user ID (GM/T 0009); sm2-wrong-z drops Z. */
  const digestFor = (publicKey: Buffer, data: Buffer, userId?: string): Buffer =>
    ctx.defects.has('sm2-wrong-z') ? sm3(data) : sm3(sm2Z(publicKey, userId ?? SM2_DEFAULT_ID), data);

  api.post('/crypto/sm2/sign', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['keyId', 'data'], properties: { keyId: { type: 'string' }, data: b64, userId: { type: 'string', maxLength: 1024 } } } },
  }, async (req) => {
    const b = req.body as { keyId: string; data: string; userId?: string };
    const k = keyOf(req, b.keyId, ['SM2_SIGN']);
    const dev = ctx.pool.get(k.deviceId);
    const e = digestFor(dev.exportPublicKey(k.slot), bytes(b.data)!, b.userId);
    return { signature: dev.signDigest(k.slot, e).toString('base64'), format: 'GM/T 0009 DER' };
  });

  api.post('/crypto/sm2/verify', {
    schema: { body: { type: 'object', additionalProperties: false, required: ['data', 'signature'], properties: { keyId: { type: 'string' }, publicKey: b64, data: b64, signature: b64, userId: { type: 'string', maxLength: 1024 } } } },
  }, async (req) => {
    const b = req.body as { keyId?: string; publicKey?: string; data: string; signature: string; userId?: string };
    let pub: Buffer;
    if (b.keyId) {
      const k = keyOf(req, b.keyId, ['SM2_SIGN']);
      pub = ctx.pool.get(k.deviceId).exportPublicKey(k.slot);
    } else if (b.publicKey) pub = bytes(b.publicKey)!;
    else throw new ApiError(400, 'INVALID_ARGUMENT', 'give keyId or publicKey');
    const data = bytes(b.data)!;
    const sig = bytes(b.signature)!;
    const valid = ctx.defects.has('sm2-wrong-z') ? sm2VerifyDigest(pub, sm3(data), sig) : sm2Verify(pub, data, sig, { id: b.userId ?? SM2_DEFAULT_ID });
    return { valid };
  });
}
