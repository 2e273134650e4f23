import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gmeval } from '../test/cli.ts';
import { loadProfile, validateProfileFile } from './profile.ts';
import { InputError } from '../lib/errors.ts';

test('the bundled reference profile is valid', () => {
  const r = gmeval(['profile', 'validate', 'profiles/reference.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ok \(level 3/);
});

test('a broken profile exits 2 and names file, line and field for every problem', () => {
  const r = gmeval(['profile', 'validate', 'test/fixtures/profiles/broken.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /broken\.yaml:3:8: level: must be <= 4/);
  assert.match(r.stderr, /broken\.yaml:5:3: target\.endpoints: required field is missing/);
  assert.match(r.stderr, /broken\.yaml:9:11: objects\[0\]\.kind: must be one of/);
  assert.match(r.stderr, /broken\.yaml:10:5: objects\[0\]\.colour: unknown field/);
});

test('a reference to a missing adapter is reported at its line', () => {
  const issues = validateProfileFile('test/fixtures/profiles/bad-reference.yaml');
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.line, 14);
  assert.equal(issues[0]!.field, 'objects[0].adapter');
  assert.match(issues[0]!.reason, /no adapter named "platfrom"/);
});

test('a profile whose adapter mapping is broken exits 2 naming the mapping file, line and field', () => {
  const r = gmeval(['profile', 'validate', 'test/fixtures/profiles/bad-mapping-profile.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad-mapping\.yaml:7:\d+: operations\.hash\.body: placeholder \{algo\} is not an input of hash/);
  assert.match(r.stderr, /bad-mapping\.yaml:10:\d+: operations\.sign\.method: must be one of/);
  assert.match(r.stderr, /bad-mapping\.yaml:12:\d+: operations\.encrpyt: unknown operation/);
  assert.match(r.stderr, /bad-mapping\.yaml:18:\d+: operations\.verify\.response\.ok: not an output of verify/);
});

test('a missing profile file is an input error, not a crash', () => {
  assert.throws(() => loadProfile('test/fixtures/profiles/nope.yaml'), (e) => e instanceof InputError && /file not found/.test(e.message));
  const r = gmeval(['run', '--profile', 'test/fixtures/profiles/nope.yaml', '--out', '/tmp/gmeval-never']);
  assert.equal(r.code, 2);
});

test('YAML syntax errors carry a line number', () => {
  const issues = validateProfileFile('test/fixtures/adapters/local-sm3-module.ts');
  assert.ok(issues.length >= 1);
  assert.ok(issues.every((i) => i.line >= 1));
});
