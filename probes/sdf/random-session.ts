/**
 * An open SDF session offering SDF_GenerateRandom, in the shape probes/rng's `source: sdf` expects
 * (`{ description, generateRandom(n), close() }`).
 */
import { openTransport } from './adapter.ts';
import { sdrLabel, type Edition } from './constants.ts';

export async function openSdfRandomSession(target: { endpoint?: string; library?: string; edition?: Edition }): Promise<{ description: string; generateRandom(n: number): Promise<Uint8Array>; close(): Promise<void> }> {
  const t = await openTransport(target);
  const dev = await t.call('SDF_OpenDevice', {});
  if (dev.rv !== 0) {
    await t.close();
    throw new Error(`SDF_OpenDevice: ${sdrLabel(dev.rv)}`);
  }
  const s = await t.call('SDF_OpenSession', { hDeviceHandle: dev.out.phDeviceHandle as string });
  if (s.rv !== 0) {
    await t.call('SDF_CloseDevice', { hDeviceHandle: dev.out.phDeviceHandle as string });
    await t.close();
    throw new Error(`SDF_OpenSession: ${sdrLabel(s.rv)}`);
  }
  const hSessionHandle = s.out.phSessionHandle as string;
  return {
    description: t.description,
    async generateRandom(n) {
      const r = await t.call('SDF_GenerateRandom', { hSessionHandle, uiLength: n });
      if (r.rv !== 0) throw new Error(`SDF_GenerateRandom(${n}): ${sdrLabel(r.rv)}`);
      return r.out.pucRandom as Buffer;
    },
    async close() {
      await t.call('SDF_CloseSession', { hSessionHandle }).catch(() => undefined);
      await t.call('SDF_CloseDevice', { hDeviceHandle: dev.out.phDeviceHandle as string }).catch(() => undefined);
      await t.close();
    },
  };
}
