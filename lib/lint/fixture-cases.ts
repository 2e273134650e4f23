/**
 * Golden-fixture cases (pkilint style): test/fixtures/lint/<profile>/<case>.{crttest,crltest,ocsptest,cmstest} holds optional
 * `# key: value` header lines, the PEM input (one or more blocks), a blank line, and the expected findings in the
 * goldenLines() format. Adding a regression = dropping a file. Used by the golden test and the meta-test.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertType } from '../pki/classify.ts';
import { goldenLines } from './format.ts';
import { lintBytes, type ObjectReport } from './lint-objects.ts';
import { PROFILES, type ProfileName } from './registry.ts';
import type { LintOptions, Purpose } from './types.ts';

export const FIXTURE_ROOT = new URL('../../test/fixtures/lint/', import.meta.url).pathname;
const EXTS = ['.crttest', '.crltest', '.ocsptest', '.cmstest'];

export interface FixtureCase {
  profile: ProfileName;
  name: string;
  file: string;
  header: Record<string, string>;
  input: string;
  expected: string[];
}

export function loadCases(root = FIXTURE_ROOT): FixtureCase[] {
  const cases: FixtureCase[] = [];
  for (const profile of readdirSync(root).sort()) {
    if (!(profile in PROFILES)) continue;
    for (const f of readdirSync(join(root, profile)).sort()) {
      if (!EXTS.some((e) => f.endsWith(e))) continue;
      const file = join(root, profile, f);
      const text = readFileSync(file, 'utf8');
      const cut = text.lastIndexOf('-----END ');
      const eol = cut < 0 ? 0 : text.indexOf('\n', cut) + 1 || text.length;
      const input = text.slice(0, eol);
      const header: Record<string, string> = {};
      for (const m of input.matchAll(/^# ([A-Za-z]+): (.*)$/gm)) header[m[1]!] = m[2]!.trim();
      const expected = text.slice(eol).split('\n').map((l) => l.trimEnd()).filter((l) => l.length > 0);
      cases.push({ profile: profile as ProfileName, name: f.replace(/\.[a-z]+$/, ''), file, header, input, expected });
    }
  }
  return cases;
}

export function runCase(c: FixtureCase): ObjectReport[] {
  const edition = c.profile === 'gmt0015-2023' ? '2023' : '2012';
  const opts: Parameters<typeof lintBytes>[2] = { profile: c.profile, edition };
  if (c.header.type) opts.type = c.header.type as CertType;
  const options: LintOptions = {};
  if (c.header.usccOid) options.usccOid = c.header.usccOid;
  if (c.header.purpose) options.purpose = c.header.purpose as Purpose;
  // "serial[:public key hex]" entries, comma-separated
  if (c.header.kmRecords !== undefined) {
    options.kmRecords = c.header.kmRecords.split(',').filter(Boolean).map((e) => {
      const [userCertNo, pub] = e.trim().split(':');
      return pub ? { userCertNo: userCertNo!, publicKey: Buffer.from(pub, 'hex') } : { userCertNo: userCertNo! };
    });
  }
  if (Object.keys(options).length) opts.options = options;
  const r = lintBytes(c.file, Buffer.from(c.input, 'latin1'), opts);
  if (!r) throw new Error(`${c.file}: no objects found`);
  return r;
}

export function actualLines(c: FixtureCase): string[] {
  return goldenLines(runCase(c));
}

/** Rewrites the expected section of a fixture (UPDATE_GOLDEN=1). */
export function updateCase(c: FixtureCase, lines: string[]): void {
  writeFileSync(c.file, c.input + '\n' + lines.map((l) => l + '\n').join(''));
}
