import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  SM2_DEFAULT_ID, sm2GenerateKeyPair, sm2PrivateKeyFromPem, sm2PublicKeyFromPem, sm2PublicKeyToPem, sm2PublicKeyToSpki,
  sm2Sign, sm2Verify, sm3, type Sm2KeyPair,
} from '../lib/gm/index.ts';
import { InputError } from '../lib/errors.ts';

/**
 * manifest.json: SM3 and SHA-256 of every file in the run folder, signed with SM2 (SM3 with Z, default
 * user id). What is signed is the manifest itself without the signature value, serialised in a fixed key
 * order — so verifying does not depend on how the file is formatted.
 */
export const MANIFEST_FILE = 'manifest.json';

export interface ManifestEntry { path: string; bytes: number; sm3: string; sha256: string }
export interface Manifest {
  schemaVersion: '1.0';
  runId: string;
  createdAt: string;
  hashAlgorithms: ['SM3', 'SHA-256'];
  files: ManifestEntry[];
  signature: { algorithm: 'SM2-SM3'; userId: string; publicKeyPem: string; keySource: 'profile' | 'generated'; value: string };
}

export interface SigningKey { pair: Sm2KeyPair; source: 'profile' | 'generated'; publicKeyPem: string; publicKeySm3: string }

/** The report key: from the profile's PEM file, or fresh for this run (its private half is never written). */
export function signingKey(pemFile?: string, where = 'report.signingKey.file'): SigningKey {
  let pair: Sm2KeyPair;
  let source: SigningKey['source'] = 'generated';
  if (pemFile) {
    if (!existsSync(pemFile)) throw new InputError(`${where}: key file ${pemFile} not found`);
    try {
      pair = sm2PrivateKeyFromPem(readFileSync(pemFile, 'utf8'));
    } catch (e) {
      throw new InputError(`${where}: ${pemFile} is not an SM2 private key in PEM (PKCS#8 or SEC1): ${(e as Error).message}`);
    }
    source = 'profile';
  } else pair = sm2GenerateKeyPair();
  return { pair, source, publicKeyPem: sm2PublicKeyToPem(pair.publicKey), publicKeySm3: sm3(sm2PublicKeyToSpki(pair.publicKey)).toString('hex') };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.filter((p) => p !== MANIFEST_FILE).sort();
}

