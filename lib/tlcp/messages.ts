import { Reader, concat, toHex, u16, u24, u8, vec16, vec24, vec8 } from './bytes.ts';
import { CURVE_SM2, CURVE_TYPE_NAMED, HANDSHAKE_NAMES, HandshakeType, MAX_HANDSHAKE_MESSAGE, suiteName, type KeyExchangeKind } from './constants.ts';
import { fatal } from './errors.ts';

/** A handshake message as framed on the wire: `type u8 | length u24 | body`. `raw` is what the transcript hashes. */
export interface HandshakeMessage {
  type: number;
  body: Uint8Array;
  raw: Uint8Array;
}

export function encodeHandshake(type: number, body: Uint8Array): Uint8Array {
  return concat(u8(type), u24(body.length), body);
}

/** Reassembles handshake messages from handshake-record payloads (a message may span records). */
export class HandshakeReader {
  private buf: Uint8Array = new Uint8Array(0);
  feed(fragment: Uint8Array): void {
    this.buf = this.buf.length ? concat(this.buf, fragment) : new Uint8Array(fragment);
  }
  get pendingBytes(): number {
    return this.buf.length;
  }
  next(): HandshakeMessage | null {
    if (this.buf.length < 4) return null;
    const len = (this.buf[1]! << 16) | (this.buf[2]! << 8) | this.buf[3]!;
    if (len > MAX_HANDSHAKE_MESSAGE) throw fatal('illegal_parameter', `handshake message of ${len} bytes exceeds ${MAX_HANDSHAKE_MESSAGE}`);
    if (this.buf.length < 4 + len) return null;
    const raw = this.buf.slice(0, 4 + len);
    this.buf = this.buf.slice(4 + len);
    return { type: raw[0]!, body: raw.subarray(4), raw };
  }
}

export interface Extension {
  type: number;
  data: Uint8Array;
}

function encodeExtensions(exts: Extension[] | undefined): Uint8Array {
  if (!exts) return new Uint8Array(0);
  return vec16(concat(...exts.map((e) => concat(u16(e.type), vec16(e.data)))));
}

function decodeExtensions(r: Reader, what: string): Extension[] | undefined {
  if (r.remaining === 0) return undefined;
  const block = new Reader(r.vec16(`${what} extensions`), `${what} extensions`);
  const out: Extension[] = [];
  while (block.remaining > 0) {
    const type = block.u16('extension type');
    out.push({ type, data: block.vec16(`extension ${type}`) });
  }
  r.end();
  return out;
}

export interface ClientHello {
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: number[];
  /** undefined = no extensions block at all (GmSSL 3.1.1 style, gmeval's default) */
  extensions?: Extension[];
}

export function encodeClientHello(m: ClientHello): Uint8Array {
  return encodeHandshake(
    HandshakeType.client_hello,
    concat(
      u16(m.version),
      m.random,
      vec8(m.sessionId),
      vec16(concat(...m.cipherSuites.map(u16))),
      vec8(Uint8Array.from(m.compressionMethods)),
      encodeExtensions(m.extensions),
    ),
  );
}

export function decodeClientHello(body: Uint8Array): ClientHello {
  const r = new Reader(body, 'ClientHello');
  const version = r.u16('client_version');
  const random = r.bytes(32, 'random');
  const sessionId = r.vec8('session_id');
  if (sessionId.length > 32) throw fatal('illegal_parameter', `ClientHello: session_id of ${sessionId.length} bytes > 32`);
  const suitesRaw = r.vec16('cipher_suites');
  if (suitesRaw.length === 0 || suitesRaw.length % 2) throw fatal('decode_error', `ClientHello: cipher_suites length ${suitesRaw.length}`);
  const cipherSuites: number[] = [];
  for (let i = 0; i < suitesRaw.length; i += 2) cipherSuites.push((suitesRaw[i]! << 8) | suitesRaw[i + 1]!);
  const comp = r.vec8('compression_methods');
  if (comp.length === 0) throw fatal('decode_error', 'ClientHello: empty compression_methods');
  const extensions = decodeExtensions(r, 'ClientHello');
  return { version, random, sessionId, cipherSuites, compressionMethods: [...comp], ...(extensions ? { extensions } : {}) };
}

export interface ServerHello {
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  extensions?: Extension[];
}

export function encodeServerHello(m: ServerHello): Uint8Array {
  return encodeHandshake(
    HandshakeType.server_hello,
    concat(u16(m.version), m.random, vec8(m.sessionId), u16(m.cipherSuite), u8(m.compressionMethod), encodeExtensions(m.extensions)),
  );
}

export function decodeServerHello(body: Uint8Array): ServerHello {
  const r = new Reader(body, 'ServerHello');
  const version = r.u16('server_version');
  const random = r.bytes(32, 'random');
  const sessionId = r.vec8('session_id');
  if (sessionId.length > 32) throw fatal('illegal_parameter', `ServerHello: session_id of ${sessionId.length} bytes > 32`);
  const cipherSuite = r.u16('cipher_suite');
  const compressionMethod = r.u8('compression_method');
  const extensions = decodeExtensions(r, 'ServerHello');
  return { version, random, sessionId, cipherSuite, compressionMethod, ...(extensions ? { extensions } : {}) };
}

