import { sm2Sign, sm2Verify, sm3 } from '../../lib/gm/index.ts';
import type { Clock } from '../clock.ts';
import type { Defects } from '../defects/registry.ts';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.ts';
import type { MasterKey } from '../store/master-key.ts';
import { platformSm2Key } from '../store/platform-key.ts';
import { MerkleHasher } from './merkle.ts';

export type Outcome = 'SUCCESS' | 'DENIED' | 'FAILED';
export interface Actor { type: 'app' | 'admin' | 'system' | 'conformance' | 'anonymous'; id: string; role?: string }
export interface AuditInput {
  actor: Actor;
  tenantId?: string;
  action: string;
  resource?: { type: string; id: string };
  outcome: Outcome;
  requestId?: string;
  details?: Record<string, unknown>;
}
export interface Checkpoint { origin: string; size: number; rootHash: string; timestamp: string; note: string; signature: string }

export const AUDIT_ORIGIN = 'gmeval-reference-platform/audit';
const SIGNING_KEY = 'audit-signing-key';

/** JSON with object keys in sorted order: the exact bytes a leaf hash covers. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/**
 * The append-only audit log (T/TCGIA 0003-2023 §6.5.7): each record is a leaf of an RFC 6962 Merkle
 * tree over SM3; checkpoints (tree size + root) are signed with the platform's SM2 audit key, so an
 * auditor holding only the public key can check inclusion and consistency. `append` runs inside the
 * caller's transaction: the state change and its record commit together or not at all (fail closed).
 */
export class AuditLog {
  private readonly merkle = new MerkleHasher(sm3);
  private readonly leaves: Buffer[] = [];
  private readonly key: { privateKey: Buffer; publicKey: Buffer };

  constructor(private readonly db: Db, master: MasterKey, private readonly clock: Clock, private readonly defects: Defects) {
    this.nextSeq = db.prepare('SELECT COALESCE(MAX(seq) + 1, 0) AS n FROM audit_log');
    this.insert = db.prepare('INSERT INTO audit_log (seq, entry, leaf_hash) VALUES (?,?,?)');
    this.key = platformSm2Key(db, master, SIGNING_KEY);
  }

  publicKey(): Buffer {
    return Buffer.from(this.key.publicKey);
  }

  /** Appends one record; call inside the transaction that makes the change it records. */
  append(r: AuditInput): number {
    const seq = (this.nextSeq.get() as { n: number }).n;
    const entry = canonicalJson({ seq, ts: this.clock.iso(), ...r });
    this.insert.run(seq, entry, this.merkle.leafHash(Buffer.from(entry, 'utf8')));
    return seq;
  }

  // prepared once (in the constructor): compiling the SQL cost more than running it, on every audited request
  private readonly nextSeq: Statement;
  private readonly insert: Statement;

  size(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
  }

  /** Stored leaf hashes, read incrementally (rows of a rolled-back transaction never appear). */
  private leafHashes(): Buffer[] {
    const rows = this.db.prepare('SELECT leaf_hash FROM audit_log WHERE seq >= ? ORDER BY seq').all(this.leaves.length) as { leaf_hash: Buffer }[];
    for (const r of rows) this.leaves.push(Buffer.from(r.leaf_hash));
    return this.leaves;
  }

  records(filter: { resourceId?: string; action?: string; outcome?: string; sinceSeq?: number; limit?: number }): { seq: number; entry: string; leafHash: string }[] {
    const rows = this.db.prepare('SELECT seq, entry, leaf_hash FROM audit_log WHERE seq >= ? ORDER BY seq').all(filter.sinceSeq ?? 0) as { seq: number; entry: string; leaf_hash: Buffer }[];
    const out: { seq: number; entry: string; leafHash: string }[] = [];
    for (const r of rows) {
      let e: { action?: string; outcome?: string; resource?: { id?: string } };
      try { e = JSON.parse(r.entry); } catch { e = {}; }
      if (filter.resourceId && e.resource?.id !== filter.resourceId) continue;
      if (filter.action && e.action !== filter.action) continue;
      if (filter.outcome && e.outcome !== filter.outcome) continue;
      out.push({ seq: r.seq, entry: r.entry, leafHash: r.leaf_hash.toString('base64') });
      if (out.length >= (filter.limit ?? 1000)) break;
    }
    return out;
  }

