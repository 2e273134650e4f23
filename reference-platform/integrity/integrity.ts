import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sm2GenerateKeyPair, sm2Sign, sm2Verify, sm3 } from '../../lib/gm/index.ts';
import { canonicalJson } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { Defects } from '../defects/registry.ts';
import type { Db } from '../store/db.ts';
import type { MasterKey } from '../store/master-key.ts';

/** enforce: refuse to start on a mismatch · report: start, report MISMATCH · rebaseline: sign the current state (an intended upgrade) */
export type IntegrityMode = 'enforce' | 'report' | 'rebaseline';
export type IntegrityStatus = 'OK' | 'MISMATCH';

export interface ManifestBody {
  schemaVersion: 1;
  origin: string;
  createdAt: string;
  /** the software root the paths are relative to */
  root: string;
  files: { path: string; sm3: string; bytes: number }[];
  /** the platform's security-relevant configuration, and its SM3 over canonical JSON */
  config: { values: Record<string, unknown>; sm3: string };
}

export interface IntegrityReport {
  status: IntegrityStatus;
  mode: IntegrityMode;
  verifiedAt: string;
  baseline: 'created' | 'loaded' | 'rebaselined';
  /** the signed manifest text (canonical JSON) exactly as signed */
  manifest: string;
  manifestSm3: string;
  signatureAlgorithm: string;
  signature: string;
  publicKey: string;
  signatureValid: boolean;
  mismatches: { path: string; expected: string | null; actual: string | null }[];
}

export const SOFTWARE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const ORIGIN = 'gmeval-reference-platform/integrity';
const SIGNING_KEY = 'integrity-signing-key';
const MANIFEST_FILE = 'integrity-manifest.json';
const INCLUDED = /\.(ts|js|mjs|cjs|json|ya?ml|sql|html|css)$/;

/** The files that make up the platform software: code and bundled data, not tests. Paths use '/'. */
export function softwareFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (INCLUDED.test(name) && !/\.test\.[cm]?[jt]s$/.test(name)) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * Integrity of the platform's own software and configuration (T/TCGIA 0003-2023 §6.5.5 a). A manifest — SM3 of
 * every software file and of the security-relevant configuration — is signed with the platform's SM2 integrity
 * key (sealed under the master key). At start the platform recomputes everything and compares: in `enforce` mode
 * (default for a persistent data directory) a mismatch or a bad signature stops the start; in `report` mode it
 * starts and reports MISMATCH. The baseline is recorded at the first start on a data directory (trust on first
 * use — a vendor release would ship a manifest signed by its release key instead); an intended upgrade is
 * re-baselined explicitly (mode `rebaseline`, audited). An in-memory platform records its baseline at every start.
 */
export class PlatformIntegrity {
  private readonly key: { privateKey: Buffer; publicKey: Buffer };
  private manifestText = '';
  private signature: Buffer = Buffer.alloc(0);
  private baseline: IntegrityReport['baseline'] = 'loaded';
  private last: IntegrityReport | undefined;
  /** conformance hook: files the verifier sees as altered (an attacker replacing a file on disk) */
  private readonly altered = new Set<string>();

  constructor(
    private readonly o: { db: Db; master: MasterKey; clock: Clock; defects: Defects; dataDir: string | ':memory:'; root?: string; config: Record<string, unknown>; mode: IntegrityMode },
  ) {
    const row = o.db.prepare('SELECT sealed, public_part FROM platform_secrets WHERE name = ?').get(SIGNING_KEY) as { sealed: Buffer; public_part: Buffer } | undefined;
    if (row) this.key = { privateKey: o.master.unseal(row.sealed, SIGNING_KEY), publicKey: Buffer.from(row.public_part) };
    else {
      const kp = sm2GenerateKeyPair();
      o.db.prepare('INSERT INTO platform_secrets (name, sealed, public_part) VALUES (?,?,?)').run(SIGNING_KEY, o.master.seal(kp.privateKey, SIGNING_KEY), kp.publicKey);
      this.key = { privateKey: kp.privateKey, publicKey: kp.publicKey };
    }
  }

  get root(): string {
    return this.o.root ?? SOFTWARE_ROOT;
  }

  private get file(): string | undefined {
    return this.o.dataDir === ':memory:' ? undefined : join(this.o.dataDir, MANIFEST_FILE);
  }

