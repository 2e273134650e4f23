import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sm3 } from '../lib/gm/index.ts';

/** A file of evidence in the run folder, hashed with SHA-256 and SM3. */
export interface EvidenceRef {
  name: string;
  mediaType: string;
  sha256: string;
  sm3: string;
  /** path relative to the run folder */
  path: string;
  bytes: number;
  /** the file holds redacted key material markers (never the material itself) */
  redacted?: boolean;
}

export interface EvidenceSink {
  save(name: string, mediaType: string, data: string | Uint8Array, opts?: { redacted?: boolean }): EvidenceRef;
}

/** Writes evidence under `<runDir>/evidence/<scope>/`; names are sanitised and made unique. */
export class FileEvidenceSink implements EvidenceSink {
  private readonly used = new Set<string>();
  constructor(private readonly runDir: string, private readonly scope: string) {}

  save(name: string, mediaType: string, data: string | Uint8Array, opts: { redacted?: boolean } = {}): EvidenceRef {
    const dir = join(this.runDir, 'evidence', safe(this.scope));
    mkdirSync(dir, { recursive: true });
    let file = safe(name);
    for (let i = 2; this.used.has(file); i++) file = `${safe(name).replace(/(\.[^.]*)?$/, `-${i}$1`)}`;
    this.used.add(file);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    const path = join(dir, file);
    writeFileSync(path, bytes);
    return {
      name,
      mediaType,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      sm3: sm3(bytes).toString('hex'),
      path: relative(this.runDir, path),
      bytes: bytes.length,
      ...(opts.redacted ? { redacted: true } : {}),
    };
  }
}

/** Keeps evidence in memory (tests, and runs without an output folder). */
export class MemoryEvidenceSink implements EvidenceSink {
  readonly files = new Map<string, Buffer>();
  save(name: string, mediaType: string, data: string | Uint8Array, opts: { redacted?: boolean } = {}): EvidenceRef {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    this.files.set(name, bytes);
    return { name, mediaType, sha256: createHash('sha256').update(bytes).digest('hex'), sm3: sm3(bytes).toString('hex'), path: name, bytes: bytes.length, ...(opts.redacted ? { redacted: true } : {}) };
  }
}

function safe(s: string): string {
  return s.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 120) || 'evidence';
}
