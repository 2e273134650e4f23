/**
 * TLCP (GB/T 38636-2020) for gmeval: record layer, handshake codec, key schedule, a sans-I/O engine for both
 * roles, and a Node Duplex socket over any connected stream (dialling and listening live in probes/tlcp and
 * reference-platform/tlcp-listener: lib/ opens no connections). Low-level pieces are exported for the conformance probe.
 */
export * from './constants.ts';
export { TlcpAlertError, fatal } from './errors.ts';
export { Reader, concat, fromHex, toHex, u16, u24, u8, vec16, vec24, vec8 } from './bytes.ts';
export { prfSm3, deriveMasterSecret, deriveKeyBlock, computeVerifyData, keyBlockLength, type KeyBlock } from './prf.ts';
export {
  RecordReader, encodeRecord, CbcProtection, GcmProtection, createProtection,
  type TlcpRecord, type RecordProtection, type DirectionKeys, type RecordReaderOptions,
} from './record.ts';
export * from './messages.ts';
export { parseCertificate, certificatesFromPem, isSm2WithSm3, hasKeyUsage, type TlcpCertificate } from './certs.ts';
export { verifyCertificateChain, type ChainProblem } from './chain.ts';
export { credentialsFromPem } from './credentials.ts';
export { TlcpSessionCache, type TlcpSession } from './session.ts';
export {
  TlcpEngine, type EngineOptions, type EngineHooks, type TlcpCredentials, type Negotiated, type TranscriptEntry,
  type CloseCause, type CertVerifyForm, type Role, type NonConformance,
} from './engine.ts';
export { TlcpSocket } from './socket.ts';
export { tlcpClientOver, tlcpServeOver, type TlcpClientOptions, type TlcpServerOptions, type TlcpAcceptHandlers } from './stream.ts';
export { ManualTlcpClient, type ManualEvent } from './manual.ts';