export function encodeCertificate(chain: Uint8Array[]): Uint8Array {
  return encodeHandshake(HandshakeType.certificate, vec24(concat(...chain.map(vec24))));
}

export function decodeCertificate(body: Uint8Array): Uint8Array[] {
  const r = new Reader(body, 'Certificate');
  const list = new Reader(r.vec24('certificate_list'), 'Certificate list');
  r.end();
  const out: Uint8Array[] = [];
  while (list.remaining > 0) {
    const der = list.vec24(`certificate ${out.length}`);
    if (der.length === 0) throw fatal('decode_error', `Certificate: certificate ${out.length} is empty`);
    out.push(der);
  }
  return out;
}

/** ServerECDHEParams: curve_type(3) ‖ named_curve u16 ‖ point<1..255> (65-byte uncompressed SM2 point). */
export interface EcdheParams {
  curveType: number;
  namedCurve: number;
  point: Uint8Array;
}

export function encodeEcdheParams(p: EcdheParams): Uint8Array {
  return concat(u8(p.curveType), u16(p.namedCurve), vec8(p.point));
}

export function decodeEcdheParams(r: Reader): EcdheParams {
  const curveType = r.u8('curve_type');
  if (curveType !== CURVE_TYPE_NAMED) throw fatal('illegal_parameter', `ECDHE params: curve_type ${curveType}, expected named_curve(3)`);
  const namedCurve = r.u16('named_curve');
  const point = r.vec8('ec point');
  if (point.length !== 65 || point[0] !== 0x04) {
    throw fatal('illegal_parameter', `ECDHE params: point must be 65 bytes uncompressed (04‖X‖Y), got ${point.length} bytes starting ${point[0] ?? '-'}`);
  }
  return { curveType, namedCurve, point };
}

export function sm2EcdheParams(point: Uint8Array): EcdheParams {
  return { curveType: CURVE_TYPE_NAMED, namedCurve: CURVE_SM2, point };
}

export interface ServerKeyExchange {
  /** present for ECDHE suites only */
  params?: EcdheParams;
  /** the params exactly as received (signed bytes) */
  paramsRaw?: Uint8Array;
  signature: Uint8Array;
}

export function encodeServerKeyExchange(m: { params?: EcdheParams; signature: Uint8Array }): Uint8Array {
  return encodeHandshake(
    HandshakeType.server_key_exchange,
    concat(m.params ? encodeEcdheParams(m.params) : new Uint8Array(0), vec16(m.signature)),
  );
}

export function decodeServerKeyExchange(body: Uint8Array, kx: KeyExchangeKind): ServerKeyExchange {
  const r = new Reader(body, 'ServerKeyExchange');
  let params: EcdheParams | undefined;
  let paramsRaw: Uint8Array | undefined;
  if (kx === 'ECDHE') {
    params = decodeEcdheParams(r);
    paramsRaw = body.subarray(0, r.offset);
  }
  const signature = r.vec16('signature');
  r.end();
  if (signature.length === 0) throw fatal('decode_error', 'ServerKeyExchange: empty signature');
  return { ...(params ? { params, paramsRaw: paramsRaw! } : {}), signature };
}

export interface CertificateRequest {
  certificateTypes: number[];
  /** DER DistinguishedNames */
  authorities: Uint8Array[];
}

export function encodeCertificateRequest(m: CertificateRequest): Uint8Array {
  return encodeHandshake(
    HandshakeType.certificate_request,
    concat(vec8(Uint8Array.from(m.certificateTypes)), vec16(concat(...m.authorities.map(vec16)))),
  );
}

export function decodeCertificateRequest(body: Uint8Array): CertificateRequest {
  const r = new Reader(body, 'CertificateRequest');
  const types = r.vec8('certificate_types');
  const names = new Reader(r.vec16('certificate_authorities'), 'CertificateRequest authorities');
  r.end();
  const authorities: Uint8Array[] = [];
  while (names.remaining > 0) authorities.push(names.vec16('distinguished name'));
  return { certificateTypes: [...types], authorities };
}

export function encodeServerHelloDone(): Uint8Array {
  return encodeHandshake(HandshakeType.server_hello_done, new Uint8Array(0));
}

export function decodeEmpty(body: Uint8Array, what: string): void {
  if (body.length !== 0) throw fatal('decode_error', `${what}: body must be empty, got ${body.length} bytes`);
}

/** ECC ClientKeyExchange: u16-prefixed GM/T 0009 SM2 ciphertext DER. */
export function encodeEccClientKeyExchange(sm2CiphertextDer: Uint8Array): Uint8Array {
  return encodeHandshake(HandshakeType.client_key_exchange, vec16(sm2CiphertextDer));
}

