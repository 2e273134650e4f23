/**
 * The platform's network device endpoint: GM/T 0018 calls as newline-delimited JSON over TCP (docs/sdf.md).
 *
 *   → {"id": 7, "fn": "SDF_InternalSign_ECC", "args": {"hSessionHandle": "s:1", "uiISKIndex": 1, "pucData": "<hex>"}}
 *   ← {"id": 7, "rv": 0, "out": {"pucSignature": "<hex of the 128-byte ECCSignature>"}}
 *   ← {"id": 7, "error": {"code": "bad-request" | "not-offered", "message": "…"}}   (the call never reached the device)
 *
 * Byte parameters travel as hex of exactly the bytes a C caller would pass (structures in their GM/T 0018 layout),
 * handles as opaque strings bound to the connection, ULONGs as numbers. Keys never leave: only handles and wrapped
 * keys do. The 2023 prototypes are served (with hSessionHandle everywhere; InternalDecrypt takes uiECCKeyType).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db.ts';
import type { Defects } from '../defects/registry.ts';
import type { ResourcePool } from '../pool/pool.ts';
import { C, SdfCode } from './codes.ts';
import { fail, SdfDeviceView, soft } from './device-view.ts';

const MAX_LINE = 1 << 20;
const ECC_PUB = 132;
const CIPHER_HEADER = 164;

interface Session { rights: Set<number>; hash?: { parts: Buffer[] } }
interface Agreement { session: string; index: number; id: Buffer; ephemeral: { privateKey: Buffer; publicKey: Buffer } }

type Args = Record<string, unknown>;
type Out = Record<string, string | number>;
type Handler = (c: Connection, a: Args) => Out | void;

class BadRequest extends Error {}

class Connection {
  view?: SdfDeviceView;
  deviceHandle?: string;
  readonly sessions = new Map<string, Session>();
  readonly keys = new Map<string, { session: string; key: Buffer }>();
  readonly agreements = new Map<string, Agreement>();
  private next = 1;
  constructor(readonly ep: SdfEndpoint) {}

  handle(prefix: string): string {
    return `${prefix}:${this.next++}`;
  }

  session(a: Args, name = 'hSessionHandle'): Session {
    const h = a[name];
    const s = typeof h === 'string' ? this.sessions.get(h) : undefined;
    if (!s || !this.view) fail(C.SDR_OPENSESSION, 'no such session');
    return s;
  }

  device(): SdfDeviceView {
    if (!this.view) fail(C.SDR_OPENDEVICE, 'device not open');
    return this.view;
  }

  key(a: Args): Buffer {
    const s = String(a.hSessionHandle);
    const k = this.keys.get(String(a.hKeyHandle));
    if (!k || k.session !== s) fail(C.SDR_KEYNOTEXIST, 'no such key handle in this session');
    return k.key;
  }

  newKey(session: string, key: Buffer): string {
    const h = this.handle('k');
    this.keys.set(h, { session, key });
    return h;
  }

  needRight(s: Session, index: number): void {
    this.device().index(index);
    if (!s.rights.has(index)) fail(C.SDR_PARDENY, `no private-key access right for index ${index}`);
  }

  close(): void {
    for (const k of this.keys.values()) k.key.fill(0);
    this.keys.clear();
    this.sessions.clear();
    this.agreements.clear();
  }
}

// --- argument parsing: a malformed request is a protocol error, never a crash -------------------

function u32(a: Args, name: string): number {
  const v = a[name];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new BadRequest(`${name}: expected a ULONG, got ${JSON.stringify(v)}`);
  return v;
}

function bytes(a: Args, name: string): Buffer;
function bytes(a: Args, name: string, optional: true): Buffer | null;
function bytes(a: Args, name: string, optional = false): Buffer | null {
  const v = a[name];
  if ((v === null || v === undefined) && optional) return null;
  if (typeof v !== 'string' || !/^(?:[0-9a-fA-F]{2})*$/.test(v)) throw new BadRequest(`${name}: expected hex bytes`);
  return Buffer.from(v, 'hex');
}

/** ECCrefPublicKey (132 bytes, bits = 256, coordinates right-aligned) → 04‖x‖y. */
function eccPub(b: Buffer | null): Buffer {
  if (!b || b.length < ECC_PUB || b.readUInt32LE(0) !== 256) fail(C.SDR_INARGERR, 'ECCrefPublicKey: expected 132 bytes with bits = 256');
  if (b.subarray(4, 36).some((x) => x) || b.subarray(68, 100).some((x) => x)) fail(C.SDR_INARGERR, 'ECCrefPublicKey: coordinates not right-aligned');
  return Buffer.concat([Buffer.from([4]), b.subarray(36, 68), b.subarray(100, 132)]);
}

