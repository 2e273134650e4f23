import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startPlatform } from '../../reference-platform/index.ts';
import { EndpointSdf, parseSdfUrl } from '../../probes/sdf/endpoint.ts';
import { SdfLoadError } from '../../probes/sdf/spec.ts';
import { runSuite } from '../../probes/sdf/suite.ts';

async function raw(url: string, lines: string[]): Promise<unknown[]> {
  const { host, port } = parseSdfUrl(url);
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    let buf = '';
    const out: unknown[] = [];
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        out.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
        if (out.length === lines.length) { s.end(); resolve(out); }
      }
    });
    s.on('error', reject);
    s.write(lines.join('\n') + '\n');
  });
}

test('the platform SDF endpoint: every pool device passes the suite; the PIN is required; defects are flagged', async () => {
  const p = await startPlatform({ devices: 2 });
  try {
    for (const dev of ['0', '1']) {
      const t = await EndpointSdf.open(`${p.listening.sdf}/${dev}`);
      try {
        const r = await runSuite(t, { pin: p.sdfPin });
        assert.deepEqual(r.results.filter((x) => x.disposition !== 'passed').map((x) => `${x.id} ${x.reason}`), [], `device ${dev}`);
      } finally {
        await t.close();
      }
    }
    const t = await EndpointSdf.open(`${p.listening.sdf}/0`);
    try {
      const r = await runSuite(t, { pin: 'not-the-pin', capabilities: ['sm2-sign'] });
      assert.ok(r.results.every((x) => x.disposition === 'failed' && x.fn === 'SDF_GetPrivateKeyAccessRight' && x.provided === 'SDR_PRKRERR (0x01000018)'));
    } finally {
      await t.close();
    }
    await assert.rejects(EndpointSdf.open(`${p.listening.sdf}/7`).then(async (x) => {
      const r = await x.call('SDF_OpenDevice', {});
      await x.close();
      if (r.rv) throw new Error(`rv 0x${r.rv.toString(16)}`);
    }), /rv 0x1000005/);
  } finally {
    await p.close();
  }
  const bad = await startPlatform({ devices: 1, defects: ['sdf-wrong-error-code', 'sdf-ecc-cipher-layout'] });
  try {
    const t = await EndpointSdf.open(`${bad.listening.sdf}/0`);
    try {
      const r = await runSuite(t, { pin: bad.sdfPin, capabilities: ['access-right', 'sm2-encrypt'] });
      const failed = r.results.filter((x) => x.disposition === 'failed');
      assert.ok(failed.some((x) => x.fn === 'SDF_InternalSign_ECC' && x.expected === 'SDR_PARDENY (0x01000007)' && x.provided === 'SDR_UNKNOWERR (0x01000001)'));
      assert.ok(failed.some((x) => x.fn === 'SDF_ExternalEncrypt_ECC' && /right-aligned/.test(x.reason)));
    } finally {
      await t.close();
    }
  } finally {
    await bad.close();
  }
});

test('the endpoint protocol: malformed requests are answered as errors, never crash, never reach a device', async () => {
  const p = await startPlatform({ devices: 1 });
  try {
    const replies = (await raw(p.listening.sdf, [
      'not json',
      JSON.stringify({ id: 1, fn: 'SDF_Nope', args: {} }),
      JSON.stringify({ id: 2, fn: 'SDF_OpenDevice', args: {} }),
      JSON.stringify({ id: 3, fn: 'SDF_GenerateRandom', args: { hSessionHandle: 's:999', uiLength: 16 } }),
      JSON.stringify({ id: 4, fn: 'SDF_OpenSession', args: { hDeviceHandle: 'd:1' } }),
      JSON.stringify({ id: 5, fn: 'SDF_GenerateRandom', args: { hSessionHandle: 's:2', uiLength: -1 } }),
      JSON.stringify({ id: 6, fn: 'SDF_CreateFile', args: { hSessionHandle: 's:2', pucFileName: 'zz', uiFileSize: 1 } }),
      JSON.stringify({ id: 7, fn: 'SDF_ExternalVerify_ECC', args: { hSessionHandle: 's:2', uiAlgID: 0x20200, pucPublicKey: '00', pucDataInput: '00', pucSignature: '00' } }),
      JSON.stringify({ id: 8, fn: 'toString', args: {} }),
    ])) as { id: unknown; rv?: number; error?: { code: string } }[];
    assert.equal(replies[0]!.error?.code, 'bad-request');
    assert.equal(replies[1]!.error?.code, 'not-offered');
    assert.equal(replies[2]!.rv, 0);
    assert.equal(replies[3]!.rv, 0x01000006, 'unknown session → SDR_OPENSESSION');
    assert.equal(replies[4]!.rv, 0);
    assert.equal(replies[5]!.error?.code, 'bad-request');
    assert.equal(replies[6]!.error?.code, 'bad-request');
    assert.equal(replies[7]!.rv, 0x0100001d, 'a short ECCrefPublicKey → SDR_INARGERR');
    assert.equal(replies[8]!.error?.code, 'not-offered');
  } finally {
    await p.close();
  }
  assert.throws(() => parseSdfUrl('http://x:1'), SdfLoadError);
  await assert.rejects(EndpointSdf.open('sdf://127.0.0.1:1/0', 2000), SdfLoadError);
});
