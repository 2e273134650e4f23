/**
 * The TLCP probe against the reference platform's listener (reference-platform/tlcp-listener): clean, every check
 * passes; with each TLCP/certificate defect, the check that defect violates fails. Also: an unreachable port is
 * not_tested with exit 3, and the CLI's JSON follows its schema.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileSchema } from '../../../lib/yaml-schema/index.ts';
import { runTlcpProbe, type TlcpProbeRun } from '../../../probes/tlcp/run.ts';
import { Defects } from '../../../reference-platform/defects/registry.ts';
import { provisionTlcpCertificates, type TlcpCertificateSet } from '../../../reference-platform/tlcp-listener/certificates.ts';
import { startTlcpListener, type RunningTlcpListener } from '../../../reference-platform/tlcp-listener/listener.ts';
import { ROOT } from '../../cli.ts';

const http: HttpServer = createServer((req, res) => res.end(`ok ${req.url}`));
const listeners: RunningTlcpListener[] = [];
let certs: TlcpCertificateSet;

before(() => {
  certs = provisionTlcpCertificates();
});
after(async () => {
  for (const l of listeners) await l.close();
});

async function listen(defects: string[] = [], certificates?: TlcpCertificateSet): Promise<RunningTlcpListener> {
  const l = await startTlcpListener({ host: '127.0.0.1', port: 0, httpServer: http, defects: new Defects(defects), ...(certificates ? { certificates } : {}) });
  listeners.push(l);
  return l;
}

async function probe(l: RunningTlcpListener): Promise<TlcpProbeRun> {
  const [host, port] = l.address.split(':');
  return runTlcpProbe({ host: host!, port: Number(port), clientCredentials: l.certificates.client, answerTimeoutMs: 2000 },
    { trustAnchors: [l.certificates.caCert], suites: [0xe013, 0xe053, 0xe011, 0xe051] });
}

const status = (r: TlcpProbeRun) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));

describe('TLCP probe against the reference listener', () => {
  it('clean listener: every check passes, the certificates lint without errors, transcripts are evidence', async () => {
    const r = await probe(await listen([], certs));
    assert.deepEqual(r.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.status} ${c.reason}`), []);
    assert.ok(r.report.conversations.length >= 20);
    const first = r.report.conversations.find((c) => c.id === 'sanity-first')!;
    assert.ok(first.transcript.some((e) => e.kind === 'handshake' && e.summary.startsWith('certificate')), 'decoded handshake in the transcript');
    assert.ok(first.transcript.every((e) => /^([0-9a-f]{2})*…?$/.test(e.hex)));
    assert.equal(first.outcome.handshake, true);
    // alerts observed as the standard expects
    assert.equal(r.report.conversations.find((c) => c.id === 'tampered-finished')!.outcome.alert?.name, 'decrypt_error');
    assert.equal(r.report.conversations.find((c) => c.id === 'bad-record-mac')!.outcome.afterHandshake?.alert?.name, 'bad_record_mac');
    assert.equal(r.report.conversations.find((c) => c.id === 'renegotiation')!.outcome.afterHandshake?.alert?.name, 'no_renegotiation');
    assert.equal(r.report.conversations.find((c) => c.id === 'resume')!.outcome.negotiated?.resumed, true);
    assert.ok(r.certificates);
    const errors = r.certificates!.certificates.flatMap((c) => c.results.filter((x) => x.status === 'error' || x.status === 'fatal'));
    assert.deepEqual(errors, []);
    // no session secret reaches the report
    assert.doesNotMatch(JSON.stringify(r), /masterSecret/);
  });

  const cases: [string, string[]][] = [
    ['tlcp-accepts-rsa-suite', ['non-gm-refused']],
    ['tlcp-no-finished-check', ['finished']],
    ['tlcp-static-iv', ['explicit-iv']],
    ['tlcp-ske-wrong-z', ['ske-signature']],
    ['tlcp-enc-cert-as-sign', ['certificates']],
    ['cert-enc-keyusage-sign', ['certificates']],
  ];
  for (const [defect, failing] of cases) {
    it(`defect ${defect}: ${failing.join(', ')} fails, nothing becomes untestable`, async () => {
      const r = await probe(await listen([defect]));
      const s = status(r);
      for (const f of failing) assert.equal(s[f], 'failed', `${f}: ${r.checks.find((c) => c.id === f)!.reason}`);
      assert.deepEqual(r.checks.filter((c) => c.status === 'not_tested').map((c) => c.id), []);
    });
  }

  it('certificate defects show in the GM/T 0015 lints of the presented chain', async () => {
    const enc = await probe(await listen(['cert-enc-keyusage-sign']));
    const lintIds = enc.certificates!.certificates.find((c) => c.position === 'enc')!.results.filter((x) => x.status === 'error').map((x) => x.lint);
    assert.ok(lintIds.includes('e_enc_cert_no_encipherment'), lintIds.join(','));
    const ca = await probe(await listen(['cert-ee-is-ca']));
    assert.ok(ca.certificates!.certificates.find((c) => c.position === 'sign')!.results.some((x) => x.lint === 'e_ee_is_ca' && x.status === 'error'));
    const gt = await probe(await listen(['cert-validity-generalizedtime']));
    assert.ok(gt.certificates!.certificates.find((c) => c.position === 'sign')!.results.some((x) => x.lint === 'e_time_encoding' && x.status === 'error'));
  });

  it('an unreachable port: every check not_tested with the reason', async () => {
    const port = await freePort();
    const r = await runTlcpProbe({ host: '127.0.0.1', port, connectTimeoutMs: 1000 });
    assert.equal(r.report.reachable, false);
    assert.match(r.report.unreachableReason!, /ECONNREFUSED|unreachable/);
    assert.ok(r.checks.every((c) => c.status === 'not_tested'));
  });
});

describe('gmeval tlcp probe (CLI)', () => {
  const schema = compileSchema(JSON.parse(readFileSync(resolve(ROOT, 'reports/schema/tlcp-probe.schema.json'), 'utf8')));
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-tlcp-cli-'));

  it('clean: exit 0, schema-valid JSON; evidence files written', async () => {
    const l = await listen([], certs);
    writeFileSync(join(dir, 'ca.pem'), l.certificates.caPem);
    writeFileSync(join(dir, 'client.pem'), l.certificates.clientPem.certs);
    writeFileSync(join(dir, 'client.key'), l.certificates.clientPem.keys, { mode: 0o600 });
    const r = await cli(['tlcp', 'probe', l.address, '--json', '--trust', join(dir, 'ca.pem'), '--client-cert', join(dir, 'client.pem'), '--client-key', join(dir, 'client.key'), '--suites', 'e013,e053,e011,e051', '--evidence', join(dir, 'ev')]);
    assert.equal(r.code, 0, r.stderr + r.stdout.slice(0, 2000));
    const j = JSON.parse(r.stdout) as { checks: { status: string }[]; reachable: boolean };
    assert.ok(schema(j), JSON.stringify(schema.errors));
    assert.ok(j.checks.every((c: { status: string }) => c.status === 'passed'));
    assert.match(readFileSync(join(dir, 'ev', 'tampered-finished.transcript.txt'), 'utf8'), /alert level=2 decrypt_error/);
    assert.doesNotMatch(r.stdout, /PRIVATE KEY/);
  });

  it('a defect: exit 1 and the failed check in the text output', async () => {
    const l = await listen(['tlcp-no-finished-check']);
    const r = await cli(['tlcp', 'probe', l.address]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /FAILED\s+finished/);
  });

  it('unreachable: exit 3, schema-valid JSON; bad input: exit 2 naming the problem', async () => {
    const r = await cli(['tlcp', 'probe', `127.0.0.1:${await freePort()}`, '--json']);
    assert.equal(r.code, 3, r.stderr);
    const j = JSON.parse(r.stdout) as { checks: { status: string }[]; reachable: boolean };
    assert.ok(schema(j), JSON.stringify(schema.errors));
    assert.equal(j.reachable, false);
    const bad = await cli(['tlcp', 'probe', 'no-port-here']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /HOST:PORT/);
    const noKey = await cli(['tlcp', 'probe', '127.0.0.1:1', '--client-cert', join(dir, 'missing.pem'), '--client-key', join(dir, 'missing.key')]);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /missing\.pem: cannot read/);
  });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(process.execPath, [resolve(ROOT, 'bin/gmeval.js'), ...args], { cwd: ROOT, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      res({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