function encodePub(point: Buffer): string {
  const b = Buffer.alloc(ECC_PUB);
  b.writeUInt32LE(256, 0);
  point.subarray(1, 33).copy(b, 36);
  point.subarray(33, 65).copy(b, 100);
  return b.toString('hex');
}

/** ECCCipher → raw 04‖x‖y‖C3‖C2. */
function eccCipher(b: Buffer): Buffer {
  if (b.length < CIPHER_HEADER) fail(C.SDR_INARGERR, 'ECCCipher shorter than its header');
  const l = b.readUInt32LE(160);
  if (l === 0 || CIPHER_HEADER + l > b.length) fail(C.SDR_INARGERR, `ECCCipher.L = ${l} does not fit`);
  if (b.subarray(0, 32).some((x) => x) || b.subarray(64, 96).some((x) => x)) fail(C.SDR_ENCDATAERR, 'ECCCipher: C1 not right-aligned');
  return Buffer.concat([Buffer.from([4]), b.subarray(32, 64), b.subarray(96, 128), b.subarray(128, 160), b.subarray(CIPHER_HEADER, CIPHER_HEADER + l)]);
}

function encodeCipher(raw: Buffer, defects: Defects): string {
  const c2 = raw.subarray(97);
  const b = Buffer.alloc(CIPHER_HEADER + c2.length);
  // defect sdf-ecc-cipher-layout: the encoder puts C1 at the start of the 64-byte arrays (left-aligned)
  const at = defects.has('sdf-ecc-cipher-layout') ? 0 : 32;
  raw.subarray(1, 33).copy(b, at);
  raw.subarray(33, 65).copy(b, 64 + at);
  raw.subarray(65, 97).copy(b, 128);
  b.writeUInt32LE(c2.length, 160);
  c2.copy(b, CIPHER_HEADER);
  return b.toString('hex');
}

function fileName(a: Args): string {
  const n = bytes(a, 'pucFileName');
  if (n.length === 0 || n.length > 128) fail(C.SDR_INARGERR, 'file name must be 1..128 bytes');
  return n.toString('latin1');
}

// --- the functions ------------------------------------------------------------------------------

