/** Wire identifiers of TLCP (GB/T 38636-2020). See shared reference digest §1. */

export const TLCP_VERSION = 0x0101;

export const ContentType = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
} as const;

export const HandshakeType = {
  client_hello: 1,
  server_hello: 2,
  new_session_ticket: 4,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
} as const;

export const HANDSHAKE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(HandshakeType).map(([k, v]) => [v, k]),
);

export const AlertLevel = { warning: 1, fatal: 2 } as const;

export const AlertDescription = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  decryption_failed: 21,
  record_overflow: 22,
  decompression_failure: 30,
  handshake_failure: 40,
  no_certificate: 41,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_revoked: 44,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  access_denied: 49,
  decode_error: 50,
  decrypt_error: 51,
  export_restriction: 60,
  protocol_version: 70,
  insufficient_security: 71,
  internal_error: 80,
  user_canceled: 90,
  no_renegotiation: 100,
  unsupported_site2site: 200,
  no_area: 201,
  unsupported_areatype: 202,
  bad_ibcparam: 203,
  unsupported_ibcparam: 204,
  identity_need: 205,
} as const;
export type AlertDescriptionName = keyof typeof AlertDescription;

export const ALERT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(AlertDescription).map(([k, v]) => [v, k]),
);

export function alertName(description: number): string {
  return ALERT_NAMES[description] ?? `unknown(${description})`;
}

export type KeyExchangeKind = 'ECC' | 'ECDHE';
export type BulkKind = 'CBC' | 'GCM';

export interface CipherSuiteInfo {
  id: number;
  name: string;
  kx: KeyExchangeKind;
  bulk: BulkKind;
  macKeyLength: number;
  encKeyLength: number;
  /** key-block IV length: 16 for CBC (derived but unused on the wire), 4 for the GCM salt */
  fixedIvLength: number;
}

export const CipherSuite = {
  ECDHE_SM4_CBC_SM3: 0xe011,
  ECC_SM4_CBC_SM3: 0xe013,
  ECDHE_SM4_GCM_SM3: 0xe051,
  ECC_SM4_GCM_SM3: 0xe053,
} as const;

export const SUITES: Record<number, CipherSuiteInfo> = {
  0xe011: { id: 0xe011, name: 'ECDHE_SM4_CBC_SM3', kx: 'ECDHE', bulk: 'CBC', macKeyLength: 32, encKeyLength: 16, fixedIvLength: 16 },
  0xe013: { id: 0xe013, name: 'ECC_SM4_CBC_SM3', kx: 'ECC', bulk: 'CBC', macKeyLength: 32, encKeyLength: 16, fixedIvLength: 16 },
  0xe051: { id: 0xe051, name: 'ECDHE_SM4_GCM_SM3', kx: 'ECDHE', bulk: 'GCM', macKeyLength: 0, encKeyLength: 16, fixedIvLength: 4 },
  0xe053: { id: 0xe053, name: 'ECC_SM4_GCM_SM3', kx: 'ECC', bulk: 'GCM', macKeyLength: 0, encKeyLength: 16, fixedIvLength: 4 },
};

/** Default preference (server side): forward secrecy and AEAD first. */
export const DEFAULT_SUITES: number[] = [0xe051, 0xe053, 0xe011, 0xe013];

/** Suites outside the four built here that a probe may offer (names for transcripts). */
export const OTHER_SUITE_NAMES: Record<number, string> = {
  0xe015: 'IBSDH_SM4_CBC_SM3', 0xe055: 'IBSDH_SM4_GCM_SM3', 0xe017: 'IBC_SM4_CBC_SM3', 0xe057: 'IBC_SM4_GCM_SM3',
  0xe019: 'RSA_SM4_CBC_SM3', 0xe059: 'RSA_SM4_GCM_SM3', 0xe01c: 'RSA_SM4_CBC_SHA256', 0xe01e: 'RSA_SM4_CBC_SHA256(gotlcp)',
  0xe05a: 'RSA_SM4_GCM_SHA256', 0x00ff: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', 0xc02f: 'ECDHE_RSA_AES_128_GCM_SHA256',
  0xc02b: 'ECDHE_ECDSA_AES_128_GCM_SHA256', 0x002f: 'RSA_AES_128_CBC_SHA',
};

export function suiteName(id: number): string {
  return SUITES[id]?.name ?? OTHER_SUITE_NAMES[id] ?? `0x${id.toString(16).padStart(4, '0')}`;
}

/** Plaintext fragment limit and protected fragment limit (TLS 1.1 values, digest §2). */
export const MAX_PLAINTEXT = 1 << 14;
export const MAX_CIPHERTEXT = (1 << 14) + 2048;
/** A single handshake message larger than this is refused (certificate chains are a few KiB). */
export const MAX_HANDSHAKE_MESSAGE = 1 << 16;

export const CURVE_SM2 = 41;
export const CURVE_TYPE_NAMED = 3;
export const CERT_TYPE_ECDSA_SIGN = 64;
