import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileSchema, parseYamlWithSchema } from '../../lib/yaml-schema/index.ts';
import { parseSequences, RngInputError } from '../../lib/rng/parse.ts';
import { decodeDeviceInfo, decodeEccCipher, decodeEccPublicKey, decodeEccSignature, StructError } from '../../probes/sdf/structs.ts';
import { createAdapter } from '../../probes/adapters/index.ts';
import { observeCall } from '../../probes/api/call.ts';
import { MemoryEvidenceSink } from '../../probes/evidence.ts';
import { ROOT } from '../cli.ts';

/**
 * Property-based fuzzing of the parsers of untrusted input not covered beside their own code
 * (TLCP records and certificates have their own fuzz tests in lib/tlcp and lib/lint): whatever the bytes,
 * a parser answers with a value or its own typed error — never another exception, never a hang.
 * `bench/fuzz.ts` runs the same properties for long campaigns.
 */
export const FUZZ_RUNS = Number(process.env.GMEVAL_FUZZ_RUNS) || 300;

/** Mutations of a valid text: flip, delete, duplicate or insert characters, or truncate. */
export const mutatedText = (base: string) =>
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 4 }), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 8 }).map((ops) => {
    let s = base;
    for (const [pos, op, str] of ops) {
      const i = s.length ? pos % s.length : 0;
      if (op === 0) s = s.slice(0, i) + String.fromCharCode((s.charCodeAt(i) ^ 0x20) || 0x41) + s.slice(i + 1);
      else if (op === 1) s = s.slice(0, i) + s.slice(i + 1 + (pos % 5));
      else if (op === 2) s = s.slice(0, i) + s.slice(i, i + 12) + s.slice(i);
      else if (op === 3) s = s.slice(0, i) + str + s.slice(i);
      else s = s.slice(0, i);
    }
    return s;
  });

test('profile YAML: any mutation yields a value or located issues, never an exception', () => {
  const schema = compileSchema(JSON.parse(readFileSync(resolve(ROOT, 'profiles/profile.schema.json'), 'utf8')));
  const base = readFileSync(resolve(ROOT, 'profiles/reference.yaml'), 'utf8');
  fc.assert(fc.property(mutatedText(base), (text) => {
    const r = parseYamlWithSchema(text, 'fuzz.yaml', schema);
    if (!r.ok) for (const i of r.issues) assert.ok(i.line >= 1 && i.column >= 1 && typeof i.reason === 'string');
  }), { numRuns: FUZZ_RUNS, seed: 20261123 });
});

test('adapter mapping YAML: any mutation yields a value or located issues', () => {
  const schema = compileSchema(JSON.parse(readFileSync(resolve(ROOT, 'probes/adapters/http/mapping.schema.json'), 'utf8')));
  const base = readFileSync(resolve(ROOT, 'profiles/adapters/reference.yaml'), 'utf8');
  fc.assert(fc.property(mutatedText(base), (text) => {
    const r = parseYamlWithSchema(text, 'fuzz.yaml', schema);
    if (!r.ok) for (const i of r.issues) assert.ok(i.line >= 1);
  }), { numRuns: FUZZ_RUNS, seed: 20261124 });
});

test('RNG input files: arbitrary bytes parse or raise RngInputError with a byte offset', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom<'ascii' | 'bin'>('ascii', 'bin'), fc.integer({ min: 8, max: 256 }), (bytes, format, n) => {
    try {
      const r = parseSequences(bytes, n, format);
      assert.ok(r.totalBits >= 0 && r.leftoverBits >= 0);
    } catch (e) {
      assert.ok(e instanceof RngInputError, `unexpected ${(e as Error).name}: ${(e as Error).message}`);
    }
  }), { numRuns: FUZZ_RUNS * 3, seed: 7 });
});

test('SDF structures from a device: arbitrary bytes decode or raise StructError', () => {
  const decoders: ((b: Uint8Array) => unknown)[] = [decodeEccPublicKey, decodeEccSignature, (b) => decodeEccCipher(b), decodeDeviceInfo as (b: Uint8Array) => unknown];
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(decoders.length - 1), (bytes, which) => {
    try {
      decoders[which]!(bytes);
    } catch (e) {
      assert.ok(e instanceof StructError, `unexpected ${(e as Error).name}: ${(e as Error).message}`);
    }
  }), { numRuns: FUZZ_RUNS * 3, seed: 11 });
});

test('API responses: arbitrary status and body give data, a refusal or not_tested — never an exception', async () => {
  let next: { status: number; body: Buffer } = { status: 200, body: Buffer.alloc(0) };
  const srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(next.status, { 'content-type': 'application/json' }); res.end(next.body); });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/api/v1`;
  const adapter = await createAdapter({ type: 'http', name: 'fuzz', mappingFile: resolve(ROOT, 'profiles/adapters/reference.yaml'), baseUrl: url, accessKey: 'AK', secret: 's', timeoutMs: 2000 });
  const target = { adapter, object: { id: 'f', name: 'f' }, evidence: new MemoryEvidenceSink() };
  const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ digest: v, random: v, error: { code: v, message: v } }));
  const body = fc.oneof(json, fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')));
  try {
    await fc.assert(fc.asyncProperty(fc.constantFrom(200, 201, 400, 401, 404, 500, 503), body, fc.constantFrom('hash', 'random', 'verify'), async (status, text, op) => {
      next = { status, body: Buffer.from(text, 'latin1') };
      const obs = await observeCall(target, op, { algorithm: 'SM3', data: Buffer.from('abc'), length: 16, publicKey: Buffer.alloc(65, 4), signature: Buffer.alloc(8) });
      assert.ok(obs.data !== undefined || obs.notTested !== undefined);
      if (obs.data?.accepted) for (const v of Object.values(obs.data.output)) assert.notEqual(v, undefined);
    }), { numRuns: Math.min(FUZZ_RUNS, 200), seed: 5 });
  } finally {
    srv.close();
  }
});
