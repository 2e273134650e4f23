import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runEvaluation, type RunResult } from '../runner/run.ts';
import { compileSchema } from '../lib/yaml-schema/index.ts';
import { verifyRun } from './manifest.ts';
import { diffReports } from './diff.ts';
import { renderHtml } from './html.ts';
import type { Report } from './model.ts';
import { gmeval } from '../test/cli.ts';

/**
 * One real run against the reference platform with a defect (auth-optional), the fixture attestations and
 * waivers, and a fixed signing key; every report format of the run folder is then checked.
 */
const fx = (f: string) => fileURLToPath(new URL(`../test/fixtures/reports/${f}`, import.meta.url));
const schema = (name: string) => compileSchema(JSON.parse(readFileSync(new URL(`./schema/${name}`, import.meta.url), 'utf8')));
let run: RunResult;
let out: string;

before(async () => {
  out = mkdtempSync(join(tmpdir(), 'gmeval-reports-'));
  run = await runEvaluation({ profile: fx('signed.yaml'), out, defects: ['auth-optional'], log: () => {} });
});

test('report.json: schema-valid (1.x) with score, units, attestations, waivers and the signing key', () => {
  const r = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
  const v = schema('report.schema.json');
  assert.ok(v(r), JSON.stringify(v.errors?.slice(0, 3)));
  assert.match(r.schemaVersion, /^1\.\d+\.\d+$/); // minor versions add fields compatibly
  assert.equal(r.units!.length, 41);
  // the defect breaks request authentication: 6.4.1 D✘ → object 0 → high risk → 不符合
  const u641 = r.units!.find((u) => u.id === '6.4.1')!;
  assert.equal(u641.objects[0]!.D!.value, false);
  assert.ok(u641.objects[0]!.D!.findings.some((f) => f.status === 'failed'));
  assert.equal(u641.score, 0);
  assert.equal(r.score!.conclusion, '不符合');
  assert.ok(r.score!.highRisks.some((h) => h.unit === '6.4.1'));
  // fixture attestations: 6.1.1 attested with evidence copied and hashed; 7.1.1 部分符合
  const a = r.attestations!.find((x) => x.unit === '6.1.1')!;
  assert.equal(a.evidence.length, 1);
  assert.ok(existsSync(join(out, a.evidence[0]!.path)));
  assert.equal(r.units!.find((u) => u.id === '7.1.1')!.result, '部分符合');
  // uncovered units are listed, never passed
  assert.ok(r.units!.filter((u) => u.coverage === 'uncovered').length > 30);
  assert.ok(r.units!.filter((u) => u.coverage === 'uncovered').every((u) => u.result === '未覆盖'));
  assert.equal(r.score!.complete, false);
  assert.ok(r.score!.totalUpper! > r.score!.total!);
  // waivers: the active one covers the four failed authentication scenarios, the expired one is listed
  const w = Object.fromEntries(r.waivers!.map((x) => [x.id, x]));
  assert.equal(w['w-auth-active']!.state, 'active');
  assert.equal(w['w-auth-active']!.matched.length, 4);
  assert.equal(w['w-expired']!.state, 'expired');
  assert.ok(r.scenarios.filter((s) => s.status === 'failed').every((s) => s.waiver === 'w-auth-active'));
  // waived failures leave the default gate green; the score is not changed by waivers
  assert.equal(r.gate!.passed, true);
  assert.equal(run.exitCode, 0);
  assert.equal(r.signing!.keySource, 'profile');
  assert.equal(r.signing!.publicKeyPem.trim(), readFileSync(fx('report-signing.pub.pem'), 'utf8').trim());
  // chain: scenarios with @unit/@dak feed the score; platform-standard scenarios without @unit are reported only
  const tagged = r.scenarios.filter((s) => s.units.length);
  assert.ok(tagged.length >= 13 && tagged.every((s) => s.feedsScore && s.dak.length));
  assert.ok(r.scenarios.filter((s) => !s.units.length).every((s) => !s.feedsScore));
});

