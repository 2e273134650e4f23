import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';

const FX = 'test/fixtures/lint/gmt0015-2012';
const run = (...args: string[]) => spawnSync(process.execPath, ['bin/gmeval.js', 'cert', 'lint', ...args], { encoding: 'utf8' });
const pemToDer = (text: string) => Buffer.from(text.split('-----END CERTIFICATE-----')[0]!.split('-----BEGIN CERTIFICATE-----')[1]!.replace(/\s+/g, ''), 'base64');

test('a clean chain exits 0, a chain with errors exits 1', () => {
  const ok = run(`${FX}/good_sign_enc_chain.crttest`);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /签名证书/);
  const bad = run(`${FX}/real_gmssl_tlcp_server_chain.crttest`);
  assert.equal(bad.status, 1);
  assert.match(bad.stdout, /e_aki_missing/);
});

test('--json validates against reports/schema/cert-lint.schema.json', () => {
  const r = run('--json', `${FX}/real_gmssl_tlcp_server_chain.crttest`, `${FX}/crl_good.crltest`, `${FX}/ocsp_good_delegated.ocsptest`);
  assert.equal(r.status, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as { objects: Array<{ kind: string }> };
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync('reports/schema/cert-lint.schema.json', 'utf8')));
  assert.ok(validate(doc), JSON.stringify(validate.errors));
  assert.deepEqual([...new Set(doc.objects.map((o) => o.kind))].sort(), ['certificate', 'crl', 'ocsp']);
});

test('DER input, --type and --edition', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-cert-'));
  const der = join(dir, 'enc.der');
  writeFileSync(der, pemToDer(readFileSync(`${FX}/enc_ku_with_signature.crttest`, 'utf8')));
  const auto = run('--json', der);
  assert.equal(JSON.parse(auto.stdout).objects[0].certType, 'sign');
  const forced = run('--json', '--type', 'enc', '--edition', '2023', der);
  const doc = JSON.parse(forced.stdout);
  assert.equal(doc.objects[0].certType, 'enc');
  assert.equal(doc.profile, 'gmt0015-2023');
  assert.ok(doc.objects[0].results.some((x: { lint: string; status: string }) => x.lint === 'e_enc_cert_has_signature_bits' && x.status === 'error'));
});

test('malformed DER in a readable file is a fatal finding with an offset, not exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-cert-'));
  const f = join(dir, 'bad.der');
  writeFileSync(f, Buffer.from([0x30, 0x82, 0x01, 0x00, 0x30, 0x03, 0x02, 0x01]));
  const r = run('--json', f);
  assert.equal(r.status, 1, r.stderr);
  const res = JSON.parse(r.stdout).objects[0].results[0];
  assert.equal(res.status, 'fatal');
  assert.equal(typeof res.offset, 'number');
});

test('unreadable or unrecognisable input exits 2 naming the file', () => {
  const missing = run('/nonexistent/x.pem');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /\/nonexistent\/x\.pem: cannot read file/);
  const text = run('package.json');
  assert.equal(text.status, 2);
  assert.match(text.stderr, /package\.json: no certificate, CRL or OCSP response found/);
  assert.equal(run('--edition', '2019', `${FX}/good_root.crttest`).status, 2);
  assert.equal(run('--type', 'leaf', `${FX}/good_root.crttest`).status, 2);
});

test('--sarif emits SARIF 2.1.0 with rule metadata', () => {
  const r = run('--sarif', `${FX}/aki_missing.crttest`);
  const s = JSON.parse(r.stdout);
  assert.equal(s.version, '2.1.0');
  assert.ok(s.runs[0].tool.driver.rules.some((x: { id: string }) => x.id === 'e_aki_missing'));
  assert.equal(s.runs[0].results[0].level, 'error');
});

test('--purpose and --km-records feed the TLCP EKU and KM lints; bad values exit 2 naming the place', () => {
  const server = run('--json', '--purpose', 'tlcp-server', `${FX}/tlcp_server_eku_client_only.crttest`);
  const lints = (r: ReturnType<typeof run>) => (JSON.parse(r.stdout) as { objects: Array<{ results: Array<{ lint: string; status: string }> }> }).objects[0]!.results;
  assert.equal(lints(server).find((x) => x.lint === 'w_tlcp_server_eku')?.status, 'warn');
  assert.equal(lints(run('--json', `${FX}/tlcp_server_eku_client_only.crttest`)).find((x) => x.lint === 'w_tlcp_server_eku')?.status, 'NA');
  const fixture = readFileSync(`${FX}/km_enc_key_matches.crttest`, 'utf8');
  const [serial, pub] = /# kmRecords: (\w+):(\w+)/.exec(fixture)!.slice(1);
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-km-'));
  writeFileSync(join(dir, 'km.txt'), `${serial},${pub}\n`);
  writeFileSync(join(dir, 'other.json'), JSON.stringify([{ userCertNo: 'abcdef' }]));
  const match = run('--json', '--km-records', join(dir, 'km.txt'), `${FX}/km_enc_key_matches.crttest`);
  assert.equal(lints(match).find((x) => x.lint === 'e_pair_enc_key_not_from_km')?.status, 'pass');
  const missing = run('--json', '--km-records', join(dir, 'other.json'), `${FX}/km_enc_key_matches.crttest`);
  assert.equal(missing.status, 1);
  assert.equal(lints(missing).find((x) => x.lint === 'e_pair_enc_key_not_from_km')?.status, 'error');
  writeFileSync(join(dir, 'bad.txt'), `${serial}\nnot-hex\n`);
  const bad = run('--km-records', join(dir, 'bad.txt'), `${FX}/km_enc_key_matches.crttest`);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /bad\.txt:2: userCertNo/);
  const badPurpose = run('--purpose', 'web', `${FX}/km_enc_key_matches.crttest`);
  assert.equal(badPurpose.status, 2);
  assert.match(badPurpose.stderr, /--purpose/);
});
