/**
 * The SDF functions gmeval calls, as parameter lists in header order (GM/T 0018-2012 GmSSL layout, 2023 clause
 * layout). One table drives the native binding (koffi prototypes) and the network endpoint (argument names), so
 * both transports marshal the same parameters the same way.
 *
 * Parameter kinds:
 *   h            HANDLE in                     hOut      HANDLE* out
 *   u32          ULONG in                      len:X     ULONG in = byte length of parameter X (filled in)
 *   in           BYTE* or struct* in (a Buffer)   in?       same, may be NULL
 *   out:N        struct out of N bytes         cipher    ECCCipher* out (trimmed to 164 + L)
 *   outv         BYTE* out of variable length, its length in the paired `lenout:X` (ULONG*, in: capacity)
 *   inout        BYTE* in and out (an IV the device updates)
 */
import type { Edition } from './constants.ts';

export type ParamKind = 'h' | 'hOut' | 'u32' | 'in' | 'in?' | 'cipher' | 'outv' | 'inout' | `len:${string}` | `lenout:${string}` | `out:${number}`;
export type Param = readonly [name: string, kind: ParamKind];

const H: Param = ['hSessionHandle', 'h'];

const COMMON: Record<string, readonly Param[]> = {
  SDF_OpenDevice: [['phDeviceHandle', 'hOut']],
  SDF_CloseDevice: [['hDeviceHandle', 'h']],
  SDF_OpenSession: [['hDeviceHandle', 'h'], ['phSessionHandle', 'hOut']],
  SDF_CloseSession: [H],
  SDF_GetDeviceInfo: [H, ['pstDeviceInfo', 'out:100']],
  SDF_GenerateRandom: [H, ['uiLength', 'u32'], ['pucRandom', 'outv']],
  SDF_GetPrivateKeyAccessRight: [H, ['uiKeyIndex', 'u32'], ['pucPassword', 'in'], ['uiPwdLength', 'len:pucPassword']],
  SDF_ReleasePrivateKeyAccessRight: [H, ['uiKeyIndex', 'u32']],
  SDF_ExportSignPublicKey_ECC: [H, ['uiKeyIndex', 'u32'], ['pucPublicKey', 'out:132']],
  SDF_ExportEncPublicKey_ECC: [H, ['uiKeyIndex', 'u32'], ['pucPublicKey', 'out:132']],
  SDF_GenerateKeyWithIPK_ECC: [H, ['uiIPKIndex', 'u32'], ['uiKeyBits', 'u32'], ['pucKey', 'cipher'], ['phKeyHandle', 'hOut']],
  SDF_GenerateKeyWithEPK_ECC: [H, ['uiKeyBits', 'u32'], ['uiAlgID', 'u32'], ['pucPublicKey', 'in'], ['pucKey', 'cipher'], ['phKeyHandle', 'hOut']],
  SDF_ImportKeyWithISK_ECC: [H, ['uiISKIndex', 'u32'], ['pucKey', 'in'], ['phKeyHandle', 'hOut']],
  SDF_GenerateAgreementDataWithECC: [H, ['uiISKIndex', 'u32'], ['uiKeyBits', 'u32'], ['pucSponsorID', 'in'], ['uiSponsorIDLength', 'len:pucSponsorID'],
    ['pucSponsorPublicKey', 'out:132'], ['pucSponsorTmpPublicKey', 'out:132'], ['phAgreementHandle', 'hOut']],
  SDF_GenerateKeyWithECC: [H, ['pucResponseID', 'in'], ['uiResponseIDLength', 'len:pucResponseID'], ['pucResponsePublicKey', 'in'],
    ['pucResponseTmpPublicKey', 'in'], ['hAgreementHandle', 'h'], ['phKeyHandle', 'hOut']],
  SDF_GenerateAgreementDataAndKeyWithECC: [H, ['uiISKIndex', 'u32'], ['uiKeyBits', 'u32'], ['pucResponseID', 'in'], ['uiResponseIDLength', 'len:pucResponseID'],
    ['pucSponsorID', 'in'], ['uiSponsorIDLength', 'len:pucSponsorID'], ['pucSponsorPublicKey', 'in'], ['pucSponsorTmpPublicKey', 'in'],
    ['pucResponsePublicKey', 'out:132'], ['pucResponseTmpPublicKey', 'out:132'], ['phKeyHandle', 'hOut']],
  SDF_GenerateKeyWithKEK: [H, ['uiKeyBits', 'u32'], ['uiAlgID', 'u32'], ['uiKEKIndex', 'u32'], ['pucKey', 'outv'], ['puiKeyLength', 'lenout:pucKey'], ['phKeyHandle', 'hOut']],
  SDF_ImportKeyWithKEK: [H, ['uiAlgID', 'u32'], ['uiKEKIndex', 'u32'], ['pucKey', 'in'], ['uiKeyLength', 'len:pucKey'], ['phKeyHandle', 'hOut']],
  SDF_DestroyKey: [H, ['hKeyHandle', 'h']],
  SDF_ExternalVerify_ECC: [H, ['uiAlgID', 'u32'], ['pucPublicKey', 'in'], ['pucDataInput', 'in'], ['uiInputLength', 'len:pucDataInput'], ['pucSignature', 'in']],
  SDF_InternalSign_ECC: [H, ['uiISKIndex', 'u32'], ['pucData', 'in'], ['uiDataLength', 'len:pucData'], ['pucSignature', 'out:128']],
  SDF_InternalVerify_ECC: [H, ['uiIPKIndex', 'u32'], ['pucData', 'in'], ['uiDataLength', 'len:pucData'], ['pucSignature', 'in']],
  SDF_ExternalEncrypt_ECC: [H, ['uiAlgID', 'u32'], ['pucPublicKey', 'in'], ['pucData', 'in'], ['uiDataLength', 'len:pucData'], ['pucEncData', 'cipher']],
  SDF_Encrypt: [H, ['hKeyHandle', 'h'], ['uiAlgID', 'u32'], ['pucIV', 'inout'], ['pucData', 'in'], ['uiDataLength', 'len:pucData'], ['pucEncData', 'outv'], ['puiEncDataLength', 'lenout:pucEncData']],
  SDF_Decrypt: [H, ['hKeyHandle', 'h'], ['uiAlgID', 'u32'], ['pucIV', 'inout'], ['pucEncData', 'in'], ['uiEncDataLength', 'len:pucEncData'], ['pucData', 'outv'], ['puiDataLength', 'lenout:pucData']],
  SDF_CalculateMAC: [H, ['hKeyHandle', 'h'], ['uiAlgID', 'u32'], ['pucIV', 'inout'], ['pucData', 'in'], ['uiDataLength', 'len:pucData'], ['pucMAC', 'outv'], ['puiMACLength', 'lenout:pucMAC']],
  SDF_HashInit: [H, ['uiAlgID', 'u32'], ['pucPublicKey', 'in?'], ['pucID', 'in?'], ['uiIDLength', 'len:pucID']],
  SDF_HashUpdate: [H, ['pucData', 'in'], ['uiDataLength', 'len:pucData']],
  SDF_HashFinal: [H, ['pucHash', 'outv'], ['puiHashLength', 'lenout:pucHash']],
  SDF_CreateFile: [H, ['pucFileName', 'in'], ['uiNameLen', 'len:pucFileName'], ['uiFileSize', 'u32']],
  SDF_ReadFile: [H, ['pucFileName', 'in'], ['uiNameLen', 'len:pucFileName'], ['uiOffset', 'u32'], ['puiReadLength', 'lenout:pucBuffer'], ['pucBuffer', 'outv']],
  SDF_WriteFile: [H, ['pucFileName', 'in'], ['uiNameLen', 'len:pucFileName'], ['uiOffset', 'u32'], ['uiWriteLength', 'len:pucBuffer'], ['pucBuffer', 'in']],
  SDF_DeleteFile: [H, ['pucFileName', 'in'], ['uiNameLen', 'len:pucFileName']],
};

