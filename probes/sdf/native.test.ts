import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSoftSdf, FIXTURE_DEFECTS, gccAvailable, SOFTSDF_PIN, type FixtureDefect } from '../../test/fixtures/sdf/build.ts';
import { NativeSdf } from './native.ts';
import { SdfLoadError } from './spec.ts';
import { runSuite } from './suite.ts';
import { ALL_KINDS } from './vectors.ts';

const gcc = gccAvailable();
const skip = gcc ? false : 'gcc is not installed: the C fixture library cannot be built (CI has gcc)';

test('the soft SDF fixture (GM/T 0018-2023 prototypes) passes every check through koffi', { skip }, async () => {
  const t = NativeSdf.open(await buildSoftSdf({ edition: '2023' }), '2023');
  try {
    const r = await runSuite(t, { pin: SOFTSDF_PIN });
    assert.deepEqual(r.results.filter((x) => x.disposition !== 'passed').map((x) => `${x.id} ${x.reason}`), []);
    assert.equal(new Set(r.results.map((x) => x.kind)).size, ALL_KINDS.length);
    assert.ok(r.summary.total >= 45);
  } finally {
    await t.close();
  }
});

test('the 2012 build passes with 2012 prototypes; the wrong edition is caught at SDF_InternalEncrypt_ECC', { skip }, async () => {
  const lib = await buildSoftSdf({ edition: '2012' });
  const t12 = NativeSdf.open(lib, '2012');
  try {
    const r = await runSuite(t12, { pin: SOFTSDF_PIN, capabilities: ['sm2-encrypt', 'sm2-decrypt', 'device-info'] });
    assert.equal(r.summary.failed, 0, JSON.stringify(r.results.filter((x) => x.disposition !== 'passed')));
  } finally {
    await t12.close();
  }
  const t23 = NativeSdf.open(lib, '2023');
  try {
    const r = await runSuite(t23, { pin: SOFTSDF_PIN, capabilities: ['sm2-encrypt'] });
    const bad = r.results.filter((x) => x.disposition === 'failed');
    assert.ok(bad.some((x) => x.fn === 'SDF_InternalEncrypt_ECC'), JSON.stringify(r.results));
  } finally {
    await t23.close();
  }
});

test('every injected fault of the fixture is flagged with the expected function and code', { skip }, async () => {
  const names = Object.keys(FIXTURE_DEFECTS) as FixtureDefect[];
  const libs = await Promise.all(names.map((d) => buildSoftSdf({ defect: d })));
  for (const [i, d] of names.entries()) {
    const t = NativeSdf.open(libs[i]!, '2023');
    try {
      const r = await runSuite(t, { pin: SOFTSDF_PIN });
      const failed = r.results.filter((x) => x.disposition === 'failed');
      const want = FIXTURE_DEFECTS[d];
      const hit = failed.find((x) => x.fn === want.fn && (x.expected ?? '').includes(want.expected));
      assert.ok(hit, `DEFECT_${d}: expected a failure of ${want.fn} (expected ~ "${want.expected}"), got ${JSON.stringify(failed.map((x) => [x.id, x.fn, x.expected, x.provided]))}`);
      assert.ok(hit.provided, `DEFECT_${d}: the finding names what the device provided`);
      assert.equal(r.summary.unreceived, 0, `DEFECT_${d}: nothing left unreceived`);
    } finally {
      await t.close();
    }
  }
});

test('a missing library and a library without SDF symbols are load errors naming the path and symbols', { skip }, async () => {
  assert.throws(() => NativeSdf.open('./missing.so', '2023'), (e: Error) => e instanceof SdfLoadError && /\.\/missing\.so: no such file/.test(e.message));
  const wrong = await buildSoftSdf({ name: 'wrong-symbols', extra: ['-DSDF_OpenDevice=VENDOR_OpenDevice', '-DSDF_GenerateRandom=VENDOR_GenerateRandom'] });
  assert.throws(() => NativeSdf.open(wrong, '2023'), (e: Error) => e instanceof SdfLoadError && /does not export the required SDF symbol\(s\) SDF_OpenDevice, SDF_GenerateRandom/.test(e.message) && e.message.includes(wrong));
});

test('a wrong PIN is reported as the device answers it, not as a crash', { skip }, async () => {
  const t = NativeSdf.open(await buildSoftSdf({ name: 'pin', extra: ['-DSOFTSDF_PIN="another-pin-1"'] }), '2023');
  try {
    const r = await runSuite(t, { pin: SOFTSDF_PIN, capabilities: ['sm2-sign'] });
    assert.ok(r.results.every((x) => x.disposition === 'failed' && x.fn === 'SDF_GetPrivateKeyAccessRight' && x.provided === 'SDR_PRKRERR (0x01000018)'), JSON.stringify(r.results));
  } finally {
    await t.close();
  }
});