  /** The latest signed checkpoint, signing a new one if records were added since. */
  checkpoint(): Checkpoint {
    const leaves = this.leafHashes();
    const last = this.db.prepare('SELECT * FROM audit_checkpoints ORDER BY size DESC LIMIT 1').get() as { size: number; root: Buffer; ts: string; note: string; signature: Buffer } | undefined;
    if (last && last.size === leaves.length) return toCheckpoint(last);
    const root = this.merkle.root(leaves);
    const ts = this.clock.iso();
    const note = `${AUDIT_ORIGIN}\n${leaves.length}\n${root.toString('base64')}\n${ts}\n`;
    // defect audit-no-integrity: the "signature" is a bare digest anyone can recompute
    const signature = this.defects.has('audit-no-integrity') ? sm3(Buffer.from(note)) : sm2Sign(this.key.privateKey, Buffer.from(note, 'utf8'), { format: 'der' });
    this.db.prepare('INSERT OR IGNORE INTO audit_checkpoints (size, root, ts, note, signature) VALUES (?,?,?,?,?)').run(leaves.length, root, ts, note, signature);
    return toCheckpoint({ size: leaves.length, root, ts, note, signature });
  }

  checkpointAt(size: number): Checkpoint | undefined {
    const r = this.db.prepare('SELECT * FROM audit_checkpoints WHERE size = ?').get(size) as { size: number; root: Buffer; ts: string; note: string; signature: Buffer } | undefined;
    return r ? toCheckpoint(r) : undefined;
  }

  inclusionProof(seq: number, treeSize: number): { leafIndex: number; treeSize: number; leafHash: string; path: string[] } | undefined {
    const leaves = this.leafHashes();
    if (!Number.isInteger(seq) || !Number.isInteger(treeSize) || seq < 0 || seq >= treeSize || treeSize > leaves.length) return undefined;
    return { leafIndex: seq, treeSize, leafHash: leaves[seq]!.toString('base64'), path: this.merkle.inclusionPath(leaves, seq, treeSize).map((b) => b.toString('base64')) };
  }

  consistencyProof(first: number, second: number): string[] | undefined {
    const leaves = this.leafHashes();
    if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || first > second || second > leaves.length) return undefined;
    return this.merkle.consistencyProof(leaves, first, second).map((b) => b.toString('base64'));
  }

  /** Recomputes every leaf from the stored record and every checkpoint root and signature; trusts no stored hash. */
  verify(): { status: 'OK' | 'TAMPERED'; firstBadSeq?: number; records: number; checkpoints: number } {
    const rows = this.db.prepare('SELECT seq, entry, leaf_hash FROM audit_log ORDER BY seq').all() as { seq: number; entry: string; leaf_hash: Buffer }[];
    if (this.defects.has('audit-no-integrity')) return { status: 'OK', records: rows.length, checkpoints: 0 };
    const recomputed: Buffer[] = [];
    let firstBad: number | undefined;
    rows.forEach((r, i) => {
      const h = this.merkle.leafHash(Buffer.from(r.entry, 'utf8'));
      recomputed.push(h);
      if (firstBad === undefined && (r.seq !== i || !h.equals(r.leaf_hash))) firstBad = r.seq;
    });
    const cps = this.db.prepare('SELECT * FROM audit_checkpoints ORDER BY size').all() as { size: number; root: Buffer; note: string; signature: Buffer }[];
    for (const c of cps) {
      const sigOk = sm2Verify(this.key.publicKey, Buffer.from(c.note, 'utf8'), c.signature, { format: 'der' });
      const rootOk = c.size <= recomputed.length && this.merkle.root(recomputed, 0, c.size).equals(c.root);
      if ((!sigOk || !rootOk) && firstBad === undefined) firstBad = Math.max(0, c.size - 1);
    }
    return firstBad === undefined ? { status: 'OK', records: rows.length, checkpoints: cps.length } : { status: 'TAMPERED', firstBadSeq: firstBad, records: rows.length, checkpoints: cps.length };
  }

  /** Conformance hook: an attacker with database access edits one stored record in place. */
  tamper(seq: number): boolean {
    const r = this.db.prepare('SELECT entry FROM audit_log WHERE seq = ?').get(seq) as { entry: string } | undefined;
    if (!r) return false;
    const e = JSON.parse(r.entry) as Record<string, unknown>;
    e.outcome = e.outcome === 'SUCCESS' ? 'DENIED' : 'SUCCESS';
    this.db.prepare('UPDATE audit_log SET entry = ? WHERE seq = ?').run(canonicalJson(e), seq);
    return true;
  }
}

function toCheckpoint(r: { size: number; root: Buffer; ts: string; note: string; signature: Buffer }): Checkpoint {
  return { origin: AUDIT_ORIGIN, size: r.size, rootHash: Buffer.from(r.root).toString('base64'), timestamp: r.ts, note: r.note, signature: Buffer.from(r.signature).toString('base64') };
}