/** The prototypes that changed between the editions (GM/T 0018-2023 §6.4.9, §6.4.10). */
const BY_EDITION: Record<Edition, Record<string, readonly Param[]>> = {
  '2012': {
    SDF_InternalEncrypt_ECC: [H, ['uiIPKIndex', 'u32'], ['uiAlgID', 'u32'], ['pucData', 'in'], ['uiDataLength', 'len:pucData'], ['pucEncData', 'cipher']],
    SDF_InternalDecrypt_ECC: [H, ['uiISKIndex', 'u32'], ['uiAlgID', 'u32'], ['pucEncData', 'in'], ['pucData', 'outv'], ['puiDataLength', 'lenout:pucData']],
  },
  '2023': {
    SDF_InternalEncrypt_ECC: [H, ['uiIPKIndex', 'u32'], ['pucData', 'in'], ['uiDataLength', 'len:pucData'], ['pucEncData', 'cipher']],
    SDF_InternalDecrypt_ECC: [H, ['uiISKIndex', 'u32'], ['uiECCKeyType', 'u32'], ['pucEncData', 'in'], ['pucData', 'outv'], ['puiDataLength', 'lenout:pucData']],
  },
};

export function functionTable(edition: Edition): Record<string, readonly Param[]> {
  return { ...COMMON, ...BY_EDITION[edition] };
}

