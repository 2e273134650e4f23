/**
 * GM/T 0018 suite timings: the full suite on the C fixture through koffi, and on a reference-platform device over
 * the endpoint; plus single-call latency of SDF_GenerateRandom(32) on each transport.
 * Run: node --import tsx bench/sdf.ts
 */
import { buildSoftSdf, gccAvailable, SOFTSDF_PIN } from '../test/fixtures/sdf/build.ts';
import { NativeSdf } from '../probes/sdf/native.ts';
import { EndpointSdf } from '../probes/sdf/endpoint.ts';
import { runSuite } from '../probes/sdf/suite.ts';
import type { SdfTransport } from '../probes/sdf/spec.ts';
import { startPlatform } from '../reference-platform/index.ts';

async function measure(name: string, t: SdfTransport, pin: string): Promise<void> {
  const runs: number[] = [];
  let total = 0;
  for (let i = 0; i < 3; i++) {
    const r = await runSuite(t, { pin });
    runs.push(r.ms);
    total = r.summary.total;
  }
  const d = await t.call('SDF_OpenDevice', {});
  const s = await t.call('SDF_OpenSession', { hDeviceHandle: d.out.phDeviceHandle as string });
  const n = 2000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await t.call('SDF_GenerateRandom', { hSessionHandle: s.out.phSessionHandle as string, uiLength: 32 });
  const per = ((performance.now() - t0) / n) * 1000;
  await t.call('SDF_CloseSession', { hSessionHandle: s.out.phSessionHandle as string });
  await t.call('SDF_CloseDevice', { hDeviceHandle: d.out.phDeviceHandle as string });
  console.log(`${name.padEnd(34)} suite (${total} tests): ${runs.map((x) => `${x} ms`).join(', ')}; SDF_GenerateRandom(32): ${per.toFixed(1)} µs/call`);
}

if (gccAvailable()) {
  const t = NativeSdf.open(await buildSoftSdf(), '2023');
  await measure('native (softsdf.c via koffi)', t, SOFTSDF_PIN);
  await t.close();
} else console.log('gcc absent: native transport not measured');
const p = await startPlatform({ devices: 1 });
const e = await EndpointSdf.open(`${p.listening.sdf}/0`);
await measure('endpoint (reference platform, TCP)', e, p.sdfPin);
await e.close();
await p.close();