export function decodeEccClientKeyExchange(body: Uint8Array): Uint8Array {
  const r = new Reader(body, 'ClientKeyExchange');
  const ct = r.vec16('encrypted_pre_master_secret');
  r.end();
  return ct;
}

/** D1 of the digest: 'bare' = 69-byte ClientECDHEParams (Tongsuo), 'vector' = u16-prefixed 71 bytes (GmSSL). */
export type EcdheCkeFormat = 'bare' | 'vector';

export function encodeEcdheClientKeyExchange(point: Uint8Array, format: EcdheCkeFormat): Uint8Array {
  const params = encodeEcdheParams(sm2EcdheParams(point));
  return encodeHandshake(HandshakeType.client_key_exchange, format === 'vector' ? vec16(params) : params);
}

export function decodeEcdheClientKeyExchange(body: Uint8Array): { params: EcdheParams; format: EcdheCkeFormat } {
  let format: EcdheCkeFormat = 'bare';
  let inner = body;
  if (body.length >= 2 && body[0] !== CURVE_TYPE_NAMED && ((body[0]! << 8) | body[1]!) === body.length - 2) {
    format = 'vector';
    inner = body.subarray(2);
  }
  const r = new Reader(inner, 'ClientKeyExchange (ECDHE)');
  const params = decodeEcdheParams(r);
  r.end();
  return { params, format };
}

export function encodeDigitallySigned(type: number, signature: Uint8Array): Uint8Array {
  return encodeHandshake(type, vec16(signature));
}

export function decodeCertificateVerify(body: Uint8Array): Uint8Array {
  const r = new Reader(body, 'CertificateVerify');
  const sig = r.vec16('signature');
  r.end();
  if (sig.length === 0) throw fatal('decode_error', 'CertificateVerify: empty signature');
  return sig;
}

export function encodeFinished(verifyData: Uint8Array): Uint8Array {
  return encodeHandshake(HandshakeType.finished, verifyData);
}

export function decodeFinished(body: Uint8Array): Uint8Array {
  if (body.length !== 12) throw fatal('decode_error', `Finished: verify_data must be 12 bytes, got ${body.length}`);
  return body;
}

export interface NewSessionTicket {
  lifetimeHint: number;
  ticket: Uint8Array;
}

export function decodeNewSessionTicket(body: Uint8Array): NewSessionTicket {
  const r = new Reader(body, 'NewSessionTicket');
  const lifetimeHint = (r.u16('lifetime hint') * 65536) + r.u16('lifetime hint');
  const ticket = r.vec16('ticket');
  r.end();
  return { lifetimeHint, ticket };
}

/** One-line decoded summary of a handshake message for transcripts; never throws. */
export function summarizeHandshake(msg: HandshakeMessage, kx?: KeyExchangeKind): string {
  const name = HANDSHAKE_NAMES[msg.type] ?? `handshake(${msg.type})`;
  try {
    switch (msg.type) {
      case HandshakeType.client_hello: {
        const m = decodeClientHello(msg.body);
        return `${name} version=${m.version.toString(16).padStart(4, '0')} session_id=${toHex(m.sessionId) || '-'} suites=[${m.cipherSuites.map(suiteName).join(',')}] compression=[${m.compressionMethods}] extensions=${m.extensions ? `[${m.extensions.map((e) => e.type)}]` : 'none'}`;
      }
      case HandshakeType.server_hello: {
        const m = decodeServerHello(msg.body);
        return `${name} version=${m.version.toString(16).padStart(4, '0')} session_id=${toHex(m.sessionId) || '-'} suite=${suiteName(m.cipherSuite)} extensions=${m.extensions ? `[${m.extensions.map((e) => e.type)}]` : 'none'}`;
      }
      case HandshakeType.certificate:
        return `${name} certificates=[${decodeCertificate(msg.body).map((c) => c.length)}] (DER lengths)`;
      case HandshakeType.server_key_exchange: {
        const m = decodeServerKeyExchange(msg.body, kx ?? 'ECC');
        return `${name}${m.params ? ` curve=${m.params.namedCurve} point=${toHex(m.params.point).slice(0, 18)}…` : ''} signature=${m.signature.length}B`;
      }
      case HandshakeType.certificate_request: {
        const m = decodeCertificateRequest(msg.body);
        return `${name} types=[${m.certificateTypes}] authorities=${m.authorities.length}`;
      }
      case HandshakeType.client_key_exchange:
        return `${name} ${msg.body.length}B body${kx === 'ECDHE' ? ` (${msg.body.length === 69 ? 'bare 69-byte' : msg.body.length === 71 ? 'u16-prefixed 71-byte' : 'unexpected length'} ECDHE params)` : ''}`;
      case HandshakeType.certificate_verify:
        return `${name} signature=${decodeCertificateVerify(msg.body).length}B`;
      case HandshakeType.finished:
        return `${name} verify_data=${toHex(msg.body)}`;
      default:
        return `${name} ${msg.body.length}B`;
    }
  } catch (e) {
    return `${name} (undecodable: ${(e as Error).message})`;
  }
}
