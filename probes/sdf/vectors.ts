/**
 * ACVP-style vector sets for GM/T 0018 devices. A request lists test groups (one per capability) whose test cases
 * carry every input; `answer.ts` runs them on a device and records what it returned; `judge.ts` decides. The live
 * probe is the same three steps in one process, so the offline loop and the live suite share one judgement.
 *
 * Requests hold test material only: software key pairs made for this request (their private halves sit under
 * `judgeOnly`, used by the judge to open what the device encrypted to them) — never a device's key or PIN.
 */
import { randomBytes } from 'node:crypto';
import { sm2GenerateKeyPair, sm2Sign, sm3, sm2Z, SM2_DEFAULT_ID } from '../../lib/gm/index.ts';
import { SDR, type Edition } from './constants.ts';

export const REQUEST_FORMAT = 'gmeval-sdf-vectors/1';
export const RESPONSE_FORMAT = 'gmeval-sdf-answers/1';

export const KINDS = {
  'device-info': { clause: '6.2.6', zh: '设备信息', en: 'device information' },
  session: { clause: '6.2.4', zh: '设备与会话的打开和关闭', en: 'device and session handles' },
  random: { clause: '6.2.7', zh: '产生随机数', en: 'random generation' },
  'access-right': { clause: '6.2.8', zh: '私钥使用权限', en: 'private-key access right' },
  'export-public-key': { clause: '6.3.7', zh: '导出 ECC 签名/加密公钥', en: 'export ECC public keys' },
  'key-ecc': { clause: '6.3.9', zh: '基于 ECC 的会话密钥生成与导入', en: 'session keys wrapped with ECC' },
  'key-agreement': { clause: '6.3.12', zh: 'ECC 密钥协商', en: 'ECC key agreement' },
  'key-kek': { clause: '6.3.15', zh: '基于密钥加密密钥的会话密钥生成、导入与销毁', en: 'session keys under a KEK, destroy' },
  'sm2-verify': { clause: '6.4.5', zh: 'ECC 验证', en: 'ECC verification' },
  'sm2-sign': { clause: '6.4.6', zh: '内部私钥 ECC 签名', en: 'internal-key ECC signing' },
  'sm2-encrypt': { clause: '6.4.8', zh: 'ECC 加密', en: 'ECC encryption' },
  'sm2-decrypt': { clause: '6.4.10', zh: '内部私钥 ECC 解密', en: 'internal-key ECC decryption' },
  sm4: { clause: '6.5.2', zh: 'SM4 对称加解密', en: 'SM4 encryption and decryption' },
  'sm4-mac': { clause: '6.5.4', zh: 'SM4 MAC', en: 'SM4 MAC' },
  sm3: { clause: '6.6.5', zh: 'SM3 杂凑（含 Z 值）', en: 'SM3 hash (with Z)' },
  file: { clause: '6.7.2', zh: '用户文件操作', en: 'user files' },
} as const;
export type Kind = keyof typeof KINDS;
export const ALL_KINDS = Object.keys(KINDS) as Kind[];

/**
 * Return codes the negative tests accept. Where GM/T 0018 names the code it is the only one accepted ([V] in the
 * reference digest); where it does not, the accepted set is an assumption ([U]) and can be changed per request.
 */
export interface CodeSettings {
  closedSession: number[];
  badKeyHandle: number[];
  missingKeyIndex: number[];
  noAccessRight: number[];
  wrongPassword: number[];
  verifyFailed: number[];
  hashStep: number[];
  badLength: number[];
  badMode: number[];
  badAlgorithm: number[];
  zeroLength: number[];
  tamperedCipher: number[];
  fileExists: number[];
  fileMissing: number[];
  fileOffset: number[];
}