test('results.sarif: SARIF 2.1.0 structure, rules = scenarios with clause text, results for failed with suppressions', () => {
  const s = JSON.parse(readFileSync(join(out, 'results.sarif'), 'utf8'));
  assert.equal(s.version, '2.1.0');
  assert.match(s.$schema, /sarif-2\.1\.0/);
  assert.equal(s.runs.length, 1);
  const { driver } = s.runs[0].tool;
  assert.equal(driver.name, 'gmeval');
  const ids = driver.rules.map((x: { id: string }) => x.id);
  assert.equal(new Set(ids).size, ids.length, 'rule ids unique');
  assert.ok(driver.rules.every((x: { fullDescription: { text: string } }) => x.fullDescription.text.length > 0));
  assert.ok(driver.rules.some((x: { fullDescription: { text: string } }) => /应基于密码技术实现对接入密码服务平台的业务系统的认证/.test(x.fullDescription.text)), 'requirement text from the catalogue');
  const results = s.runs[0].results;
  assert.equal(results.length, 4);
  for (const res of results) {
    assert.equal(driver.rules[res.ruleIndex].id, res.ruleId);
    assert.ok(['error', 'warning', 'note', 'none'].includes(res.level));
    assert.ok(['fail', 'open', 'review', 'pass', 'notApplicable', 'informational'].includes(res.kind));
    if (res.kind !== 'fail') assert.equal(res.level, 'none');
    assert.ok(res.message.text.length > 0);
    assert.match(res.locations[0].physicalLocation.artifactLocation.uri, /\.feature$/);
    assert.ok(Number.isInteger(res.locations[0].physicalLocation.region.startLine));
    assert.equal(res.suppressions[0].status, 'accepted');
  }
});

test('allure-results, summary.md and junit.xml are written', () => {
  const files = readdirSync(join(out, 'allure-results'));
  const results = files.filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(join(out, 'allure-results', f), 'utf8')));
  assert.equal(results.length, run.report.scenarios.length);
  assert.equal(results.filter((x) => x.status === 'failed').length, 4);
  for (const x of results) {
    assert.match(x.uuid, /^[0-9a-f-]{36}$/);
    assert.ok(x.attachments.every((a: { source: string }) => files.includes(a.source)));
    assert.ok(x.labels.some((l: { name: string }) => l.name === 'feature'));
  }
  const md = readFileSync(join(out, 'summary.md'), 'utf8');
  assert.match(md, /\*\*得分: \d+\.\d{2}/);
  assert.match(md, /已过期的豁免/);
  assert.match(md, /w-expired/);
  assert.match(readFileSync(join(out, 'junit.xml'), 'utf8'), /failures="4"/);
});

test('manifest: verify passes; one changed byte, an added and a removed file are each detected', () => {
  assert.deepEqual(verifyRun(out).problems, []);
  assert.equal(verifyRun(out, { publicKeyPem: readFileSync(fx('report-signing.pub.pem'), 'utf8') }).ok, true);
  assert.deepEqual(verifyRun(out, { publicKeyPem: readFileSync(fx('other.pub.pem'), 'utf8') }).problems.map((p) => p.problem), ['key']);
  const copy = mkdtempSync(join(tmpdir(), 'gmeval-tamper-'));
  cpSync(out, copy, { recursive: true });
  const html = join(copy, 'report.html');
  const bytes = readFileSync(html);
  bytes[100] ^= 0x01;
  writeFileSync(html, bytes);
  appendFileSync(join(copy, 'extra.txt'), 'x');
  const evidence = run.report.scenarios[0]!.findings[0]!.evidence[0]!.path;
  rmSync(join(copy, evidence));
  const r = verifyRun(copy);
  assert.equal(r.ok, false);
  assert.equal(r.signatureValid, true);
  assert.deepEqual(r.problems.map((p) => `${p.problem} ${p.path}`).sort(), [`added extra.txt`, `changed report.html`, `removed ${evidence}`].sort());
  // the CLI: exit 1 naming the file; 0 on the intact folder; 2 on a folder without a manifest
  const bad = gmeval(['report', 'verify', copy]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /changed\s+report\.html/);
  const good = gmeval(['report', 'verify', out, '--json']);
  assert.equal(good.code, 0, good.stderr);
  assert.ok(schema('report-verify.schema.json')(JSON.parse(good.stdout)));
  const none = mkdtempSync(join(tmpdir(), 'gmeval-empty-'));
  assert.equal(gmeval(['report', 'verify', none]).code, 2);
  // a re-signed manifest (another key) over a changed report.json is caught by the key the report states
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  m.files[0].bytes += 1;
  const forged = mkdtempSync(join(tmpdir(), 'gmeval-forged-'));
  cpSync(out, forged, { recursive: true });
  writeFileSync(join(forged, 'manifest.json'), JSON.stringify(m));
  assert.ok(verifyRun(forged).problems.some((p) => p.problem === 'signature'));
});

