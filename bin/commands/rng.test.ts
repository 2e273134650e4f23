// CLI contract of `gmeval rng test`: exit 0 / 1 / 2, InputError messages with file and byte offset, --json
// validated against reports/schema/rng.schema.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { goodBytes, biasedBytes } from '../../test/fixtures/rng/generators.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gmeval-rng-'));

function gmeval(...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin/gmeval.js'), ...args], { encoding: 'utf8', cwd: root });
}

test('rng test: good sample → table and exit 0; --json validates against the schema', () => {
  const f = join(dir, 'good.bin');
  writeFileSync(f, goodBytes(20_000 * 12, 'gmeval-rng-cli-'));
  const r = gmeval('rng', 'test', f, '--bits', '20000', '--workers', '0');
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /12 × 20000 bits/);
  assert.match(r.stdout, /group verdict: PASS/);
  assert.match(r.stdout, /块内最大游程检测/);
  const j = gmeval('rng', 'test', f, '--bits', '20000', '--workers', '0', '--json');
  assert.equal(j.status, 0, j.stderr);
  const doc = JSON.parse(j.stdout) as { items: { pValues: number[]; qValues: number[] }[]; threshold: number };
  const schema = JSON.parse(readFileSync(join(root, 'reports/schema/rng.schema.json'), 'utf8'));
  const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
  assert.ok(validate(doc), JSON.stringify(validate.errors));
  assert.equal(doc.items.length, 22);
  assert.equal(doc.items[0].pValues.length, 12);
  assert.equal(doc.items[0].qValues.length, 12);
  assert.equal(doc.threshold, 11);
});

test('rng test: biased sample → exit 1', () => {
  const f = join(dir, 'biased.bin');
  writeFileSync(f, biasedBytes(20_000 * 10, 133));
  const r = gmeval('rng', 'test', f, '--bits', '20000', '--workers', '0');
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /group verdict: FAIL/);
});

test('rng test: bad input → exit 2 naming file, byte offset and problem', () => {
  const bad = join(dir, 'bad.txt');
  writeFileSync(bad, '0101 0111\n01201');
  let r = gmeval('rng', 'test', bad, '--format', 'ascii', '--bits', '20000');
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: byte offset 12: byte '2' is not '0', '1'`));
  const short = join(dir, 'short.bin');
  writeFileSync(short, new Uint8Array(100));
  r = gmeval('rng', 'test', short);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /short\.bin: too short: 800 bits .* byte offset 100/);
  r = gmeval('rng', 'test', join(dir, 'missing.bin'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing\.bin: cannot read: ENOENT/);
  r = gmeval('rng', 'test', short, '--bits', '12345');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--bits 12345/);
  r = gmeval('rng', 'test', short, '--format', 'hex');
  assert.equal(r.status, 2);
  r = gmeval('rng', 'test', join(dir, 'good.bin'), '--bits', '20000', '--sequences', '99', '--workers', '0');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /only 12 complete/);
});