export const DEFAULT_CODES: CodeSettings = {
  closedSession: [SDR.SDR_OPENSESSION, SDR.SDR_INARGERR], // [U]
  badKeyHandle: [SDR.SDR_KEYNOTEXIST, SDR.SDR_INARGERR], // [U]
  missingKeyIndex: [SDR.SDR_KEYNOTEXIST, SDR.SDR_INARGERR], // R04/R05
  noAccessRight: [SDR.SDR_PARDENY], // [V]
  wrongPassword: [SDR.SDR_PRKRERR], // [V]
  verifyFailed: [SDR.SDR_VERIFYERR], // [V]
  hashStep: [SDR.SDR_STEPERR], // [V]
  badLength: [SDR.SDR_INARGERR], // [U]
  badMode: [SDR.SDR_ALGMODNOTSUPPORT], // [V]
  badAlgorithm: [SDR.SDR_ALGNOTSUPPORT], // [V]
  zeroLength: [SDR.SDR_INARGERR], // [U]
  tamperedCipher: [SDR.SDR_ENCDATAERR, SDR.SDR_SKOPERR], // [U]
  fileExists: [SDR.SDR_FILEEXSITS], // [V]
  fileMissing: [SDR.SDR_FILENOEXIST], // [V]
  fileOffset: [SDR.SDR_FILEOFSERR, SDR.SDR_FILESIZEERR], // [V]
};

export interface Settings {
  /** key index holding the device's SM2 sign and enc pairs (GM/T 0018's minimum index is 1) */
  keyIndex: number;
  kekIndex: number;
  /** an index that holds no key */
  missingKeyIndex: number;
  /** 2023 SDF_InternalDecrypt_ECC uiECCKeyType selecting the encryption pair [U]; 2012 passes SGD_SM2_3 as uiAlgID */
  eccKeyTypeEnc: number;
  /** GM/T 0005 screening level for the random sample (a gross-failure screen, not a certification sample) */
  randomAlpha: number;
  codes: CodeSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  keyIndex: 1,
  kekIndex: 1,
  missingKeyIndex: 9999,
  eccKeyTypeEnc: 0x00020800,
  randomAlpha: 1e-6,
  codes: DEFAULT_CODES,
};

export type Hex = string;
export interface TestCase { tcId: number; op: string; [field: string]: unknown }
export interface TestGroup { tgId: number; kind: Kind; clause: string; tests: TestCase[] }
export interface VectorRequest {
  format: typeof REQUEST_FORMAT;
  createdAt: string;
  edition?: Edition;
  capabilities: Kind[];
  settings: Settings;
  testGroups: TestGroup[];
  /** test-key private halves the judge needs; the answering side never uses them */
  judgeOnly: Record<string, Hex>;
}

