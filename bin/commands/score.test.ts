import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIX = join(ROOT, 'test', 'fixtures', 'score');
const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'gmeval.js'), 'score', ...args], { encoding: 'utf8', cwd: ROOT });
const tmp = mkdtempSync(join(tmpdir(), 'gmeval-score-'));
const inputOf = (fixture: string) => {
  const p = join(tmp, `${fixture}.input.json`);
  writeFileSync(p, JSON.stringify((JSON.parse(readFileSync(join(FIX, `${fixture}.json`), 'utf8')) as { input: unknown }).input, null, 2));
  return p;
};

test('gmeval score --json prints a result matching score.schema.json; exit 0 even when not conformant', () => {
  const r = run(inputOf('g6-composite-with-high-risk'), '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { total: number; conclusion: string; highRisks: unknown[] };
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  assert.ok(ajv.validate(JSON.parse(readFileSync(join(ROOT, 'reports', 'schema', 'score.schema.json'), 'utf8')) as object, out), JSON.stringify(ajv.errors));
  assert.equal(out.total, 83.36);
  assert.equal(out.conclusion, '不符合');
  assert.equal(out.highRisks.length, 1);
});

test('gmeval score prints the zh table by default and en with --lang en', () => {
  const f = inputOf('g6-composite-basic');
  const zh = run(f);
  assert.equal(zh.status, 0, zh.stderr);
  assert.match(zh.stdout, /总分: 83\.36 {4}结论: 基本符合/);
  const en = run(f, '--lang', 'en');
  assert.match(en.stdout, /Total: 83\.36 {4}Conclusion: basically conformant/);
});

test('a missing unit is exit 2 naming the unit, the JSON path and the line', () => {
  const r = run(inputOf('error-missing-units'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot be scored/);
  assert.match(r.stderr, /:3:\d+: \/units: missing unit 6\.1\.3 \(视频监控记录数据存储完整性, clause 8\.1\.c\)/);
  assert.match(r.stderr, /missing unit 7\.4\.2/);
});

test('schema errors, JSON syntax errors and bad flags are exit 2 with a location', () => {
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, '{\n  "level": 3,\n  "units": {\n    "6.2.1": {"D": "yes"}\n  }\n}\n');
  const r = run(bad);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.json:4:\d+: \/units\/6\.2\.1\/D: must be one of \[true,false,"\/"\]/);
  const syntax = join(tmp, 'syntax.json');
  writeFileSync(syntax, '{"level": 3,\n "units": {,}}');
  const s = run(syntax);
  assert.equal(s.status, 2);
  assert.match(s.stderr, /syntax\.json:2:\d+: not valid JSON/);
  assert.equal(run(inputOf('all-conformant-l3'), '--level', '5').status, 2);
  assert.equal(run(join(tmp, 'absent.json')).status, 2);
});

test('--level overrides the file and re-checks the units the level assesses', () => {
  const f = inputOf('all-conformant-l1');
  assert.equal(run(f).status, 0);
  const r = run(f, '--level', '3');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing unit 6\.3\.2/);
});
