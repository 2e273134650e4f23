/**
 * Runs a vector request on a device and records what it returned: return values of every call and the output
 * bytes the judge needs. Never judges. The PIN is used to obtain access rights and is never recorded.
 * Software computations here (SM3 of Z‖M, wrapping a known key to the device's exported public key) are what a
 * real caller of the SDF API does; the judge recomputes them independently.
 */
import { sm2Encrypt, sm2Z, sm3 } from '../../lib/gm/index.ts';
import { SGD, type Edition } from './constants.ts';
import { SdfNotOfferedError, type SdfArgs, type SdfCallResult, type SdfTransport } from './spec.ts';
import { decodeEccPublicKey, encodeEccCipher, encodeEccPublicKey, encodeEccSignature, rawToCipherParts } from './structs.ts';
import { RESPONSE_FORMAT, type CallRecord, type TestAnswer, type TestCase, type VectorRequest, type VectorResponse } from './vectors.ts';

export interface AnswerOptions {
  /** private-key access password of the key index under test */
  pin: string;
  /** SM3 of the request file's bytes (the CLI passes it; the live probe hashes the request it made) */
  requestSm3: string;
  onProgress?: (line: string) => void;
}

const b = (h: unknown) => Buffer.from(String(h ?? ''), 'hex');
const hex = (x: unknown) => (Buffer.isBuffer(x) ? x.toString('hex') : '');

/** Thrown inside a test when a step failed and the rest of the test cannot run (the failure is recorded). */
class Stop extends Error {}

class TestRun {
  readonly calls: CallRecord[] = [];
  readonly out: Record<string, string | number> = {};
  constructor(private readonly t: SdfTransport, readonly session: string) {}

  /** One SDF call, recorded under a label. `must` stops the test when the call fails. */
  async call(label: string, fn: string, args: SdfArgs, must = false): Promise<SdfCallResult> {
    const r = await this.t.call(fn, { hSessionHandle: this.session, ...args });
    this.calls.push({ label, fn, rv: r.rv });
    if (must && r.rv !== 0) throw new Stop();
    return r;
  }

  async right(idx: number, pin: string): Promise<void> {
    await this.call('access-right', 'SDF_GetPrivateKeyAccessRight', { uiKeyIndex: idx, pucPassword: Buffer.from(pin, 'utf8') }, true);
  }

  async encPub(idx: number): Promise<Buffer> {
    const r = await this.call('export-enc', 'SDF_ExportEncPublicKey_ECC', { uiKeyIndex: idx }, true);
    return r.out.pucPublicKey as Buffer;
  }

  async signPub(idx: number): Promise<Buffer> {
    const r = await this.call('export-sign', 'SDF_ExportSignPublicKey_ECC', { uiKeyIndex: idx }, true);
    return r.out.pucPublicKey as Buffer;
  }

  /** Wraps a known SM4 key to the device's encryption key and imports it (ImportKeyWithISK_ECC). */
  async importKnown(idx: number, pin: string, key: Buffer, edition: Edition): Promise<string> {
    const pub = decodeEccPublicKey(await this.encPub(idx)).point;
    const cipher = encodeEccCipher(rawToCipherParts(sm2Encrypt(pub, key, { format: 'raw' })), edition);
    await this.right(idx, pin);
    const r = await this.call('import-isk', 'SDF_ImportKeyWithISK_ECC', { uiISKIndex: idx, pucKey: cipher }, true);
    return r.out.phKeyHandle as string;
  }

  async encryptBlock(label: string, h: string, block: Buffer): Promise<void> {
    const r = await this.call(label, 'SDF_Encrypt', { hKeyHandle: h, uiAlgID: SGD.SGD_SM4_ECB, pucIV: Buffer.alloc(16), pucData: block });
    if (r.rv === 0) this.out[label] = hex(r.out.pucEncData);
  }
}

