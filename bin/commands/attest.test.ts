import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gmeval } from '../../test/cli.ts';

test('attest init --level 3: the units no scenario covers, open dimensions of covered ones; unfilled it fails validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-attest-'));
  const out = join(dir, 'att.yaml');
  const r = gmeval(['attest', 'init', '--level', '3', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  for (const u of ['6.1.1', '6.2.1', '7.1.1', '7.4.3']) assert.match(text, new RegExp(`unit: "${u.replace(/\./g, '\\.')}"`));
  // 6.4.1 is tested for D by the platform feature: the template asks for A and K only
  assert.match(text, /unit: "6\.4\.1"[\s\S]*?dak: \{ A: 待填写, K: 待填写 \}/);
  assert.equal(gmeval(['attest', 'init', '--level', '3', '--out', out]).code, 2, 'refuses to overwrite');
  assert.equal(gmeval(['attest', 'init', '--level', '5']).code, 2);
  // level 1 has no 6.1.3; level 3 has it
  assert.doesNotMatch(gmeval(['attest', 'init', '--level', '1']).stdout, /unit: "6\.1\.3"/);
  // the unfilled template is rejected by `run --attestations` with file:line errors
  const run = gmeval(['run', '--attestations', out, '--out', join(dir, 'run')]);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /att\.yaml:\d+:\d+: attestations\[0\]\.result: must be one of/);
  assert.ok(!existsSync(join(dir, 'run', 'report.json')), 'nothing runs on bad input');
});