  /**
   * Start-up: load (or create) the signed manifest and verify it. Returns the report and, when the start must be
   * refused (enforce mode), the reason; the caller stops the start and says why.
   */
  start(): { report: IntegrityReport; refuse?: string; rebaselinedFrom?: IntegrityReport } {
    const f = this.file;
    if (!f || !existsSync(f)) {
      this.sign(this.current());
      this.baseline = 'created';
      return { report: this.verify() };
    }
    try {
      const stored = JSON.parse(readFileSync(f, 'utf8')) as { manifest: string; signature: string };
      this.manifestText = String(stored.manifest);
      this.signature = Buffer.from(String(stored.signature), 'base64');
    } catch (e) {
      this.manifestText = '';
      this.signature = Buffer.alloc(0);
      if (this.o.mode !== 'rebaseline') {
        const report = this.verify();
        return { report, refuse: this.o.mode === 'enforce' ? `${f}: unreadable integrity manifest (${(e as Error).message})` : undefined };
      }
    }
    const before = this.verify();
    if (this.o.mode === 'rebaseline' && before.status !== 'OK') {
      this.sign(this.current());
      this.baseline = 'rebaselined';
      return { report: this.verify(), rebaselinedFrom: before };
    }
    if (before.status !== 'OK' && this.o.mode === 'enforce') {
      const what = before.signatureValid ? before.mismatches.map((m) => m.path).slice(0, 8).join(', ') + (before.mismatches.length > 8 ? ', …' : '') : 'the manifest signature does not verify';
      return { report: before, refuse: `integrity check failed: ${before.signatureValid ? `${before.mismatches.length} item(s) differ from the signed manifest ${f}: ${what}` : what}. After an intended upgrade, start once with GMEVAL_INTEGRITY=rebaseline (audited); to start anyway and only report, GMEVAL_INTEGRITY=report.` };
    }
    return { report: before };
  }

  /** Recomputes every file's SM3 and the configuration's, and checks the manifest signature. */
  verify(): IntegrityReport {
    let body: ManifestBody | undefined;
    try { body = JSON.parse(this.manifestText) as ManifestBody; } catch { body = undefined; }
    const signatureValid = !!body && this.signature.length > 0 && safeVerify(this.key.publicKey, Buffer.from(this.manifestText, 'utf8'), this.signature);
    const mismatches: IntegrityReport['mismatches'] = [];
    // defect integrity-check-skipped: the manifest is shown, but nothing is recomputed
    if (body && !this.o.defects.has('integrity-check-skipped')) {
      const now = this.current();
      const expected = new Map(body.files.map((x) => [x.path, x.sm3]));
      const actual = new Map(now.files.map((x) => [x.path, x.sm3]));
      for (const [p, h] of expected) if (actual.get(p) !== h) mismatches.push({ path: p, expected: h, actual: actual.get(p) ?? null });
      for (const [p, h] of actual) if (!expected.has(p)) mismatches.push({ path: p, expected: null, actual: h });
      if (now.config.sm3 !== body.config?.sm3) mismatches.push({ path: '(configuration)', expected: body.config?.sm3 ?? null, actual: now.config.sm3 });
    }
    const ok = signatureValid && mismatches.length === 0;
    this.last = {
      status: ok || this.o.defects.has('integrity-check-skipped') ? 'OK' : 'MISMATCH',
      mode: this.o.mode, verifiedAt: this.o.clock.iso(), baseline: this.baseline,
      manifest: this.manifestText, manifestSm3: sm3(Buffer.from(this.manifestText, 'utf8')).toString('hex'),
      signatureAlgorithm: 'SM2-SM3 (GB/T 32918.2, ID 1234567812345678), DER', signature: this.signature.toString('base64'),
      publicKey: this.key.publicKey.toString('base64'), signatureValid, mismatches,
    };
    return this.last;
  }

  /** The last verification (start-up, or the latest on demand). */
  report(): IntegrityReport {
    return this.last ?? this.verify();
  }

  /** Conformance hook: the verifier sees `path` as altered on disk (calling it again restores). */
  toggleAltered(path: string): boolean {
    if (this.altered.has(path)) this.altered.delete(path);
    else this.altered.add(path);
    return this.altered.has(path);
  }

  private current(): Omit<ManifestBody, 'createdAt'> & { createdAt?: string } {
    const files = softwareFiles(this.root).map((p) => {
      let data = readFileSync(join(this.root, ...p.split('/')));
      if (this.altered.has(p)) data = Buffer.concat([data, Buffer.from('\n// altered\n')]);
      return { path: p, sm3: sm3(data).toString('hex'), bytes: data.length };
    });
    const values = this.o.config;
    return { schemaVersion: 1, origin: ORIGIN, root: 'reference-platform', files, config: { values, sm3: sm3(Buffer.from(canonicalJson(values), 'utf8')).toString('hex') } };
  }

  private sign(body: Omit<ManifestBody, 'createdAt'> & { createdAt?: string }): void {
    this.manifestText = canonicalJson({ ...body, createdAt: this.o.clock.iso() });
    this.signature = sm2Sign(this.key.privateKey, Buffer.from(this.manifestText, 'utf8'), { format: 'der' });
    const f = this.file;
    if (f) writeFileSync(f, JSON.stringify({ manifest: this.manifestText, signature: this.signature.toString('base64'), publicKey: this.key.publicKey.toString('base64') }, null, 1) + '\n', { mode: 0o600 });
  }
}

function safeVerify(pub: Buffer, msg: Buffer, sig: Buffer): boolean {
  try { return sm2Verify(pub, msg, sig, { format: 'der' }); } catch { return false; }
}