export async function answerRequest(t: SdfTransport, req: VectorRequest, o: AnswerOptions): Promise<VectorResponse> {
  const resp: VectorResponse = { format: RESPONSE_FORMAT, requestSm3: o.requestSm3, answeredAt: new Date().toISOString(), transport: t.description, edition: t.edition, testGroups: [] };
  const dev = await t.call('SDF_OpenDevice', {});
  if (dev.rv !== 0) {
    // nothing reaches a device that does not open: every test is unreceived, with the code as the reason
    for (const g of req.testGroups) resp.testGroups.push({ tgId: g.tgId, tests: g.tests.map((tc) => ({ tcId: tc.tcId, calls: [{ label: 'open-device', fn: 'SDF_OpenDevice', rv: dev.rv }], out: {}, unreceived: `SDF_OpenDevice returned 0x${dev.rv.toString(16)}` })) });
    return resp;
  }
  const hDevice = dev.out.phDeviceHandle as string;
  try {
    for (const g of req.testGroups) {
      o.onProgress?.(`group ${g.tgId} ${g.kind}`);
      const tests: TestAnswer[] = [];
      for (const tc of g.tests) tests.push(await answerOne(t, hDevice, g.kind, tc, req, o));
      resp.testGroups.push({ tgId: g.tgId, tests });
    }
  } finally {
    await t.call('SDF_CloseDevice', { hDeviceHandle: hDevice }).catch(() => undefined);
  }
  return resp;
}

async function answerOne(t: SdfTransport, hDevice: string, kind: string, tc: TestCase, req: VectorRequest, o: AnswerOptions): Promise<TestAnswer> {
  const s = await t.call('SDF_OpenSession', { hDeviceHandle: hDevice });
  if (s.rv !== 0) return { tcId: tc.tcId, calls: [{ label: 'open-session', fn: 'SDF_OpenSession', rv: s.rv }], out: {}, unreceived: `SDF_OpenSession returned 0x${s.rv.toString(16)}` };
  const run = new TestRun(t, s.out.phSessionHandle as string);
  try {
    await runTest(run, t, hDevice, kind, tc, req, o.pin);
  } catch (e) {
    if (e instanceof SdfNotOfferedError) return { tcId: tc.tcId, calls: run.calls, out: run.out, unreceived: `${e.fn} is not offered: ${e.message}` };
    if (!(e instanceof Stop)) {
      // the device was reached but what it returned could not be used for the next step (e.g. a public key not
      // on the curve): that is the device's failure, recorded for the judge — not an unreceived test
      if (run.calls.length) run.out.answerError = (e as Error).message;
      else return { tcId: tc.tcId, calls: run.calls, out: run.out, unreceived: `could not run: ${(e as Error).message}` };
    }
  } finally {
    await t.call('SDF_CloseSession', { hSessionHandle: run.session }).catch(() => undefined);
  }
  return { tcId: tc.tcId, calls: run.calls, out: run.out };
}