/** Functions without which no conformance run can start: a library lacking one is rejected at load. */
export const REQUIRED_FUNCTIONS = ['SDF_OpenDevice', 'SDF_CloseDevice', 'SDF_OpenSession', 'SDF_CloseSession', 'SDF_GetDeviceInfo', 'SDF_GenerateRandom'] as const;

/** The clause of GM/T 0018-2023 that specifies each function (as printed in the standard). */
export const CLAUSE: Record<string, string> = {
  SDF_OpenDevice: '6.2.2', SDF_CloseDevice: '6.2.3', SDF_OpenSession: '6.2.4', SDF_CloseSession: '6.2.5', SDF_GetDeviceInfo: '6.2.6',
  SDF_GenerateRandom: '6.2.7', SDF_GetPrivateKeyAccessRight: '6.2.8', SDF_ReleasePrivateKeyAccessRight: '6.2.9',
  SDF_ExportSignPublicKey_ECC: '6.3.7', SDF_ExportEncPublicKey_ECC: '6.3.8', SDF_GenerateKeyWithIPK_ECC: '6.3.9', SDF_GenerateKeyWithEPK_ECC: '6.3.10',
  SDF_ImportKeyWithISK_ECC: '6.3.11', SDF_GenerateAgreementDataWithECC: '6.3.12', SDF_GenerateKeyWithECC: '6.3.13', SDF_GenerateAgreementDataAndKeyWithECC: '6.3.14',
  SDF_GenerateKeyWithKEK: '6.3.15', SDF_ImportKeyWithKEK: '6.3.16', SDF_DestroyKey: '6.3.17', SDF_ExternalVerify_ECC: '6.4.5', SDF_InternalSign_ECC: '6.4.6',
  SDF_InternalVerify_ECC: '6.4.7', SDF_ExternalEncrypt_ECC: '6.4.8', SDF_InternalEncrypt_ECC: '6.4.9', SDF_InternalDecrypt_ECC: '6.4.10',
  SDF_Encrypt: '6.5.2', SDF_Decrypt: '6.5.3', SDF_CalculateMAC: '6.5.4', SDF_HashInit: '6.6.5', SDF_HashUpdate: '6.6.6', SDF_HashFinal: '6.6.7',
  SDF_CreateFile: '6.7.2', SDF_ReadFile: '6.7.3', SDF_WriteFile: '6.7.4', SDF_DeleteFile: '6.7.5',
};

/** Argument values as the suite passes them: numbers, byte buffers, handles (opaque strings), or null. */
export type SdfArg = number | Buffer | string | null;
export type SdfArgs = Record<string, SdfArg>;

export interface SdfCallResult {
  rv: number;
  /** output parameters by name: Buffers (structs, data), handles (strings), numbers */
  out: Record<string, Buffer | string | number>;
}

/**
 * One way of reaching an SDF device. `call` returns the function's return value and outputs; it throws only
 * when the call could not be made (function absent → SdfNotOfferedError, transport down → SdfTransportError).
 */
export interface SdfTransport {
  readonly kind: 'native' | 'endpoint';
  readonly edition: Edition;
  readonly description: string;
  has(fn: string): boolean;
  call(fn: string, args: SdfArgs, opts?: { capacity?: number }): Promise<SdfCallResult>;
  close(): Promise<void>;
}

export class SdfNotOfferedError extends Error {
  constructor(readonly fn: string, detail: string) {
    super(`${fn}: ${detail}`);
    this.name = 'SdfNotOfferedError';
  }
}

export class SdfTransportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdfTransportError';
  }
}

/** A library or endpoint that cannot be used at all: the CLI exits 2 with this message. */
export class SdfLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdfLoadError';
  }
}
