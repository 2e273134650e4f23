import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEvaluation } from './run.ts';
import { compileSchema } from '../lib/yaml-schema/index.ts';
import { DEFECTS } from '../reference-platform/defects/registry.ts';

const quiet = () => {};
const tmp = (name: string) => mkdtempSync(join(tmpdir(), `gmeval-${name}-`));
const reportSchema = compileSchema(JSON.parse(readFileSync(new URL('../reports/schema/report.schema.json', import.meta.url), 'utf8')));

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? allFiles(join(dir, f)) : [join(dir, f)]));
}

/** Scenarios an assessor answers (examine/interview): never passed by the run, answered by attestations. */
const manual = (s: { tags: string[] }) => s.tags.some((t) => t === '@method:examine' || t === '@method:interview');

let clean: Promise<Awaited<ReturnType<typeof runEvaluation>>> | undefined;
const cleanOut = tmp('clean');
const cleanRun = () => (clean ??= runEvaluation({ out: cleanOut, log: quiet }));

test('the clean reference platform passes every scenario, and the report is schema-valid and secret-free', async () => {
  const out = cleanOut;
  const r = await cleanRun();
  const failedOrUntested = r.report.scenarios.filter((s) => s.status !== 'passed' && !manual(s)).map((s) => `${s.name}: ${s.status} ${s.reason ?? ''}`);
  assert.deepEqual(failedOrUntested, []);
  // examine/interview clauses are never passed by a probe: not_tested (not_reviewed), answered by the profile's
  // (demonstration) scenario attestations, which is what keeps the default gate green
  const reviewed = r.report.scenarios.filter(manual);
  assert.ok(reviewed.length > 0, 'the examine/interview scenarios ran');
  for (const s of reviewed) {
    assert.equal(s.status, 'not_tested', s.name);
    assert.ok(s.findings.every((f) => f.reasonCode === 'not_reviewed'), s.name);
    assert.ok(s.attestation, `${s.name}: no attestation answers it`);
  }
  assert.ok(r.report.scenarios.length >= 10, `expected the platform features to run, got ${r.report.scenarios.length}`);
  assert.equal(r.exitCode, 0);
  const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.ok(reportSchema(json), JSON.stringify(reportSchema.errors));
  // every scenario carries its clause and dimension from the feature tags
  for (const s of json.scenarios) {
    assert.ok(s.clause && s.std && s.dimension, `${s.name} lacks std/clause/dimension tags`);
    assert.ok(s.findings.length > 0, `${s.name} produced no finding`);
  }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /商用密码应用测评报告/);
  assert.doesNotMatch(html, /<script src=|<link [^>]*href="http/);
  const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
  assert.match(junit, /<testsuites [^>]*tests="\d+" failures="0"/);
  // the provisioned HMAC secret is used to sign but never written anywhere in the run folder
  for (const f of allFiles(out)) assert.doesNotMatch(readFileSync(f, 'utf8'), /"secret"|secret_sealed|BEGIN (EC )?PRIVATE KEY/i, `${f} holds secret material`);
});

/**
 * The fast subset of the sensitivity rules (the full defect × scenario matrix, including "a defect turns
 * red nothing outside the clauses it claims", is `gmeval sensitivity`): each defect runs the scenarios of
 * the clauses it claims to violate and must turn at least one red, by a judgement (not by breaking a
 * check); together the defects must turn every scenario of the clean run red.
 */
test('every named defect turns a scenario of a clause it claims red, and every scenario is turned red by some defect', async () => {
  const redBy = new Map<string, string[]>();
  for (const d of DEFECTS) {
    const tags = [...new Set(d.violates.map((v) => `@clause:${v.clause}`))].join(' or ');
    const r = await runEvaluation({ out: tmp(d.name), defects: [d.name], tags, log: quiet });
    const claimed = (s: { std?: string; clause?: string }) => d.violates.some((v) => v.clause === s.clause && v.std === s.std);
    const red = r.report.scenarios.filter((s) => s.status === 'failed');
    assert.ok(red.some(claimed), `defect ${d.name} turned no scenario of its claimed clauses (${tags}) red`);
    assert.equal(r.exitCode, 1, `defect ${d.name}: exit code`);
    // a defect is caught by a judgement, never by making checks untestable
    assert.deepEqual(r.report.scenarios.filter((s) => s.status === 'not_tested' && !manual(s)).map((s) => `${s.name}: ${s.reason}`), [], `defect ${d.name}`);
    for (const s of red.filter(claimed)) redBy.set(s.id, [...(redBy.get(s.id) ?? []), d.name]);
  }
  const clean = await cleanRun();
  const orphans = clean.report.scenarios.filter((s) => !redBy.has(s.id) && !manual(s)).map((s) => `${s.std} ${s.clause} ${s.name}`);
  assert.deepEqual(orphans, [], 'scenarios no defect can turn red');
});

test('--tags selects scenarios; a bad gate is an input error', async () => {
  const r = await runEvaluation({ out: tmp('tags'), tags: '@dim:有效性', log: quiet });
  assert.ok(r.report.scenarios.length > 0);
  assert.ok(r.report.scenarios.every((s) => s.dimension === '有效性'));
  await assert.rejects(runEvaluation({ out: tmp('gate'), gate: 'score>>1', log: quiet }), /--gate: cannot read/);
});

test('an unreachable remote platform yields not_tested with the reason and exit 3, never a pass', async () => {
  const out = tmp('down');
  process.env.GMEVAL_TEST_UNREACHABLE_SECRET = 'not-a-real-secret';
  const r = await runEvaluation({ profile: 'test/fixtures/profiles/unreachable.yaml', out, log: quiet });
  assert.equal(r.report.summary.scenarios.passed, 0);
  assert.ok(r.report.scenarios.length > 0);
  // scenarios for object kinds the profile does not declare are not_applicable; the rest could not be tested
  assert.ok(r.report.scenarios.every((s) => s.status === 'not_tested' || s.status === 'not_applicable'), JSON.stringify(r.report.scenarios.map((s) => s.status)));
  const untested = r.report.scenarios.filter((s) => s.status === 'not_tested');
  assert.ok(untested.length >= 10, `expected the crypto-service checks to be not_tested, got ${untested.length}`);
  const f = untested.find((s) => s.feature.uri.includes('密码功能服务'))!.findings[0]!;
  assert.equal(f.reasonCode, 'could_not_test');
  assert.match(f.reason, /ECONNREFUSED|no complete answer/);
  assert.equal(r.exitCode, 3);
});

test('a module adapter: offered operations are judged, missing ones are not_tested (not offered)', async () => {
  const r = await runEvaluation({ profile: 'test/fixtures/profiles/module-adapter.yaml', out: tmp('module'), log: quiet });
  const byName = (re: RegExp) => r.report.scenarios.filter((s) => re.test(s.name));
  assert.ok(byName(/SM3 杂凑服务/).every((s) => s.status === 'passed'));
  assert.ok(byName(/只提供商用密码算法/).every((s) => s.status === 'passed'));
  const sm4 = byName(/SM4 加解密/);
  assert.ok(sm4.length && sm4.every((s) => s.status === 'not_tested' && s.findings.some((f) => f.reasonCode === 'not_offered')));
  assert.ok(byName(/未经有效鉴别/).every((s) => s.status === 'not_tested'));
  assert.equal(r.exitCode, 3);
});