async function runTest(run: TestRun, t: SdfTransport, hDevice: string, kind: string, tc: TestCase, req: VectorRequest, pin: string): Promise<void> {
  const { keyIndex: idx, kekIndex, missingKeyIndex } = req.settings;
  const edition = t.edition;
  const key = `${kind}/${tc.op}`;
  switch (key) {
    case 'device-info/info': {
      const r = await run.call('info', 'SDF_GetDeviceInfo', {});
      if (r.rv === 0) run.out.info = hex(r.out.pstDeviceInfo);
      return;
    }
    case 'session/reopen': {
      const a = await run.call('open-2', 'SDF_OpenSession', { hDeviceHandle: hDevice }, true);
      await run.call('close-2', 'SDF_CloseSession', { hSessionHandle: a.out.phSessionHandle as string });
      return;
    }
    case 'session/closed-session': {
      const a = await run.call('open-2', 'SDF_OpenSession', { hDeviceHandle: hDevice }, true);
      const h = a.out.phSessionHandle as string;
      await run.call('close-2', 'SDF_CloseSession', { hSessionHandle: h }, true);
      await run.call('use-closed', 'SDF_GenerateRandom', { hSessionHandle: h, uiLength: 16 });
      return;
    }
    case 'random/lengths': {
      const lengths = tc.lengths as number[];
      for (let i = 0; i < lengths.length; i++) {
        const r = await run.call(`random-${i}`, 'SDF_GenerateRandom', { uiLength: lengths[i]! });
        if (r.rv === 0) run.out[`random-${i}`] = hex(r.out.pucRandom);
      }
      return;
    }
    case 'random/sample': {
      const r = await run.call('sample', 'SDF_GenerateRandom', { uiLength: Number(tc.bytes) });
      if (r.rv === 0) run.out.sample = hex(r.out.pucRandom);
      return;
    }
    case 'random/zero-length':
      await run.call('zero', 'SDF_GenerateRandom', { uiLength: 0 }, false);
      return;
    case 'access-right/no-right':
      await run.call('sign', 'SDF_InternalSign_ECC', { uiISKIndex: idx, pucData: b(tc.e) });
      return;
    case 'access-right/wrong-password':
      await run.call('wrong-password', 'SDF_GetPrivateKeyAccessRight', { uiKeyIndex: idx, pucPassword: Buffer.from(`gmeval-wrong-${pin.length}-x`, 'utf8') });
      await run.call('sign', 'SDF_InternalSign_ECC', { uiISKIndex: idx, pucData: b(tc.e) });
      return;
    case 'access-right/after-release':
      await run.right(idx, pin);
      await run.call('sign', 'SDF_InternalSign_ECC', { uiISKIndex: idx, pucData: b(tc.e) });
      await run.call('release', 'SDF_ReleasePrivateKeyAccessRight', { uiKeyIndex: idx });
      await run.call('sign-after-release', 'SDF_InternalSign_ECC', { uiISKIndex: idx, pucData: b(tc.e) });
      return;
    case 'access-right/missing-index':
      await run.call('missing', 'SDF_GetPrivateKeyAccessRight', { uiKeyIndex: missingKeyIndex, pucPassword: Buffer.from(pin, 'utf8') });
      return;
    case 'export-public-key/pair': {
      const sg = await run.call('export-sign', 'SDF_ExportSignPublicKey_ECC', { uiKeyIndex: idx });
      const en = await run.call('export-enc', 'SDF_ExportEncPublicKey_ECC', { uiKeyIndex: idx });
      if (sg.rv === 0) run.out.sign = hex(sg.out.pucPublicKey);
      if (en.rv === 0) run.out.enc = hex(en.out.pucPublicKey);
      return;
    }
    case 'export-public-key/missing-index':
      await run.call('missing', 'SDF_ExportSignPublicKey_ECC', { uiKeyIndex: missingKeyIndex });
      return;
    case 'sm2-sign/sign': {
      const pub = await run.signPub(idx);
      const e = sm3(sm2Z(decodeEccPublicKey(pub).point, b(tc.id)), b(tc.msg));
      run.out.pub = hex(pub);
      run.out.e = hex(e);
      await run.right(idx, pin);
      const r = await run.call('sign', 'SDF_InternalSign_ECC', { uiISKIndex: idx, pucData: e });
      if (r.rv === 0) run.out.sig = hex(r.out.pucSignature);
      return;
    }
    case 'sm2-sign/wrong-length':
      await run.right(idx, pin);
      await run.call('sign', 'SDF_InternalSign_ECC', { uiISKIndex: idx, pucData: b(tc.e) });
      return;
    case 'sm2-verify/external':
      await run.call('verify', 'SDF_ExternalVerify_ECC', { uiAlgID: SGD.SGD_SM2_1, pucPublicKey: encodeEccPublicKey(b(tc.pub)), pucDataInput: b(tc.e), pucSignature: encodeEccSignature(b(tc.sig)) });
      return;
    case 'sm2-verify/internal': {
      const pub = decodeEccPublicKey(await run.signPub(idx)).point;
      const e = sm3(sm2Z(pub), b(tc.msg));
      await run.right(idx, pin);
      const s = await run.call('sign', 'SDF_InternalSign_ECC', { uiISKIndex: idx, pucData: e }, true);
      const sig = s.out.pucSignature as Buffer;
      await run.call('verify', 'SDF_InternalVerify_ECC', { uiIPKIndex: idx, pucData: e, pucSignature: sig });
      const bad = Buffer.from(e);
      bad[31]! ^= 0x01;
      await run.call('verify-tampered', 'SDF_InternalVerify_ECC', { uiIPKIndex: idx, pucData: bad, pucSignature: sig });
      return;
    }
    case 'sm2-encrypt/external': {
      const r = await run.call('encrypt', 'SDF_ExternalEncrypt_ECC', { uiAlgID: SGD.SGD_SM2_3, pucPublicKey: encodeEccPublicKey(b(tc.pub)), pucData: b(tc.msg) });
      if (r.rv === 0) run.out.cipher = hex(r.out.pucEncData);
      return;
    }
    case 'sm2-encrypt/internal': {
      const args: SdfArgs = { uiIPKIndex: idx, pucData: b(tc.msg) };
      if (edition === '2012') args.uiAlgID = SGD.SGD_SM2_3;
      const r = await run.call('encrypt', 'SDF_InternalEncrypt_ECC', args, true);
      const cipher = r.out.pucEncData as Buffer;
      run.out.cipher = hex(cipher);
      await run.right(idx, pin);
      const d = await run.call('decrypt', 'SDF_InternalDecrypt_ECC', decryptArgs(edition, idx, req.settings.eccKeyTypeEnc, cipher));
      if (d.rv === 0) run.out.plain = hex(d.out.pucData);
      return;
    }
    case 'sm2-decrypt/decrypt':
    case 'sm2-decrypt/tampered': {
      const pub = decodeEccPublicKey(await run.encPub(idx)).point;
      const parts = rawToCipherParts(sm2Encrypt(pub, b(tc.msg), { format: 'raw' }));
      if (tc.op === 'tampered') parts.c2[0]! ^= 0x01;
      await run.right(idx, pin);
      const d = await run.call('decrypt', 'SDF_InternalDecrypt_ECC', decryptArgs(edition, idx, req.settings.eccKeyTypeEnc, encodeEccCipher(parts, edition)));
      if (d.rv === 0) run.out.plain = hex(d.out.pucData);
      return;
    }
    case 'key-ecc/epk': {
      const r = await run.call('generate-epk', 'SDF_GenerateKeyWithEPK_ECC', { uiKeyBits: 128, uiAlgID: SGD.SGD_SM2_3, pucPublicKey: encodeEccPublicKey(b(tc.pub)) }, true);
      run.out.cipher = hex(r.out.pucKey);
      await run.encryptBlock('ct', r.out.phKeyHandle as string, b(tc.block));
      return;
    }
    case 'key-ecc/ipk-isk': {
      const g = await run.call('generate-ipk', 'SDF_GenerateKeyWithIPK_ECC', { uiIPKIndex: idx, uiKeyBits: 128 }, true);
      run.out.cipher = hex(g.out.pucKey);
      await run.right(idx, pin);
      const i = await run.call('import-isk', 'SDF_ImportKeyWithISK_ECC', { uiISKIndex: idx, pucKey: g.out.pucKey as Buffer }, true);
      await run.encryptBlock('ct-generated', g.out.phKeyHandle as string, b(tc.block));
      await run.encryptBlock('ct-imported', i.out.phKeyHandle as string, b(tc.block));
      return;
    }
    case 'key-ecc/import-known': {
      const h = await run.importKnown(idx, pin, b(tc.key), edition);
      await run.encryptBlock('ct', h, b(tc.block));
      return;
    }
    case 'key-ecc/missing-index':
      await run.call('missing', 'SDF_GenerateKeyWithIPK_ECC', { uiIPKIndex: missingKeyIndex, uiKeyBits: 128 });
      return;
    case 'key-kek/roundtrip': {
      const g = await run.call('generate-kek', 'SDF_GenerateKeyWithKEK', { uiKeyBits: 128, uiAlgID: SGD.SGD_SM4_ECB, uiKEKIndex: kekIndex }, true);
      const i = await run.call('import-kek', 'SDF_ImportKeyWithKEK', { uiAlgID: SGD.SGD_SM4_ECB, uiKEKIndex: kekIndex, pucKey: g.out.pucKey as Buffer }, true);
      run.out.wrappedLength = (g.out.pucKey as Buffer).length;
      await run.encryptBlock('ct-generated', g.out.phKeyHandle as string, b(tc.block));
      await run.encryptBlock('ct-imported', i.out.phKeyHandle as string, b(tc.block));
      return;
    }
    case 'key-kek/destroy': {
      const g = await run.call('generate-kek', 'SDF_GenerateKeyWithKEK', { uiKeyBits: 128, uiAlgID: SGD.SGD_SM4_ECB, uiKEKIndex: kekIndex }, true);
      const h = g.out.phKeyHandle as string;
      await run.encryptBlock('ct-before', h, b(tc.block));
      await run.call('destroy', 'SDF_DestroyKey', { hKeyHandle: h });
      await run.call('use-destroyed', 'SDF_Encrypt', { hKeyHandle: h, uiAlgID: SGD.SGD_SM4_ECB, pucIV: Buffer.alloc(16), pucData: b(tc.block) });
      return;
    }
    case 'key-kek/missing-kek':
      await run.call('missing', 'SDF_GenerateKeyWithKEK', { uiKeyBits: 128, uiAlgID: SGD.SGD_SM4_ECB, uiKEKIndex: missingKeyIndex });
      return;
    case 'key-agreement/device-sponsor': {
      await run.right(idx, pin);
      const a = await run.call('agreement-data', 'SDF_GenerateAgreementDataWithECC', { uiISKIndex: idx, uiKeyBits: 128, pucSponsorID: b(tc.sponsorId) }, true);
      run.out.sponsorPub = hex(a.out.pucSponsorPublicKey);
      run.out.sponsorTmpPub = hex(a.out.pucSponsorTmpPublicKey);
      const k = await run.call('agreement-key', 'SDF_GenerateKeyWithECC', {
        pucResponseID: b(tc.responseId), pucResponsePublicKey: encodeEccPublicKey(b(tc.peerPub)), pucResponseTmpPublicKey: encodeEccPublicKey(b(tc.peerTmpPub)),
        hAgreementHandle: a.out.phAgreementHandle as string,
      }, true);
      await run.encryptBlock('ct', k.out.phKeyHandle as string, b(tc.block));
      return;
    }
    case 'key-agreement/device-responder': {
      await run.right(idx, pin);
      const k = await run.call('agreement-data-and-key', 'SDF_GenerateAgreementDataAndKeyWithECC', {
        uiISKIndex: idx, uiKeyBits: 128, pucResponseID: b(tc.responseId), pucSponsorID: b(tc.sponsorId),
        pucSponsorPublicKey: encodeEccPublicKey(b(tc.peerPub)), pucSponsorTmpPublicKey: encodeEccPublicKey(b(tc.peerTmpPub)),
      }, true);
      run.out.responsePub = hex(k.out.pucResponsePublicKey);
      run.out.responseTmpPub = hex(k.out.pucResponseTmpPublicKey);
      await run.encryptBlock('ct', k.out.phKeyHandle as string, b(tc.block));
      return;
    }
    case 'key-agreement/missing-index':
      await run.call('missing', 'SDF_GenerateAgreementDataWithECC', { uiISKIndex: missingKeyIndex, uiKeyBits: 128, pucSponsorID: b(tc.sponsorId) });
      return;
    case 'sm4/ecb':
    case 'sm4/cbc': {
      const h = await run.importKnown(idx, pin, b(tc.key), edition);
      const alg = tc.op === 'cbc' ? SGD.SGD_SM4_CBC : SGD.SGD_SM4_ECB;
      const iv = tc.iv ? b(tc.iv) : Buffer.alloc(16);
      const e = await run.call('encrypt', 'SDF_Encrypt', { hKeyHandle: h, uiAlgID: alg, pucIV: Buffer.from(iv), pucData: b(tc.pt) }, true);
      run.out.ct = hex(e.out.pucEncData);
      const d = await run.call('decrypt', 'SDF_Decrypt', { hKeyHandle: h, uiAlgID: alg, pucIV: Buffer.from(iv), pucEncData: e.out.pucEncData as Buffer });
      if (d.rv === 0) run.out.pt = hex(d.out.pucData);
      return;
    }
    case 'sm4/bad-length':
    case 'sm4/bad-mode':
    case 'sm4/bad-algorithm': {
      const h = await run.importKnown(idx, pin, b(tc.key), edition);
      await run.call('encrypt', 'SDF_Encrypt', { hKeyHandle: h, uiAlgID: Number(tc.alg ?? SGD.SGD_SM4_ECB), pucIV: Buffer.alloc(16), pucData: b(tc.pt) });
      return;
    }
    case 'sm4-mac/mac': {
      const h = await run.importKnown(idx, pin, b(tc.key), edition);
      const r = await run.call('mac', 'SDF_CalculateMAC', { hKeyHandle: h, uiAlgID: SGD.SGD_SM4_MAC, pucIV: b(tc.iv), pucData: b(tc.data) });
      if (r.rv === 0) run.out.mac = hex(r.out.pucMAC);
      return;
    }
    case 'sm3/hash':
    case 'sm3/hash-z': {
      const msg = b(tc.msg);
      const withZ = tc.op === 'hash-z';
      await run.call('init', 'SDF_HashInit', { uiAlgID: SGD.SGD_SM3, pucPublicKey: withZ ? encodeEccPublicKey(b(tc.pub)) : null, pucID: withZ ? b(tc.id) : null }, true);
      const chunks = (tc.chunks as number[] | undefined) ?? [msg.length];
      let off = 0;
      for (const [i, n] of chunks.entries()) {
        await run.call(`update-${i}`, 'SDF_HashUpdate', { pucData: msg.subarray(off, off + n) }, true);
        off += n;
      }
      const f = await run.call('final', 'SDF_HashFinal', {});
      if (f.rv === 0) run.out.digest = hex(f.out.pucHash);
      return;
    }
    case 'sm3/update-before-init':
      await run.call('update', 'SDF_HashUpdate', { pucData: b(tc.msg) });
      return;
    case 'file/lifecycle': {
      const name = Buffer.from(String(tc.name), 'utf8');
      const data = b(tc.data);
      const offset = Number(tc.offset);
      await run.call('create', 'SDF_CreateFile', { pucFileName: name, uiFileSize: Number(tc.size) }, true);
      try {
        await run.call('write', 'SDF_WriteFile', { pucFileName: name, uiOffset: offset, pucBuffer: data });
        const r = await run.call('read', 'SDF_ReadFile', { pucFileName: name, uiOffset: offset, puiReadLength: data.length });
        if (r.rv === 0) run.out.read = hex(r.out.pucBuffer);
        await run.call('read-beyond', 'SDF_ReadFile', { pucFileName: name, uiOffset: Number(tc.size) - 4, puiReadLength: 16 });
        await run.call('create-again', 'SDF_CreateFile', { pucFileName: name, uiFileSize: Number(tc.size) });
      } finally {
        await run.call('delete', 'SDF_DeleteFile', { pucFileName: name });
      }
      await run.call('read-deleted', 'SDF_ReadFile', { pucFileName: name, uiOffset: 0, puiReadLength: 4 });
      return;
    }
    default:
      throw new Error(`no procedure for ${key}`);
  }
}

function decryptArgs(edition: Edition, idx: number, keyType: number, cipher: Buffer): SdfArgs {
  return edition === '2012'
    ? { uiISKIndex: idx, uiAlgID: SGD.SGD_SM2_3, pucEncData: cipher }
    : { uiISKIndex: idx, uiECCKeyType: keyType, pucEncData: cipher };
}