function hashFile(dir: string, path: string): ManifestEntry {
  const bytes = readFileSync(join(dir, path));
  return { path, bytes: bytes.length, sm3: sm3(bytes).toString('hex'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The bytes the signature covers: the manifest without `signature.value`, keys in a fixed order. */
export function signedBytes(m: Omit<Manifest, 'signature'> & { signature: Omit<Manifest['signature'], 'value'> }): Buffer {
  const canonical = {
    schemaVersion: m.schemaVersion, runId: m.runId, createdAt: m.createdAt, hashAlgorithms: m.hashAlgorithms,
    files: m.files.map((f) => ({ path: f.path, bytes: f.bytes, sm3: f.sm3, sha256: f.sha256 })),
    signature: { algorithm: m.signature.algorithm, userId: m.signature.userId, publicKeyPem: m.signature.publicKeyPem, keySource: m.signature.keySource },
  };
  return Buffer.from(JSON.stringify(canonical), 'utf8');
}

export function buildManifest(dir: string, runId: string, key: SigningKey, now = new Date()): Manifest {
  const unsigned = {
    schemaVersion: '1.0' as const, runId, createdAt: now.toISOString(), hashAlgorithms: ['SM3', 'SHA-256'] as ['SM3', 'SHA-256'],
    files: listFiles(dir).map((p) => hashFile(dir, p)),
    signature: { algorithm: 'SM2-SM3' as const, userId: SM2_DEFAULT_ID, publicKeyPem: key.publicKeyPem, keySource: key.source },
  };
  const value = sm2Sign(key.pair.privateKey, signedBytes(unsigned), { publicKey: key.pair.publicKey }).toString('base64');
  return { ...unsigned, signature: { ...unsigned.signature, value } };
}

export interface VerifyProblem { path: string; problem: 'changed' | 'added' | 'removed' | 'signature' | 'key'; detail: string }
export interface VerifyResult { ok: boolean; files: number; signatureValid: boolean; publicKeySm3?: string; problems: VerifyProblem[] }

/** Reads and checks manifest.json: every hash, no file added or removed, the signature, and (optionally) the expected key. */
export function verifyRun(dir: string, opts: { publicKeyPem?: string } = {}): VerifyResult {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`${dir}: not a run folder`);
  if (!existsSync(file)) throw new InputError(`${file}: no manifest in this run folder`);
  let m: Manifest;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch (e) {
    throw new InputError(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  const shapeOk = m && m.schemaVersion === '1.0' && Array.isArray(m.files) && m.signature && typeof m.signature.value === 'string' && typeof m.signature.publicKeyPem === 'string'
    && m.files.every((f) => f && typeof f.path === 'string' && typeof f.sm3 === 'string' && typeof f.sha256 === 'string' && typeof f.bytes === 'number');
  if (!shapeOk) throw new InputError(`${file}: not a gmeval manifest (schemaVersion 1.0 with files[] and signature)`);
  const problems: VerifyProblem[] = [];
  let pub: Buffer | undefined;
  try {
    pub = sm2PublicKeyFromPem(m.signature.publicKeyPem);
  } catch (e) {
    problems.push({ path: MANIFEST_FILE, problem: 'signature', detail: `public key unreadable: ${(e as Error).message}` });
  }
  const signatureValid = !!pub && sm2Verify(pub, signedBytes(m), Buffer.from(m.signature.value, 'base64'), { id: m.signature.userId });
  if (pub && !signatureValid) problems.push({ path: MANIFEST_FILE, problem: 'signature', detail: 'SM2 signature does not verify: the manifest was changed or signed by another key' });
  if (opts.publicKeyPem && pub) {
    let expected: Buffer | undefined;
    try { expected = sm2PublicKeyFromPem(opts.publicKeyPem); } catch (e) { throw new InputError(`--key: not an SM2 public key in PEM: ${(e as Error).message}`); }
    if (!expected.equals(pub)) problems.push({ path: MANIFEST_FILE, problem: 'key', detail: 'signed by a different key than the one expected (--key)' });
  }
  const present = new Set(listFiles(dir));
  const listed = new Set<string>();
  for (const f of m.files) {
    listed.add(f.path);
    if (!present.has(f.path)) { problems.push({ path: f.path, problem: 'removed', detail: 'listed in the manifest but missing' }); continue; }
    const now = hashFile(dir, f.path);
    if (now.sm3 !== f.sm3 || now.sha256 !== f.sha256 || now.bytes !== f.bytes) problems.push({ path: f.path, problem: 'changed', detail: `SM3 ${f.sm3.slice(0, 16)}… → ${now.sm3.slice(0, 16)}…, ${f.bytes} → ${now.bytes} bytes` });
  }
  for (const p of present) if (!listed.has(p)) problems.push({ path: p, problem: 'added', detail: 'not in the manifest' });
  // the report states the key too: both must agree, or someone re-signed the folder
  if (present.has('report.json') && listed.has('report.json')) {
    try {
      const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { signing?: { publicKeyPem?: string } };
      if (r.signing?.publicKeyPem && pub && !sm2PublicKeyFromPem(r.signing.publicKeyPem).equals(pub)) problems.push({ path: 'report.json', problem: 'key', detail: 'report.json states another signing key than manifest.json' });
    } catch { /* a changed report.json is already reported by its hash */ }
  }
  return { ok: problems.length === 0, files: m.files.length, signatureValid, ...(pub ? { publicKeySm3: sm3(sm2PublicKeyToSpki(pub)).toString('hex') } : {}), problems };
}