export interface CallRecord { label: string; fn: string; rv: number }
export interface TestAnswer {
  tcId: number;
  calls: CallRecord[];
  out: Record<string, Hex | number>;
  /** the test never reached the device (function not offered, transport failure) and why */
  unreceived?: string;
}
export interface GroupAnswer { tgId: number; tests: TestAnswer[] }
export interface VectorResponse {
  format: typeof RESPONSE_FORMAT;
  /** SM3 of the request file's bytes: the judge refuses answers to a different request */
  requestSm3: Hex;
  answeredAt: string;
  transport: string;
  edition: Edition;
  testGroups: GroupAnswer[];
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** GB/T 32907 A.1 and GB/T 32905 A.1/A.2: the standards' own examples, alongside random cases. */
export const STANDARD = {
  sm4Key: '0123456789abcdeffedcba9876543210',
  sm4Plain: '0123456789abcdeffedcba9876543210',
  sm4Cipher: '681edf34d206965e86b3e94f536e4246',
  sm3Abc: '616263',
  sm3Abcd16: Buffer.from('abcd'.repeat(16)).toString('hex'),
};

export interface GenerateOptions { capabilities?: Kind[]; edition?: Edition; settings?: Partial<Settings> }

export function generateVectors(o: GenerateOptions = {}): VectorRequest {
  const caps = o.capabilities ?? ALL_KINDS;
  const settings: Settings = { ...DEFAULT_SETTINGS, ...o.settings, codes: { ...DEFAULT_CODES, ...o.settings?.codes } };
  const judgeOnly: Record<string, Hex> = {};
  const testKey = sm2GenerateKeyPair();
  judgeOnly.testKey = hex(testKey.privateKey);
  const groups: TestGroup[] = [];
  const id = { tg: 1 };
  const group = (kind: Kind, tests: Omit<TestCase, 'tcId'>[]) =>
    groups.push({ tgId: id.tg++, kind, clause: KINDS[kind].clause, tests: tests.map((t, i) => ({ tcId: i + 1, ...t }) as TestCase) });
  for (const kind of caps) {
    switch (kind) {
      case 'device-info':
        group(kind, [{ op: 'info' }]);
        break;
      case 'session':
        group(kind, [{ op: 'reopen' }, { op: 'closed-session' }]);
        break;
      case 'random':
        group(kind, [{ op: 'lengths', lengths: [1, 16, 32, 32, 1000] }, { op: 'sample', bytes: 2500 }, { op: 'zero-length' }]);
        break;
      case 'access-right':
        group(kind, [{ op: 'no-right', e: hex(randomBytes(32)) }, { op: 'wrong-password', e: hex(randomBytes(32)) }, { op: 'after-release', e: hex(randomBytes(32)) }, { op: 'missing-index' }]);
        break;
      case 'export-public-key':
        group(kind, [{ op: 'pair' }, { op: 'missing-index' }]);
        break;
      case 'sm2-sign':
        group(kind, [
          { op: 'sign', msg: hex(Buffer.from('message digest')), id: hex(Buffer.from(SM2_DEFAULT_ID)) },
          { op: 'sign', msg: hex(randomBytes(100)), id: hex(Buffer.from('gmeval@sdf')) },
          { op: 'wrong-length', e: hex(randomBytes(31)) },
        ]);
        break;
      case 'sm2-verify': {
        const tests: Omit<TestCase, 'tcId'>[] = [];
        for (let i = 0; i < 3; i++) {
          const msg = randomBytes(40 + i);
          const e = sm3(sm2Z(testKey.publicKey), msg);
          const sig = sm2Sign(testKey.privateKey, msg, { format: 'raw' });
          const bad = Buffer.from(sig);
          if (i === 2) bad[63]! ^= 0x01; // a signature with one bit of s flipped
          tests.push({ op: 'external', pub: hex(testKey.publicKey), e: hex(i === 1 ? flip(e) : e), sig: hex(i === 2 ? bad : sig), valid: i === 0 });
        }
        tests.push({ op: 'internal', msg: hex(randomBytes(64)) });
        group(kind, tests);
        break;
      }
      case 'sm2-encrypt':
        group(kind, [
          { op: 'external', pub: hex(testKey.publicKey), msg: hex(Buffer.from('encryption standard')) },
          { op: 'external', pub: hex(testKey.publicKey), msg: hex(randomBytes(200)) },
          { op: 'internal', msg: hex(randomBytes(48)) },
        ]);
        break;
      case 'sm2-decrypt':
        group(kind, [{ op: 'decrypt', msg: hex(randomBytes(16)) }, { op: 'decrypt', msg: hex(randomBytes(300)) }, { op: 'tampered', msg: hex(randomBytes(32)) }]);
        break;
      case 'key-ecc':
        group(kind, [
          { op: 'epk', pub: hex(testKey.publicKey), block: hex(randomBytes(16)) },
          { op: 'ipk-isk', block: hex(randomBytes(16)) },
          { op: 'import-known', key: hex(randomBytes(16)), block: hex(randomBytes(16)) },
          { op: 'missing-index' },
        ]);
        break;
      case 'key-kek':
        group(kind, [{ op: 'roundtrip', block: hex(randomBytes(16)) }, { op: 'destroy', block: hex(randomBytes(16)) }, { op: 'missing-kek' }]);
        break;
      case 'key-agreement': {
        const peer = sm2GenerateKeyPair();
        const peerTmp = sm2GenerateKeyPair();
        judgeOnly.agreementPeer = hex(peer.privateKey);
        judgeOnly.agreementPeerTmp = hex(peerTmp.privateKey);
        const ids = { sponsorId: hex(Buffer.from('sponsor@gmeval')), responseId: hex(Buffer.from('responder@gmeval')) };
        group(kind, [
          { op: 'device-sponsor', ...ids, peerPub: hex(peer.publicKey), peerTmpPub: hex(peerTmp.publicKey), block: hex(randomBytes(16)) },
          { op: 'device-responder', ...ids, peerPub: hex(peer.publicKey), peerTmpPub: hex(peerTmp.publicKey), block: hex(randomBytes(16)) },
          { op: 'missing-index', ...ids },
        ]);
        break;
      }
      case 'sm4':
        group(kind, [
          { op: 'ecb', key: STANDARD.sm4Key, pt: STANDARD.sm4Plain, source: 'GB/T 32907 A.1' },
          { op: 'ecb', key: hex(randomBytes(16)), pt: hex(randomBytes(64)) },
          { op: 'cbc', key: hex(randomBytes(16)), iv: hex(randomBytes(16)), pt: hex(randomBytes(64)) },
          { op: 'bad-length', key: hex(randomBytes(16)), pt: hex(randomBytes(15)) },
          { op: 'bad-mode', key: hex(randomBytes(16)), alg: 0x00000440, pt: hex(randomBytes(16)) },
          { op: 'bad-algorithm', key: hex(randomBytes(16)), alg: 0x7f000401, pt: hex(randomBytes(16)) },
        ]);
        break;
      case 'sm4-mac':
        group(kind, [{ op: 'mac', key: hex(randomBytes(16)), iv: hex(Buffer.alloc(16)), data: hex(randomBytes(48)) }]);
        break;
      case 'sm3':
        group(kind, [
          { op: 'hash', msg: STANDARD.sm3Abc, chunks: [3], source: 'GB/T 32905 A.1' },
          { op: 'hash', msg: STANDARD.sm3Abcd16, chunks: [10, 54], source: 'GB/T 32905 A.2' },
          { op: 'hash', msg: hex(randomBytes(1000)), chunks: [1, 63, 64, 500, 372] },
          { op: 'hash-z', pub: hex(testKey.publicKey), id: hex(Buffer.from(SM2_DEFAULT_ID)), msg: hex(Buffer.from('message digest')) },
          { op: 'update-before-init', msg: STANDARD.sm3Abc },
        ]);
        break;
      case 'file':
        group(kind, [{ op: 'lifecycle', name: `gmeval-${randomBytes(4).toString('hex')}`, size: 64, offset: 4, data: hex(randomBytes(20)) }]);
        break;
    }
  }
  return { format: REQUEST_FORMAT, createdAt: new Date().toISOString(), edition: o.edition, capabilities: caps, settings, testGroups: groups, judgeOnly };
}

function flip(b: Buffer): Buffer {
  const c = Buffer.from(b);
  c[0]! ^= 0x80;
  return c;
}

/** Parses a capability list: comma/space/newline separated kinds, or a JSON/YAML array of them. */
export function parseCapabilities(text: string, where: string): Kind[] {
  const items = text.trim().startsWith('[') ? (JSON.parse(text) as unknown[]).map(String) : text.replace(/#.*$/gm, '').split(/[\s,]+/).filter(Boolean);
  const bad = items.filter((k) => !(k in KINDS));
  if (bad.length) throw new RangeError(`${where}: unknown capability ${bad.map((b) => JSON.stringify(b)).join(', ')} (known: ${ALL_KINDS.join(', ')})`);
  return [...new Set(items)] as Kind[];
}