test('report diff: new failures, fixes and the score change by stable scenario id', () => {
  const after = run.report;
  const beforeR: Report = JSON.parse(JSON.stringify(after));
  const failed = beforeR.scenarios.filter((s) => s.status === 'failed');
  failed[0]!.status = 'passed';
  beforeR.scenarios.find((s) => s.status === 'passed')!.status = 'failed';
  beforeR.score!.total = 50;
  const d = diffReports(beforeR, after);
  assert.equal(d.newFailures.length, 1);
  assert.equal(d.newFailures[0]!.id, failed[0]!.id);
  assert.equal(d.fixes.length, 1);
  assert.equal(d.score.delta, Math.round((after.score!.total! - 50) * 100) / 100);
  assert.ok(schema('report-diff.schema.json')(d));
  const dir = mkdtempSync(join(tmpdir(), 'gmeval-diff-'));
  writeFileSync(join(dir, 'report.json'), JSON.stringify(beforeR));
  const cli = gmeval(['report', 'diff', dir, out, '--json', '--fail-on-new']);
  assert.equal(cli.code, 1, cli.stderr);
  assert.equal(JSON.parse(cli.stdout).newFailures.length, 1);
  assert.equal(gmeval(['report', 'diff', dir, join(dir, 'nope')]).code, 2);
});

test('HTML report opens in headless Chromium without console errors; screenshots in test/output/', async (t) => {
  const chromium = '/usr/bin/chromium';
  if (!existsSync(chromium)) { t.skip(`SKIPPED: ${chromium} not installed (apt-get install -y chromium); CI's .ci/run installs it`); return; }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<svg [^>]*role="img"/);
  assert.match(html, /不符合/);
  assert.doesNotMatch(html, /<script|<link [^>]*href="http|src="http/);
  const en = join(out, 'report.en.html');
  writeFileSync(en, renderHtml(run.report, 'en'));
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const outputDir = fileURLToPath(new URL('../test/output/', import.meta.url));
    mkdirSync(outputDir, { recursive: true });
    for (const [file, shot] of [[join(out, 'report.html'), 'report-zh.png'], [en, 'report-en.png']] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (req) => { if (!req.url().startsWith('file:')) errors.push(`network request ${req.url()}`); });
      await page.goto(`file://${file}`);
      assert.deepEqual(errors, []);
      const text = await page.locator('main').innerText();
      assert.match(text, shot === 'report-zh.png' ? /得分（2023）[\s\S]*不符合[\s\S]*高风险项/ : /Score[\s\S]*non-conformant[\s\S]*High-risk items/);
      assert.equal(await page.locator('svg[role=img] rect').count() > 8, true, 'layer chart drawn');
      await page.screenshot({ path: join(outputDir, shot), fullPage: true });
      await page.close();
    }
  } finally {
    await browser.close();
  }
});