const FUNCTIONS: Record<string, Handler> = {
  SDF_OpenDevice(c, a) {
    const sel = a.device === undefined || a.device === null ? '0' : String(a.device);
    const view = c.ep.view(sel);
    if (!view) fail(C.SDR_OPENDEVICE, `no device "${sel}" in the pool`);
    c.view = view;
    c.deviceHandle = c.handle('d');
    return { phDeviceHandle: c.deviceHandle };
  },
  SDF_CloseDevice(c, a) {
    if (!c.deviceHandle || a.hDeviceHandle !== c.deviceHandle) fail(C.SDR_INARGERR, 'no such device handle');
    c.close();
    c.view = undefined;
    c.deviceHandle = undefined;
  },
  SDF_OpenSession(c, a) {
    if (!c.deviceHandle || a.hDeviceHandle !== c.deviceHandle) fail(C.SDR_OPENDEVICE, 'no such device handle');
    const h = c.handle('s');
    c.sessions.set(h, { rights: new Set() });
    return { phSessionHandle: h };
  },
  SDF_CloseSession(c, a) {
    c.session(a);
    const h = String(a.hSessionHandle);
    for (const [k, v] of c.keys) if (v.session === h) { v.key.fill(0); c.keys.delete(k); }
    for (const [k, v] of c.agreements) if (v.session === h) c.agreements.delete(k);
    c.sessions.delete(h);
  },
  SDF_GetDeviceInfo(c, a) {
    c.session(a);
    return { pstDeviceInfo: c.device().deviceInfo(true).toString('hex') };
  },
  SDF_GenerateRandom(c, a) {
    c.session(a);
    return { pucRandom: c.device().random(u32(a, 'uiLength')).toString('hex') };
  },
  SDF_GetPrivateKeyAccessRight(c, a) {
    const s = c.session(a);
    const i = u32(a, 'uiKeyIndex');
    c.device().index(i);
    const given = bytes(a, 'pucPassword');
    const pin = Buffer.from(c.device().pin, 'utf8');
    if (given.length !== pin.length || !timingSafeEqual(given, pin)) fail(C.SDR_PRKRERR, 'wrong access password');
    s.rights.add(i);
  },
  SDF_ReleasePrivateKeyAccessRight(c, a) {
    const s = c.session(a);
    const i = u32(a, 'uiKeyIndex');
    c.device().index(i);
    s.rights.delete(i);
  },
  SDF_ExportSignPublicKey_ECC(c, a) {
    c.session(a);
    return { pucPublicKey: encodePub(c.device().publicKey(u32(a, 'uiKeyIndex'), 'sign')) };
  },
  SDF_ExportEncPublicKey_ECC(c, a) {
    c.session(a);
    return { pucPublicKey: encodePub(c.device().publicKey(u32(a, 'uiKeyIndex'), 'enc')) };
  },
  SDF_GenerateKeyWithIPK_ECC(c, a) {
    c.session(a);
    const pub = c.device().publicKey(u32(a, 'uiIPKIndex'), 'enc');
    if (u32(a, 'uiKeyBits') !== 128) fail(C.SDR_INARGERR, 'only 128-bit session keys');
    const key = soft.sessionKey();
    return { pucKey: encodeCipher(soft.encrypt(pub, key), c.ep.defects), phKeyHandle: c.newKey(String(a.hSessionHandle), key) };
  },
  SDF_GenerateKeyWithEPK_ECC(c, a) {
    c.session(a);
    if (u32(a, 'uiAlgID') !== soft.SGD.SGD_SM2_3) fail(C.SDR_ALGNOTSUPPORT, 'algorithm');
    if (u32(a, 'uiKeyBits') !== 128) fail(C.SDR_INARGERR, 'only 128-bit session keys');
    const pub = eccPub(bytes(a, 'pucPublicKey'));
    const key = soft.sessionKey();
    return { pucKey: encodeCipher(soft.encrypt(pub, key), c.ep.defects), phKeyHandle: c.newKey(String(a.hSessionHandle), key) };
  },
  SDF_ImportKeyWithISK_ECC(c, a) {
    const s = c.session(a);
    const i = u32(a, 'uiISKIndex');
    c.needRight(s, i);
    const key = c.device().decrypt(i, eccCipher(bytes(a, 'pucKey')));
    if (key.length !== 16) fail(C.SDR_KEYERR, `session key must be 16 bytes, got ${key.length}`);
    return { phKeyHandle: c.newKey(String(a.hSessionHandle), key) };
  },
  SDF_GenerateAgreementDataWithECC(c, a) {
    const s = c.session(a);
    const i = u32(a, 'uiISKIndex');
    c.needRight(s, i);
    if (u32(a, 'uiKeyBits') !== 128) fail(C.SDR_INARGERR, 'only 128-bit agreed keys');
    const eph = soft.ephemeral();
    const h = c.handle('a');
    c.agreements.set(h, { session: String(a.hSessionHandle), index: i, id: bytes(a, 'pucSponsorID'), ephemeral: eph });
    return { pucSponsorPublicKey: encodePub(c.device().publicKey(i, 'enc')), pucSponsorTmpPublicKey: encodePub(eph.publicKey), phAgreementHandle: h };
  },
  SDF_GenerateKeyWithECC(c, a) {
    c.session(a);
    const ag = c.agreements.get(String(a.hAgreementHandle));
    if (!ag || ag.session !== a.hSessionHandle) fail(C.SDR_INARGERR, 'no such agreement handle');
    c.agreements.delete(String(a.hAgreementHandle));
    const key = c.device().exchange(ag.index, {
      role: 'initiator', selfId: ag.id, peerId: bytes(a, 'pucResponseID'), ephemeral: ag.ephemeral,
      peerStaticPublic: eccPub(bytes(a, 'pucResponsePublicKey')), peerEphemeralPublic: eccPub(bytes(a, 'pucResponseTmpPublicKey')),
    });
    return { phKeyHandle: c.newKey(String(a.hSessionHandle), key) };
  },
  SDF_GenerateAgreementDataAndKeyWithECC(c, a) {
    const s = c.session(a);
    const i = u32(a, 'uiISKIndex');
    c.needRight(s, i);
    if (u32(a, 'uiKeyBits') !== 128) fail(C.SDR_INARGERR, 'only 128-bit agreed keys');
    const eph = soft.ephemeral();
    const key = c.device().exchange(i, {
      role: 'responder', selfId: bytes(a, 'pucResponseID'), peerId: bytes(a, 'pucSponsorID'), ephemeral: eph,
      peerStaticPublic: eccPub(bytes(a, 'pucSponsorPublicKey')), peerEphemeralPublic: eccPub(bytes(a, 'pucSponsorTmpPublicKey')),
    });
    return { pucResponsePublicKey: encodePub(c.device().publicKey(i, 'enc')), pucResponseTmpPublicKey: encodePub(eph.publicKey), phKeyHandle: c.newKey(String(a.hSessionHandle), key) };
  },
  SDF_GenerateKeyWithKEK(c, a) {
    c.session(a);
    const alg = u32(a, 'uiAlgID');
    if (alg !== soft.SGD.SGD_SM4_ECB) fail((alg & 0xffffff00) === 0x400 ? C.SDR_ALGMODNOTSUPPORT : C.SDR_ALGNOTSUPPORT, 'KEK wrapping is SM4-ECB');
    if (u32(a, 'uiKeyBits') !== 128) fail(C.SDR_INARGERR, 'only 128-bit session keys');
    const kek = u32(a, 'uiKEKIndex');
    c.device().index(kek);
    const key = soft.sessionKey();
    const wrapped = c.device().kekWrap(kek, key);
    return { pucKey: wrapped.toString('hex'), puiKeyLength: wrapped.length, phKeyHandle: c.newKey(String(a.hSessionHandle), key) };
  },
  SDF_ImportKeyWithKEK(c, a) {
    c.session(a);
    const alg = u32(a, 'uiAlgID');
    if (alg !== soft.SGD.SGD_SM4_ECB) fail((alg & 0xffffff00) === 0x400 ? C.SDR_ALGMODNOTSUPPORT : C.SDR_ALGNOTSUPPORT, 'KEK wrapping is SM4-ECB');
    const key = c.device().kekUnwrap(u32(a, 'uiKEKIndex'), bytes(a, 'pucKey'));
    return { phKeyHandle: c.newKey(String(a.hSessionHandle), key) };
  },
  SDF_DestroyKey(c, a) {
    c.session(a);
    c.key(a).fill(0);
    c.keys.delete(String(a.hKeyHandle));
  },
  SDF_ExternalVerify_ECC(c, a) {
    c.session(a);
    if (u32(a, 'uiAlgID') !== soft.SGD.SGD_SM2_1) fail(C.SDR_ALGNOTSUPPORT, 'algorithm');
    const sig = bytes(a, 'pucSignature');
    if (sig.length < 128) fail(C.SDR_INARGERR, 'ECCSignature is 128 bytes');
    if (!soft.verify(eccPub(bytes(a, 'pucPublicKey')), bytes(a, 'pucDataInput'), Buffer.concat([sig.subarray(32, 64), sig.subarray(96, 128)]))) fail(C.SDR_VERIFYERR, 'signature does not verify');
  },
  SDF_InternalSign_ECC(c, a) {
    const s = c.session(a);
    const i = u32(a, 'uiISKIndex');
    c.needRight(s, i);
    const rs = c.device().signDigest(i, bytes(a, 'pucData'));
    const sig = Buffer.alloc(128);
    rs.subarray(0, 32).copy(sig, 32);
    rs.subarray(32).copy(sig, 96);
    return { pucSignature: sig.toString('hex') };
  },
  SDF_InternalVerify_ECC(c, a) {
    c.session(a);
    const pub = c.device().publicKey(u32(a, 'uiIPKIndex'), 'sign');
    const sig = bytes(a, 'pucSignature');
    if (sig.length < 128) fail(C.SDR_INARGERR, 'ECCSignature is 128 bytes');
    if (!soft.verify(pub, bytes(a, 'pucData'), Buffer.concat([sig.subarray(32, 64), sig.subarray(96, 128)]))) fail(C.SDR_VERIFYERR, 'signature does not verify');
  },
  SDF_ExternalEncrypt_ECC(c, a) {
    c.session(a);
    if (u32(a, 'uiAlgID') !== soft.SGD.SGD_SM2_3) fail(C.SDR_ALGNOTSUPPORT, 'algorithm');
    return { pucEncData: encodeCipher(soft.encrypt(eccPub(bytes(a, 'pucPublicKey')), bytes(a, 'pucData')), c.ep.defects) };
  },
  SDF_InternalEncrypt_ECC(c, a) {
    c.session(a);
    return { pucEncData: encodeCipher(soft.encrypt(c.device().publicKey(u32(a, 'uiIPKIndex'), 'enc'), bytes(a, 'pucData')), c.ep.defects) };
  },
  SDF_InternalDecrypt_ECC(c, a) {
    const s = c.session(a);
    const i = u32(a, 'uiISKIndex');
    const sel = a.uiECCKeyType ?? a.uiAlgID;
    if (sel !== soft.SGD.SGD_SM2_3) fail(C.SDR_ALGNOTSUPPORT, 'only the encryption pair (SGD_SM2_3) decrypts');
    c.needRight(s, i);
    const plain = c.device().decrypt(i, eccCipher(bytes(a, 'pucEncData')));
    return { pucData: plain.toString('hex'), puiDataLength: plain.length };
  },
  SDF_Encrypt(c, a) {
    c.session(a);
    const r = soft.sm4('encrypt', c.key(a), u32(a, 'uiAlgID'), bytes(a, 'pucIV', true), bytes(a, 'pucData'));
    return { pucEncData: r.out.toString('hex'), puiEncDataLength: r.out.length, ...(r.iv ? { pucIV: r.iv.toString('hex') } : {}) };
  },
  SDF_Decrypt(c, a) {
    c.session(a);
    const r = soft.sm4('decrypt', c.key(a), u32(a, 'uiAlgID'), bytes(a, 'pucIV', true), bytes(a, 'pucEncData'));
    return { pucData: r.out.toString('hex'), puiDataLength: r.out.length, ...(r.iv ? { pucIV: r.iv.toString('hex') } : {}) };
  },
  SDF_CalculateMAC(c, a) {
    c.session(a);
    const mac = soft.mac(c.key(a), u32(a, 'uiAlgID'), bytes(a, 'pucIV', true), bytes(a, 'pucData'));
    return { pucMAC: mac.toString('hex'), puiMACLength: mac.length, pucIV: mac.toString('hex') };
  },
  SDF_HashInit(c, a) {
    const s = c.session(a);
    if (u32(a, 'uiAlgID') !== soft.SGD.SGD_SM3) fail(C.SDR_ALGNOTSUPPORT, 'hash algorithm');
    const pub = bytes(a, 'pucPublicKey', true);
    const parts: Buffer[] = [];
    if (pub) {
      const id = bytes(a, 'pucID', true);
      if (!id || id.length === 0) fail(C.SDR_INARGERR, 'a public key needs an ID');
      parts.push(soft.z(eccPub(pub), id));
    }
    s.hash = { parts };
  },
  SDF_HashUpdate(c, a) {
    const s = c.session(a);
    if (!s.hash) fail(C.SDR_STEPERR, 'HashUpdate before HashInit');
    s.hash.parts.push(bytes(a, 'pucData'));
  },
  SDF_HashFinal(c, a) {
    const s = c.session(a);
    if (!s.hash) fail(C.SDR_STEPERR, 'HashFinal before HashInit');
    const d = soft.sm3(...s.hash.parts);
    s.hash = undefined;
    return { pucHash: d.toString('hex'), puiHashLength: 32 };
  },
  SDF_CreateFile(c, a) {
    c.session(a);
    const name = fileName(a);
    const size = u32(a, 'uiFileSize');
    if (size > soft.SGD.MAX_FILE) fail(C.SDR_FILESIZEERR, `file size ${size} exceeds ${soft.SGD.MAX_FILE}`);
    const files = c.device().files;
    if (files.has(name)) fail(C.SDR_FILEEXSITS, 'file exists');
    if (files.size >= 64) fail(C.SDR_NOBUFFER, 'file store full');
    files.set(name, Buffer.alloc(size));
  },
  SDF_ReadFile(c, a) {
    c.session(a);
    const f = c.device().files.get(fileName(a));
    if (!f) fail(C.SDR_FILENOEXIST, 'no such file');
    const off = u32(a, 'uiOffset');
    const len = u32(a, 'puiReadLength');
    if (off + len > f.length) fail(C.SDR_FILEOFSERR, `offset ${off} + length ${len} beyond the ${f.length}-byte file`);
    return { pucBuffer: f.subarray(off, off + len).toString('hex'), puiReadLength: len };
  },
  SDF_WriteFile(c, a) {
    c.session(a);
    const f = c.device().files.get(fileName(a));
    if (!f) fail(C.SDR_FILENOEXIST, 'no such file');
    const off = u32(a, 'uiOffset');
    const data = bytes(a, 'pucBuffer');
    if (off + data.length > f.length) fail(C.SDR_FILEOFSERR, 'write beyond the file size');
    data.copy(f, off);
  },
  SDF_DeleteFile(c, a) {
    c.session(a);
    const name = fileName(a);
    if (!c.device().files.delete(name)) fail(C.SDR_FILENOEXIST, 'no such file');
  },
};

