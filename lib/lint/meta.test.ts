/**
 * The lint-the-linter test: every lint has complete metadata and a citation, sits in its own file in the registry,
 * and is proven by the golden fixtures to both pass and fail.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CERT_TYPES } from '../pki/classify.ts';
import { loadCases, runCase } from './fixture-cases.ts';
import { ALL_LINTS, PROFILE_NAMES, profileLints } from './registry.ts';
import { EDITIONS, severityOf, type Status } from './types.ts';

const here = new URL('.', import.meta.url).pathname;
const DIRS = ['rfc5280', 'gmt0015', 'crl', 'ocsp', 'cms'];

test('every lint has complete metadata', () => {
  const ids = new Set<string>();
  for (const l of ALL_LINTS) {
    const m = l.meta;
    assert.match(m.id, /^[ewn]_[a-z0-9_]+$/, `bad id ${m.id}`);
    assert.ok(!ids.has(m.id), `duplicate id ${m.id}`);
    ids.add(m.id);
    assert.ok(m.description.length > 10, `${m.id}: description`);
    assert.ok(/[\u4e00-\u9fff]/.test(m.descriptionZh), `${m.id}: descriptionZh must be Chinese`);
    assert.match(m.citation, /(GM\/T \d{4}|RFC \d{4}|X\.\d{3}|GB \d+|CA\/B|practice)/, `${m.id}: citation "${m.citation}"`);
    assert.ok(m.editions.length > 0 && m.editions.every((e) => EDITIONS.includes(e)), `${m.id}: editions`);
    assert.ok(['verified', 'single-source', 'unverified'].includes(m.basis), `${m.id}: basis`);
    assert.ok(m.target.length > 0, `${m.id}: target`);
    for (const t of m.certTypes ?? []) assert.ok(CERT_TYPES.includes(t), `${m.id}: cert type ${t}`);
    if (m.effective) assert.ok(!Number.isNaN(Date.parse(m.effective)), `${m.id}: effective date`);
    severityOf(m.id);
  }
});

test('every lint file is registered, one lint per file, named after its id, with the requirement quoted', () => {
  const registered = new Set(ALL_LINTS.map((l) => l.meta.id));
  let files = 0;
  for (const d of DIRS) {
    for (const f of readdirSync(join(here, d))) {
      if (!/^[ewn]_.*\.ts$/.test(f) || f.endsWith('.test.ts')) continue;
      files++;
      const id = f.replace(/\.ts$/, '');
      assert.ok(registered.has(id), `${d}/${f} is not in lib/lint/all.ts`);
      const src = readFileSync(join(here, d, f), 'utf8');
      assert.match(src, /^\/\*[\s\S]*?(§|Annex|附录|practice|RFC|X\.\d)[\s\S]*?\*\//, `${d}/${f}: requirement comment with its clause first`);
      assert.equal((src.match(/id: '/g) ?? []).length, 1, `${d}/${f}: exactly one lint`);
      assert.ok(src.includes(`id: '${id}'`), `${d}/${f}: id must equal the file name`);
    }
  }
  assert.equal(files, ALL_LINTS.length, 'registry and files differ');
});

test('profiles select sensible subsets', () => {
  for (const p of PROFILE_NAMES) assert.ok(profileLints(p).length > 10, p);
  assert.ok(!profileLints('rfc5280').some((l) => l.meta.id === 'e_sig_alg_not_sm2_sm3'), 'rfc5280 profile is algorithm-neutral');
  assert.ok(profileLints('gmt0015-2023').some((l) => l.meta.id === 'n_uscc_oid_variant'));
  assert.ok(!profileLints('gmt0015-2012').some((l) => l.meta.id === 'n_uscc_oid_variant'), '2023-only lint out of the 2012 profile');
});

test('every lint has a passing and a failing golden fixture', () => {
  const seen = new Map<string, Set<Status>>();
  for (const c of loadCases()) {
    for (const r of runCase(c)) for (const x of r.results) {
      if (!seen.has(x.lint)) seen.set(x.lint, new Set());
      seen.get(x.lint)!.add(x.status);
    }
  }
  const missing: string[] = [];
  for (const l of ALL_LINTS) {
    const s = seen.get(l.meta.id) ?? new Set();
    assert.ok(!s.has('fatal'), `${l.meta.id} crashed on a fixture`);
    if (!s.has('pass')) missing.push(`${l.meta.id}: no passing fixture`);
    if (!s.has(severityOf(l.meta.id))) missing.push(`${l.meta.id}: no failing fixture`);
  }
  assert.deepEqual(missing, []);
  assert.ok(seen.get('asn1_structure')?.has('fatal'), 'a malformed fixture yields the fatal structure finding');
});