export const ENDPOINT_FUNCTIONS = Object.keys(FUNCTIONS);

export interface SdfEndpointOptions { host?: string; port?: number; pin: string; db: Db; pool: ResourcePool; defects: Defects }

export class SdfEndpoint {
  private readonly server: Server;
  private readonly views = new Map<string, SdfDeviceView>();
  private readonly sockets = new Set<Socket>();
  readonly defects: Defects;

  constructor(private readonly o: SdfEndpointOptions) {
    this.defects = o.defects;
    this.server = createServer((sock) => this.serve(sock));
  }

  /** A pool device by position ("0") or id, with its SDF view (key indices created on first use). */
  view(sel: string): SdfDeviceView | undefined {
    const devices = this.o.pool.list();
    const pos = /^\d+$/.test(sel) ? Number(sel) : devices.findIndex((d) => d.info.id === sel);
    const d = devices[pos];
    if (!d) return undefined;
    let v = this.views.get(d.info.id);
    if (!v) this.views.set(d.info.id, (v = SdfDeviceView.open(this.o.db, d, this.o.pin, pos)));
    return v;
  }

  async listen(): Promise<string> {
    await new Promise<void>((res, rej) => {
      this.server.once('error', rej);
      this.server.listen(this.o.port ?? 0, this.o.host ?? '127.0.0.1', () => res());
    });
    const addr = this.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const host = this.o.host ?? '127.0.0.1';
    return `sdf://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((res) => this.server.close(() => res()));
  }

  private serve(sock: Socket): void {
    this.sockets.add(sock);
    const conn = new Connection(this);
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (chunk: string) => {
      buf += chunk;
      if (buf.length > MAX_LINE && !buf.includes('\n')) {
        sock.end(JSON.stringify({ id: null, error: { code: 'bad-request', message: `request line longer than ${MAX_LINE} bytes` } }) + '\n');
        return;
      }
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim()) sock.write(JSON.stringify(this.dispatch(conn, line)) + '\n');
      }
    });
    const done = () => {
      conn.close();
      this.sockets.delete(sock);
    };
    sock.on('close', done);
    sock.on('error', done);
  }

  private dispatch(conn: Connection, line: string): unknown {
    let msg: { id?: unknown; fn?: unknown; args?: unknown };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return { id: null, error: { code: 'bad-request', message: 'not a JSON object' } };
    }
    const id = typeof msg?.id === 'number' || typeof msg?.id === 'string' ? msg.id : null;
    const fn = typeof msg?.fn === 'string' ? msg.fn : '';
    const handler = Object.hasOwn(FUNCTIONS, fn) ? FUNCTIONS[fn] : undefined;
    if (!handler) return { id, error: { code: 'not-offered', message: `function ${JSON.stringify(fn)} is not offered (offered: ${ENDPOINT_FUNCTIONS.join(', ')})` } };
    const args = msg.args && typeof msg.args === 'object' && !Array.isArray(msg.args) ? (msg.args as Args) : {};
    try {
      return { id, rv: 0, out: handler(conn, args) ?? {} };
    } catch (e) {
      if (e instanceof BadRequest) return { id, error: { code: 'bad-request', message: `${fn}: ${e.message}` } };
      const code = e instanceof SdfCode ? e.code : C.SDR_UNKNOWERR;
      // defect sdf-wrong-error-code: every failure is reported with the generic code
      return { id, rv: this.defects.has('sdf-wrong-error-code') ? C.SDR_UNKNOWERR : code, out: {} };
    }
  }
}
