/**
 * Sans-I/O TLCP state machine for both roles. Bytes in (`receive`), events out ('write', 'data', 'handshake',
 * 'alert', 'close'). Everything runs synchronously, so a fuzzer or a socket wrapper drives it the same way.
 * Bad peer input never escapes as an exception: it becomes a fatal alert sent to the peer and a 'close' event.
 */
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import {
  sm2Decrypt, sm2Encrypt, sm2GenerateKeyPair, sm2KeyExchange, sm2Sign, sm2Verify, sm3, timingSafeEqualBytes,
  SM2_DEFAULT_ID, type Sm2KeyPair,
} from '../gm/index.ts';
import { bytesEqual, concat, toHex, u24 } from './bytes.ts';
import { hasKeyUsage, parseCertificate, type TlcpCertificate } from './certs.ts';
import { verifyCertificateChain } from './chain.ts';
import {
  AlertDescription, AlertLevel, CERT_TYPE_ECDSA_SIGN, ContentType, CURVE_SM2, DEFAULT_SUITES, HandshakeType, HANDSHAKE_NAMES,
  MAX_PLAINTEXT, SUITES, TLCP_VERSION, alertName, suiteName, type CipherSuiteInfo,
} from './constants.ts';
import { TlcpAlertError, fatal } from './errors.ts';
import {
  HandshakeReader, decodeCertificate, decodeCertificateRequest, decodeCertificateVerify, decodeClientHello, decodeEccClientKeyExchange,
  decodeEcdheClientKeyExchange, decodeEmpty, decodeFinished, decodeNewSessionTicket, decodeServerHello, decodeServerKeyExchange,
  encodeCertificate, encodeCertificateRequest, encodeClientHello, encodeDigitallySigned, encodeEccClientKeyExchange,
  encodeEcdheClientKeyExchange, encodeEcdheParams, encodeFinished, encodeServerHello, encodeServerHelloDone, encodeServerKeyExchange,
  sm2EcdheParams, summarizeHandshake, type EcdheCkeFormat, type EcdheParams, type Extension, type HandshakeMessage,
} from './messages.ts';
import { computeVerifyData, deriveKeyBlock, deriveMasterSecret } from './prf.ts';
import { RecordReader, createProtection, encodeRecord, type RecordProtection } from './record.ts';
import type { TlcpSession, TlcpSessionCache } from './session.ts';

export type Role = 'client' | 'server';
export type CertVerifyForm = 'hash' | 'raw';

/** A double certificate: signing pair first, encryption pair second (wire order), then optional CA certificates. */
export interface TlcpCredentials {
  signCert: Uint8Array;
  signKey: Sm2KeyPair;
  encCert: Uint8Array;
  encKey: Sm2KeyPair;
  /** CA certificates sent after the pair */
  chain?: Uint8Array[];
}

export interface EngineHooks {
  /** rewrite (or drop with null) an outgoing handshake message, header included, before it enters the transcript */
  outgoingHandshake?(type: number, raw: Uint8Array): Uint8Array | null;
  /** rewrite (or drop with null) an outgoing record as it goes on the wire, after protection */
  outgoingRecord?(type: number, wire: Uint8Array): Uint8Array | null;
}

export interface EngineOptions {
  role: Role;
  /** client: suites offered, in order (any 16-bit values, for probing); server: suites accepted, in preference order */
  suites?: number[];
  /** SM2 user ID for every signature and both Z values of the key exchange (default "1234567812345678") */
  sm2Id?: Uint8Array | string;
  /** keep a transcript of records and messages (evidence); default true */
  transcript?: boolean;
  hooks?: EngineHooks;
  /** verification time for certificate validity (tests pin it) */
  verifyAt?: Date;
  /** pins this side's hello random (replaying recorded flights in tests and fuzzing only; never in production) */
  fixedRandom?: Uint8Array;

  // client
  /** double certificate for client authentication and ECDHE */
  clientCredentials?: TlcpCredentials;
  /** trust anchors; when given, the server's sign and enc certificates must chain to one */
  trustedCerts?: Uint8Array[];
  /** when set, a server_name extension is sent (by default the ClientHello has no extensions, digest D4) */
  serverName?: string;
  /** raw extensions to send (probing); replaces the default */
  extensions?: Extension[];
  /** resume this session */
  session?: TlcpSession;
  /** D1: 69-byte bare params (default) or the 71-byte u16-prefixed form */
  ecdheCkeFormat?: EcdheCkeFormat;
  /**
   * Certificates sent for client authentication in ECC suites: 'sign' = [sign, CA…] (default; accepted by GmSSL
   * 3.3-dev, which rejects a double list as a broken chain, and by Tongsuo), 'double' = [sign, enc, CA…] (Tongsuo's
   * own choice). ECDHE always sends the double certificate.
   */
  eccClientCertChain?: 'sign' | 'double';
  /** D2: sign SM3(handshake_messages) (default) or the raw messages */
  certVerifyForm?: CertVerifyForm;
  /** client_version in ClientHello (probing); default 0x0101 */
  clientVersion?: number;
  /** compression methods offered (probing); default [0] */
  compressionMethods?: number[];

  // server
  serverCredentials?: TlcpCredentials;
  /** CA certificates that client certificates must chain to; their subjects are sent in CertificateRequest */
  caCerts?: Uint8Array[];
  requestClientCert?: boolean;
  requireClientCert?: boolean;
  sessionCache?: TlcpSessionCache;

  /**
   * Client: deviations recorded in `findings` instead of aborting, so a probe (or an evaluation transport) can
   * complete the handshake and observe the rest; the deviation is judged elsewhere.
   */
  tolerate?: { serverKeyExchangeSignature?: boolean };
  /** Server: deliberate non-conformances, used only to give the reference platform its named defects. */
  nonConformance?: NonConformance;
}

export interface NonConformance {
  /** foreign suite ids the server also selects, mapped to the GM suite that really runs (e.g. 0x002f → 0xe013) */
  aliasSuites?: Record<number, number>;
  /** the client's Finished is not compared with the expected verify_data */
  skipFinishedCheck?: boolean;
  /** every protected record the server sends carries the same CBC IV / GCM explicit nonce (all zero) */
  staticIv?: boolean;
  /** SM2 user ID for the ServerKeyExchange signature instead of the agreed one */
  skeSignId?: string;
}

export interface Negotiated {
  version: number;
  suite: number;
  suiteName: string;
  sessionId: string;
  resumed: boolean;
  /** DER, in the order the peer sent them */
  peerCertificates: Uint8Array[];
  /** server: which CertificateVerify form the client used (D2); client: the form we sent; null without client auth */
  clientAuthForm: CertVerifyForm | null;
  /** ECDHE: ClientKeyExchange encoding seen (server) or sent (client), D1 */
  ecdheCkeFormat: EcdheCkeFormat | null;
  /** ECDHE: named curve id in the server's params (41 expected; other values are accepted for SM2 and reported) */
  ecdheCurveId: number | null;
  /** whether the peer's certificates were verified against trust anchors */
  peerVerified: boolean;
}

export interface TranscriptEntry {
  /** milliseconds since the engine started */
  t: number;
  dir: 'in' | 'out';
  kind: 'record' | 'handshake' | 'note';
  /** content type for records, handshake type for messages */
  type: number;
  /** wire bytes (records) or message bytes; application data is cut at 64 bytes */
  hex: string;
  summary: string;
}

export type CloseCause =
  | { kind: 'close_notify' }
  | { kind: 'alert_sent'; error: TlcpAlertError }
  | { kind: 'alert_received'; error: TlcpAlertError }
  | { kind: 'plaintext_alert_after_ccs'; error: TlcpAlertError }
  | { kind: 'local' };

type State =
  | 'start' | 'wait_sh' | 'wait_cert' | 'wait_ske' | 'wait_cr_or_shd' | 'wait_shd'
  | 'wait_ch' | 'wait_client_cert' | 'wait_cke' | 'wait_cv'
  | 'wait_ccs' | 'wait_finished' | 'established' | 'closed';

export interface TlcpEngineEvents {
  write: [Uint8Array];
  data: [Uint8Array];
  handshake: [Negotiated];
  alert: [{ level: number; description: number; name: string }];
  close: [CloseCause];
}

export class TlcpEngine extends EventEmitter<TlcpEngineEvents> {
  readonly role: Role;
  readonly transcript: TranscriptEntry[] = [];
  /** notes on peer behaviour worth reporting (plaintext alert after CCS, curve id, empty records …) */
  readonly findings: string[] = [];
  negotiated: Negotiated | null = null;
  /** the session to resume later (client) or stored in the cache (server); empty id = not resumable */
  session: TlcpSession | null = null;
  closeCause: CloseCause | null = null;

  private state: State;
  private readonly opts: EngineOptions;
  private readonly records = new RecordReader();
  private readonly hs = new HandshakeReader();
  private readonly sm2Id: Uint8Array | string;
  private readonly started = Date.now();
  private readonly keepTranscript: boolean;
  private out: Uint8Array[] = [];
  private readProt: RecordProtection | null = null;
  private writeProt: RecordProtection | null = null;
  private pendingRead: RecordProtection | null = null;
  private pendingWrite: RecordProtection | null = null;
  private messages: Uint8Array[] = [];
  private suite: CipherSuiteInfo | null = null;
  private clientRandom = new Uint8Array(0);
  private serverRandom = new Uint8Array(0);
  private sessionId = new Uint8Array(0);
  private master: Uint8Array | null = null;
  private resumed = false;
  private peerCerts: Uint8Array[] = [];
  private peerParsed: TlcpCertificate[] = [];
  private peerVerified = false;
  private offeredSuites: number[] = [];
  private certRequested = false;
  private clientAuthForm: CertVerifyForm | null = null;
  private ckeFormat: EcdheCkeFormat | null = null;
  private curveId: number | null = null;
  private serverEphemeral: Sm2KeyPair | null = null;
  private serverEcdhePoint: Uint8Array | null = null;
  private writeClosed = false;
  private sentClientCert = false;
  private processing = false;

  constructor(opts: EngineOptions) {
    super();
    this.opts = opts;
    this.role = opts.role;
    this.state = opts.role === 'client' ? 'start' : 'wait_ch';
    this.sm2Id = opts.sm2Id ?? SM2_DEFAULT_ID;
    this.keepTranscript = opts.transcript ?? true;
    if (opts.role === 'server' && !opts.serverCredentials) throw new TypeError('TLCP server needs serverCredentials');
  }

  get handshakeComplete(): boolean {
    return this.state === 'established';
  }
  get closed(): boolean {
    return this.state === 'closed';
  }
  /** bytes of an incomplete record held at the end of the stream (a truncated record if the peer closed) */
  get pendingBytes(): number {
    return this.records.pendingBytes;
  }

  /** Client: sends the ClientHello. */
  start(): void {
    if (this.role !== 'client' || this.state !== 'start') return;
    this.guard(() => this.sendClientHello());
  }

  /** Feeds bytes from the peer. Never throws for bad input. */
  receive(chunk: Uint8Array): void {
    if (this.state === 'closed') return;
    this.records.feed(chunk);
    // An event handler may answer synchronously (two engines wired back to back, a test harness): such a nested
    // call only queues its bytes; the loop already running picks them up, so records are handled strictly in order.
    if (this.processing) return;
    this.processing = true;
    try {
      this.guard(() => {
        for (;;) {
          if (this.state === 'closed') return;
          const rec = this.records.next();
          if (!rec) break;
          this.handleRecord(rec.type, rec.fragment, rec.version);
          // flush per record: what a synchronous peer sends back lands in the reader before the next next()
          this.flush();
        }
      });
    } finally {
      this.processing = false;
    }
  }

  /** Sends application data (split into records of at most 2^14 bytes). */
  write(data: Uint8Array): void {
    if (this.state !== 'established' || this.writeClosed) throw new Error(`TLCP: cannot write application data in state ${this.state}`);
    for (let o = 0; o < data.length; o += MAX_PLAINTEXT) this.queueRecord(ContentType.application_data, data.subarray(o, o + MAX_PLAINTEXT));
    if (data.length === 0) this.queueRecord(ContentType.application_data, data);
    this.flush();
  }

  /** Sends close_notify; the engine then only reads until the peer closes. */
  close(): void {
    if (this.state === 'closed' || this.writeClosed) return;
    this.writeClosed = true;
    this.queueAlert(AlertLevel.warning, AlertDescription.close_notify);
    this.flush();
  }

  /** The transport ended. A partial record left over is reported, not an error of ours. */
  transportClosed(): void {
    if (this.state === 'closed') return;
    if (this.records.pendingBytes > 0) this.note(`transport closed with ${this.records.pendingBytes} bytes of an incomplete record`);
    this.finish({ kind: 'local' });
  }

  /** Sends an alert of our choice (probing and application aborts). A fatal one closes the engine. */
  sendAlert(level: number, description: number): void {
    if (this.state === 'closed') return;
    this.queueAlert(level, description);
    if (level === AlertLevel.fatal) this.finish({ kind: 'alert_sent', error: new TlcpAlertError(level, description, 'sent on request') });
    else this.flush();
  }

  /** Probing: puts an arbitrary record on the wire, protected with the current write state when `protect` is true. */
  sendRawRecord(type: number, payload: Uint8Array, protect = true, version = TLCP_VERSION): void {
    const frag = protect && this.writeProt ? this.writeProt.seal(type, payload) : payload;
    this.emitWire(type, encodeRecord(type, frag, version), payload);
    this.flush();
  }

  /** Probing: puts arbitrary bytes on the wire (truncated records, garbage). */
  sendRawBytes(bytes: Uint8Array): void {
    this.log('out', 'record', -1, bytes, `raw bytes (${bytes.length})`);
    this.emit('write', bytes);
  }

  // ---------------------------------------------------------------- plumbing

  private guard(fn: () => void): void {
    try {
      fn();
      this.flush();
    } catch (e) {
      const err = e instanceof TlcpAlertError ? e : fatal('internal_error', `unexpected failure: ${(e as Error)?.message ?? String(e)}`);
      if (this.state !== 'closed') {
        if (!err.received) {
          try {
            this.queueAlert(err.level, err.description);
          } catch {
            /* the alert itself could not be sealed; close anyway */
          }
        }
        this.finish(err.received ? { kind: 'alert_received', error: err } : { kind: 'alert_sent', error: err });
      }
    }
  }

  /** Closes before anything queued goes out, so a peer answering synchronously finds this engine closed. */
  private finish(cause: CloseCause): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeCause = cause;
    this.flush();
    this.emit('close', cause);
  }

  private note(text: string): void {
    this.findings.push(text);
    this.log('in', 'note', -1, new Uint8Array(0), text);
  }

  private log(dir: 'in' | 'out', kind: TranscriptEntry['kind'], type: number, bytes: Uint8Array, summary: string): void {
    if (!this.keepTranscript) return;
    const cut = kind === 'record' && type === ContentType.application_data && bytes.length > 64;
    this.transcript.push({ t: Date.now() - this.started, dir, kind, type, hex: toHex(cut ? bytes.subarray(0, 64) : bytes) + (cut ? '…' : ''), summary });
  }

  private flush(): void {
    if (this.out.length === 0) return;
    const bytes = this.out.length === 1 ? this.out[0]! : concat(...this.out);
    this.out = [];
    this.emit('write', bytes);
  }

  private emitWire(type: number, wire: Uint8Array, plaintext: Uint8Array): void {
    const w = this.opts.hooks?.outgoingRecord ? this.opts.hooks.outgoingRecord(type, wire) : wire;
    if (!w) return;
    if (this.keepTranscript) this.log('out', 'record', type, w, recordSummary(type, plaintext, this.writeProt !== null));
    this.out.push(w);
  }

  private queueRecord(type: number, plaintext: Uint8Array): void {
    const frag = this.writeProt ? this.writeProt.seal(type, plaintext) : plaintext;
    this.emitWire(type, encodeRecord(type, frag), plaintext);
  }

  private queueAlert(level: number, description: number): void {
    this.queueRecord(ContentType.alert, Uint8Array.of(level, description));
  }

  private sendHandshake(raw: Uint8Array): void {
    const msg = this.opts.hooks?.outgoingHandshake ? this.opts.hooks.outgoingHandshake(raw[0]!, raw) : raw;
    if (!msg) return;
    this.messages.push(msg);
    if (this.keepTranscript) this.log('out', 'handshake', msg[0]!, msg, summarizeHandshake({ type: msg[0]!, body: msg.subarray(4), raw: msg }, this.suite?.kx));
    for (let o = 0; o < msg.length; o += MAX_PLAINTEXT) this.queueRecord(ContentType.handshake, msg.subarray(o, o + MAX_PLAINTEXT));
  }

  private sendChangeCipherSpec(): void {
    this.queueRecord(ContentType.change_cipher_spec, Uint8Array.of(1));
    this.writeProt = this.pendingWrite;
    this.pendingWrite = null;
  }

  private sendFinished(): void {
    const vd = computeVerifyData(this.master!, this.role, this.messages);
    this.sendHandshake(encodeFinished(vd));
  }

  // ---------------------------------------------------------------- record dispatch

  private handleRecord(type: number, fragment: Uint8Array, version: number): void {
    let plaintext: Uint8Array;
    if (this.readProt) {
      if (type === ContentType.alert && fragment.length === 2) {
        // GmSSL 3.1.1 sends its final alert unencrypted after CCS (digest §2); a protected record is never 2 bytes.
        const err = new TlcpAlertError(fragment[0]!, fragment[1]!, 'unencrypted alert after ChangeCipherSpec', true);
        this.log('in', 'record', type, encodeRecord(type, fragment, version), `plaintext alert after CCS: level=${fragment[0]} ${alertName(fragment[1]!)}`);
        this.note(`peer sent an unencrypted alert after ChangeCipherSpec (${alertName(fragment[1]!)})`);
        this.emit('alert', { level: err.level, description: err.description, name: err.descriptionName });
        this.finish({ kind: 'plaintext_alert_after_ccs', error: err });
        return;
      }
      plaintext = this.readProt.open(type, fragment);
    } else {
      if (fragment.length > MAX_PLAINTEXT) throw fatal('record_overflow', `plaintext record of ${fragment.length} bytes`);
      plaintext = fragment;
    }
    if (this.keepTranscript) this.log('in', 'record', type, encodeRecord(type, fragment, version), recordSummary(type, plaintext, this.readProt !== null));
    switch (type) {
      case ContentType.alert:
        return this.handleAlert(plaintext);
      case ContentType.change_cipher_spec:
        return this.handleCcs(plaintext);
      case ContentType.handshake:
        if (plaintext.length === 0) throw fatal('unexpected_message', 'empty handshake record');
        this.hs.feed(plaintext);
        for (let m = this.hs.next(); m; m = this.hs.next()) {
          if (this.state === 'closed') return;
          this.handleHandshake(m);
        }
        return;
      case ContentType.application_data:
        if (this.state !== 'established') throw fatal('unexpected_message', `application data before the handshake completed (state ${this.state})`);
        if (plaintext.length === 0) {
          if (!this.findings.includes('peer sends empty application_data records')) this.note('peer sends empty application_data records');
          return;
        }
        this.emit('data', plaintext);
        return;
      default:
        throw fatal('unexpected_message', `record of content type ${type}`);
    }
  }

  private handleAlert(p: Uint8Array): void {
    if (p.length !== 2) throw fatal('decode_error', `alert record of ${p.length} bytes`);
    const [level, description] = [p[0]!, p[1]!];
    this.emit('alert', { level, description, name: alertName(description) });
    if (description === AlertDescription.close_notify) {
      if (!this.writeClosed && this.state !== 'closed') {
        this.writeClosed = true;
        this.queueAlert(AlertLevel.warning, AlertDescription.close_notify);
      }
      this.finish({ kind: 'close_notify' });
      return;
    }
    if (level === AlertLevel.warning) {
      this.note(`peer sent warning alert ${alertName(description)}`);
      return;
    }
    throw new TlcpAlertError(level, description, 'alert from peer', true);
  }

  private handleCcs(p: Uint8Array): void {
    if (p.length !== 1 || p[0] !== 1) throw fatal('decode_error', 'ChangeCipherSpec must be the single byte 01');
    if (this.state !== 'wait_ccs' || !this.pendingRead) throw fatal('unexpected_message', `ChangeCipherSpec in state ${this.state}`);
    if (this.hs.pendingBytes) throw fatal('unexpected_message', 'ChangeCipherSpec inside a fragmented handshake message');
    this.readProt = this.pendingRead;
    this.pendingRead = null;
    this.state = 'wait_finished';
  }

  private handleHandshake(m: HandshakeMessage): void {
    if (this.keepTranscript) this.log('in', 'handshake', m.type, m.raw, summarizeHandshake(m, this.suite?.kx));
    if (this.state === 'established') {
      if (this.role === 'server' && m.type === HandshakeType.client_hello) {
        // D5: TLCP has no renegotiation; refuse politely and keep the connection.
        this.note('peer attempted renegotiation (ClientHello after the handshake)');
        this.queueAlert(AlertLevel.warning, AlertDescription.no_renegotiation);
        return;
      }
      throw fatal('unexpected_message', `${HANDSHAKE_NAMES[m.type] ?? m.type} after the handshake`);
    }
    if (this.role === 'client') this.clientHandshake(m);
    else this.serverHandshake(m);
  }

  private unexpected(m: HandshakeMessage): never {
    throw fatal('unexpected_message', `${HANDSHAKE_NAMES[m.type] ?? `handshake type ${m.type}`} in state ${this.state}`);
  }

  // ---------------------------------------------------------------- key schedule

  private installKeys(): void {
    const kb = deriveKeyBlock(this.master!, this.clientRandom, this.serverRandom, this.suite!);
    const client = createProtection(this.suite!, { macKey: kb.clientMacKey, key: kb.clientKey, iv: kb.clientIv });
    const staticIv = this.role === 'server' && !!this.opts.nonConformance?.staticIv;
    const server = createProtection(this.suite!, { macKey: kb.serverMacKey, key: kb.serverKey, iv: kb.serverIv }, staticIv);
    this.pendingWrite = this.role === 'client' ? client : server;
    this.pendingRead = this.role === 'client' ? server : client;
  }

  private checkFinished(m: HandshakeMessage): void {
    if (m.type !== HandshakeType.finished) this.unexpected(m);
    const got = decodeFinished(m.body);
    const peer = this.role === 'client' ? 'server' : 'client';
    const expected = computeVerifyData(this.master!, peer, this.messages);
    const skip = this.role === 'server' && this.opts.nonConformance?.skipFinishedCheck;
    if (!skip && !timingSafeEqualBytes(expected, got)) throw fatal('decrypt_error', `${peer} Finished verify_data does not match`);
    this.messages.push(m.raw);
  }

  private complete(): void {
    this.state = 'established';
    this.negotiated = {
      version: TLCP_VERSION,
      suite: this.suite!.id,
      suiteName: this.suite!.name,
      sessionId: toHex(this.sessionId),
      resumed: this.resumed,
      peerCertificates: this.peerCerts,
      clientAuthForm: this.clientAuthForm,
      ecdheCkeFormat: this.ckeFormat,
      ecdheCurveId: this.curveId,
      peerVerified: this.peerVerified,
    };
    this.session = { id: this.sessionId, masterSecret: this.master!, suite: this.suite!.id, peerCertificates: this.peerCerts, createdAt: Date.now() };
    if (this.role === 'server' && this.sessionId.length && !this.resumed) this.opts.sessionCache?.set(this.session);
    this.messages = [];
    this.flush();
    this.emit('handshake', this.negotiated);
  }

  private verifyPeerCerts(certs: TlcpCertificate[], anchors: Uint8Array[] | undefined, all: Uint8Array[], who: string): void {
    if (!anchors || anchors.length === 0) return;
    const at = this.opts.verifyAt ?? new Date();
    for (const c of certs) {
      const problem = verifyCertificateChain(c, all, anchors, at, this.sm2Id);
      if (problem) throw fatal(problem.alert, `${who} certificate ${c.subject}: ${problem.reason}`);
    }
    this.peerVerified = true;
  }

  private sign(key: Sm2KeyPair, msg: Uint8Array, id: Uint8Array | string = this.sm2Id): Uint8Array {
    return sm2Sign(key.privateKey, msg, { id, format: 'der', publicKey: key.publicKey });
  }

  private verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean {
    try {
      return sm2Verify(pub, msg, sig, { id: this.sm2Id }) === true;
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------- client

  private sendClientHello(): void {
    const o = this.opts;
    this.clientRandom = new Uint8Array(o.fixedRandom ?? randomBytes(32));
    const creds = o.clientCredentials;
    this.offeredSuites = o.suites ?? DEFAULT_SUITES.filter((s) => creds || SUITES[s]!.kx === 'ECC');
    let extensions = o.extensions;
    if (!extensions && o.serverName) {
      const name = new TextEncoder().encode(o.serverName);
      extensions = [{ type: 0, data: concat(Uint8Array.of(0, name.length + 3, 0), Uint8Array.of(name.length >> 8, name.length & 0xff), name) }];
    }
    const sessionId = o.session?.id ?? new Uint8Array(0);
    this.sendHandshake(encodeClientHello({
      version: o.clientVersion ?? TLCP_VERSION,
      random: this.clientRandom,
      sessionId,
      cipherSuites: this.offeredSuites,
      compressionMethods: o.compressionMethods ?? [0],
      ...(extensions ? { extensions } : {}),
    }));
    this.state = 'wait_sh';
  }

  private clientHandshake(m: HandshakeMessage): void {
    switch (this.state) {
      case 'wait_sh': {
        if (m.type !== HandshakeType.server_hello) this.unexpected(m);
        const sh = decodeServerHello(m.body);
        if (sh.version !== TLCP_VERSION) throw fatal('protocol_version', `server_version 0x${sh.version.toString(16).padStart(4, '0')}`);
        if (!this.offeredSuites.includes(sh.cipherSuite) || !SUITES[sh.cipherSuite]) {
          throw fatal('illegal_parameter', `server chose ${suiteName(sh.cipherSuite)}, which was not offered or is not supported`);
        }
        if (sh.compressionMethod !== 0) throw fatal('illegal_parameter', `server chose compression ${sh.compressionMethod}`);
        this.messages.push(m.raw);
        this.suite = SUITES[sh.cipherSuite]!;
        this.serverRandom = new Uint8Array(sh.random);
        this.sessionId = new Uint8Array(sh.sessionId);
        const s = this.opts.session;
        if (s && s.id.length > 0 && bytesEqual(s.id, sh.sessionId)) {
          if (s.suite !== sh.cipherSuite) throw fatal('illegal_parameter', 'resumed session with a different cipher suite');
          this.resumed = true;
          this.master = s.masterSecret;
          this.peerCerts = s.peerCertificates;
          this.installKeys();
          this.state = 'wait_ccs';
          return;
        }
        if (this.suite.kx === 'ECDHE' && !this.opts.clientCredentials) {
          throw fatal('handshake_failure', 'server chose an ECDHE suite, which needs a client double certificate');
        }
        this.state = 'wait_cert';
        return;
      }
      case 'wait_cert': {
        if (m.type !== HandshakeType.certificate) this.unexpected(m);
        const certs = decodeCertificate(m.body);
        if (certs.length < 2) throw fatal('bad_certificate', `server sent ${certs.length} certificate(s); TLCP needs signing and encryption certificates`);
        this.peerCerts = certs;
        this.peerParsed = certs.slice(0, 2).map(parseCertificate);
        for (const c of this.peerParsed) if (!c.isSm2) throw fatal('unsupported_certificate', `server certificate ${c.subject} is not an SM2 key`);
        // Reported, not enforced: a probe must be able to complete the handshake to observe the rest.
        if (!hasKeyUsage(this.peerParsed[0]!, 'digitalSignature')) this.note('server signing certificate does not allow digitalSignature');
        if (!(['keyEncipherment', 'dataEncipherment', 'keyAgreement'] as const).some((u) => hasKeyUsage(this.peerParsed[1]!, u))) {
          this.note('server encryption certificate allows neither keyEncipherment, dataEncipherment nor keyAgreement');
        }
        if (bytesEqual(this.peerParsed[0]!.publicKey, this.peerParsed[1]!.publicKey)) this.note('server signing and encryption certificates carry the same key');
        this.verifyPeerCerts(this.peerParsed, this.opts.trustedCerts, certs, 'server');
        this.messages.push(m.raw);
        this.state = 'wait_ske';
        return;
      }
      case 'wait_ske': {
        if (m.type !== HandshakeType.server_key_exchange) this.unexpected(m);
        const ske = decodeServerKeyExchange(m.body, this.suite!.kx);
        const [sign] = this.peerParsed;
        let signed: Uint8Array;
        if (this.suite!.kx === 'ECC') {
          const enc = this.peerCerts[1]!;
          signed = concat(this.clientRandom, this.serverRandom, u24(enc.length), enc);
        } else {
          signed = concat(this.clientRandom, this.serverRandom, ske.paramsRaw!);
          this.curveId = ske.params!.namedCurve;
          if (this.curveId !== CURVE_SM2) this.note(`server ECDHE params name curve ${this.curveId}, not curveSM2 (41)`);
          this.serverEcdhePoint = ske.params!.point;
        }
        if (!this.verify(sign!.publicKey, signed, ske.signature)) {
          if (!this.opts.tolerate?.serverKeyExchangeSignature) throw fatal('decrypt_error', 'ServerKeyExchange signature does not verify with the signing certificate');
          this.note('ServerKeyExchange signature does not verify with the signing certificate (tolerated)');
        }
        this.messages.push(m.raw);
        this.state = 'wait_cr_or_shd';
        return;
      }
      case 'wait_cr_or_shd':
        if (m.type === HandshakeType.certificate_request) {
          const cr = decodeCertificateRequest(m.body);
          if (cr.certificateTypes.length === 0) throw fatal('decode_error', 'CertificateRequest without certificate types');
          this.certRequested = true;
          this.messages.push(m.raw);
          this.state = 'wait_shd';
          return;
        }
        return this.onServerHelloDone(m);
      case 'wait_shd':
        return this.onServerHelloDone(m);
      case 'wait_ccs':
        if (m.type === HandshakeType.new_session_ticket && !this.resumed) {
          decodeNewSessionTicket(m.body);
          this.note('server sent NewSessionTicket although no ticket was offered');
          this.messages.push(m.raw);
          return;
        }
        this.unexpected(m);
      // eslint-disable-next-line no-fallthrough
      case 'wait_finished':
        this.checkFinished(m);
        if (this.resumed) {
          this.sendChangeCipherSpec();
          this.sendFinished();
        }
        this.complete();
        return;
      default:
        this.unexpected(m);
    }
  }

  private onServerHelloDone(m: HandshakeMessage): void {
    if (m.type !== HandshakeType.server_hello_done) this.unexpected(m);
    decodeEmpty(m.body, 'ServerHelloDone');
    this.messages.push(m.raw);
    this.sendClientFlight();
  }

  private sendClientFlight(): void {
    const suite = this.suite!;
    const creds = this.opts.clientCredentials;
    if (suite.kx === 'ECDHE' && !this.certRequested) throw fatal('handshake_failure', 'ECDHE server sent no CertificateRequest; the SM2 key exchange needs client certificates');
    if (this.certRequested) {
      const double = suite.kx === 'ECDHE' || this.opts.eccClientCertChain === 'double';
      this.sendHandshake(encodeCertificate(creds ? [creds.signCert, ...(double ? [creds.encCert] : []), ...(creds.chain ?? [])] : []));
      this.sentClientCert = !!creds;
    }
    let preMaster: Uint8Array;
    const encPub = this.peerParsed[1]!.publicKey;
    if (suite.kx === 'ECC') {
      preMaster = concat(Uint8Array.of(0x01, 0x01), randomBytes(46));
      let ct: Uint8Array;
      try {
        ct = sm2Encrypt(encPub, preMaster, { format: 'der' });
      } catch (e) {
        throw fatal('bad_certificate', `cannot encrypt to the server encryption certificate's key (${(e as Error).message})`);
      }
      this.sendHandshake(encodeEccClientKeyExchange(ct));
    } else {
      const eph = sm2GenerateKeyPair();
      let kx: { key: Uint8Array };
      try {
        kx = sm2KeyExchange({
          role: 'responder', selfId: this.sm2Id, selfStatic: creds!.encKey, selfEphemeral: eph, peerId: this.sm2Id,
          peerStaticPublic: encPub, peerEphemeralPublic: this.serverEcdhePoint!, klen: 48,
        });
      } catch (e) {
        throw fatal('illegal_parameter', `SM2 key exchange with the server's ECDHE point failed (${(e as Error).message})`);
      }
      preMaster = kx.key;
      this.ckeFormat = this.opts.ecdheCkeFormat ?? 'bare';
      this.sendHandshake(encodeEcdheClientKeyExchange(eph.publicKey, this.ckeFormat));
    }
    if (this.sentClientCert) {
      const form = this.opts.certVerifyForm ?? 'hash';
      const transcript = concat(...this.messages);
      this.clientAuthForm = form;
      this.sendHandshake(encodeDigitallySigned(HandshakeType.certificate_verify, this.sign(creds!.signKey, form === 'hash' ? sm3(transcript) : transcript)));
    }
    this.master = deriveMasterSecret(preMaster, this.clientRandom, this.serverRandom);
    preMaster.fill(0);
    this.installKeys();
    this.sendChangeCipherSpec();
    this.sendFinished();
    this.state = 'wait_ccs';
  }

  // ---------------------------------------------------------------- server

  private serverHandshake(m: HandshakeMessage): void {
    switch (this.state) {
      case 'wait_ch':
        if (m.type !== HandshakeType.client_hello) this.unexpected(m);
        return this.onClientHello(m);
      case 'wait_client_cert':
        if (m.type === HandshakeType.certificate) return this.onClientCertificate(m);
        if (m.type === HandshakeType.client_key_exchange && !this.clientCertMandatory()) {
          this.note('client ignored CertificateRequest (no Certificate message)');
          this.state = 'wait_cke';
          return this.onClientKeyExchange(m);
        }
        if (m.type === HandshakeType.client_key_exchange) throw fatal('handshake_failure', 'client certificate required but none sent');
        this.unexpected(m);
      // eslint-disable-next-line no-fallthrough
      case 'wait_cke':
        if (m.type !== HandshakeType.client_key_exchange) this.unexpected(m);
        return this.onClientKeyExchange(m);
      case 'wait_cv':
        if (m.type !== HandshakeType.certificate_verify) this.unexpected(m);
        return this.onCertificateVerify(m);
      case 'wait_finished':
        this.checkFinished(m);
        if (!this.resumed) {
          this.sendChangeCipherSpec();
          this.sendFinished();
        }
        this.complete();
        return;
      default:
        this.unexpected(m);
    }
  }

  private clientCertMandatory(): boolean {
    return this.suite!.kx === 'ECDHE' || !!this.opts.requireClientCert;
  }

  private onClientHello(m: HandshakeMessage): void {
    const ch = decodeClientHello(m.body);
    if (ch.version !== TLCP_VERSION) throw fatal('protocol_version', `client_version 0x${ch.version.toString(16).padStart(4, '0')}; only TLCP 0x0101 is served`);
    if (!ch.compressionMethods.includes(0)) throw fatal('handshake_failure', 'client does not offer null compression');
    const mine = this.opts.suites ?? DEFAULT_SUITES;
    const alias = this.opts.nonConformance?.aliasSuites ?? {};
    const chosen = mine.find((s) => (SUITES[s] || SUITES[alias[s] ?? -1]) && ch.cipherSuites.includes(s));
    if (chosen === undefined) {
      throw fatal('handshake_failure', `no common cipher suite (client offered ${ch.cipherSuites.map(suiteName).join(', ')})`);
    }
    this.messages.push(m.raw);
    this.clientRandom = new Uint8Array(ch.random);
    this.serverRandom = new Uint8Array(this.opts.fixedRandom ?? randomBytes(32));
    const cached = ch.sessionId.length ? this.opts.sessionCache?.get(ch.sessionId) : undefined;
    if (cached && ch.cipherSuites.includes(cached.suite) && SUITES[cached.suite] && mine.includes(cached.suite)) {
      this.suite = SUITES[cached.suite]!;
      this.resumed = true;
      this.sessionId = new Uint8Array(ch.sessionId);
      this.master = cached.masterSecret;
      this.peerCerts = cached.peerCertificates;
      this.sendHandshake(encodeServerHello({ version: TLCP_VERSION, random: this.serverRandom, sessionId: this.sessionId, cipherSuite: this.suite.id, compressionMethod: 0 }));
      this.installKeys();
      this.sendChangeCipherSpec();
      this.sendFinished();
      this.state = 'wait_ccs';
      return;
    }
    this.suite = SUITES[chosen] ?? { ...SUITES[alias[chosen]!]!, id: chosen, name: suiteName(chosen) };
    this.sessionId = this.opts.sessionCache ? new Uint8Array(randomBytes(32)) : new Uint8Array(0);
    const creds = this.opts.serverCredentials!;
    this.sendHandshake(encodeServerHello({ version: TLCP_VERSION, random: this.serverRandom, sessionId: this.sessionId, cipherSuite: this.suite.id, compressionMethod: 0 }));
    this.sendHandshake(encodeCertificate([creds.signCert, creds.encCert, ...(creds.chain ?? [])]));
    const skeId = this.opts.nonConformance?.skeSignId;
    if (this.suite.kx === 'ECC') {
      const sig = this.sign(creds.signKey, concat(this.clientRandom, this.serverRandom, u24(creds.encCert.length), creds.encCert), skeId);
      this.sendHandshake(encodeServerKeyExchange({ signature: sig }));
    } else {
      this.serverEphemeral = sm2GenerateKeyPair();
      const params: EcdheParams = sm2EcdheParams(this.serverEphemeral.publicKey);
      const sig = this.sign(creds.signKey, concat(this.clientRandom, this.serverRandom, encodeEcdheParams(params)), skeId);
      this.sendHandshake(encodeServerKeyExchange({ params, signature: sig }));
    }
    this.certRequested = this.suite.kx === 'ECDHE' || !!this.opts.requestClientCert || !!this.opts.requireClientCert;
    if (this.certRequested) {
      const authorities = (this.opts.caCerts ?? []).map((c) => parseCertificate(c).subjectDer);
      this.sendHandshake(encodeCertificateRequest({ certificateTypes: [CERT_TYPE_ECDSA_SIGN], authorities }));
    }
    this.sendHandshake(encodeServerHelloDone());
    this.state = this.certRequested ? 'wait_client_cert' : 'wait_cke';
  }

  private onClientCertificate(m: HandshakeMessage): void {
    const certs = decodeCertificate(m.body);
    this.messages.push(m.raw);
    if (certs.length === 0) {
      if (this.clientCertMandatory()) {
        throw fatal('handshake_failure', this.suite!.kx === 'ECDHE' ? 'ECDHE needs the client double certificate; client sent none' : 'client certificate required; client sent none');
      }
      this.note('client answered CertificateRequest with an empty certificate list');
      this.state = 'wait_cke';
      return;
    }
    if (this.suite!.kx === 'ECDHE' && certs.length < 2) throw fatal('handshake_failure', 'ECDHE needs the client signing and encryption certificates; got one');
    this.peerCerts = certs;
    const needed = this.suite!.kx === 'ECDHE' ? 2 : 1;
    this.peerParsed = certs.slice(0, needed).map(parseCertificate);
    for (const c of this.peerParsed) if (!c.isSm2) throw fatal('unsupported_certificate', `client certificate ${c.subject} is not an SM2 key`);
    const [sign, enc] = this.peerParsed;
    if (!hasKeyUsage(sign!, 'digitalSignature')) throw fatal('bad_certificate', 'client signing certificate does not allow digitalSignature');
    if (enc) {
      // D9: the pair must belong together (GmSSL requires it; a mismatched pair is a finding elsewhere)
      if (!bytesEqual(sign!.subjectDer, enc.subjectDer) || !bytesEqual(sign!.issuerDer, enc.issuerDer)) {
        throw fatal('bad_certificate', 'client signing and encryption certificates differ in subject or issuer');
      }
      if (!(['keyEncipherment', 'dataEncipherment', 'keyAgreement'] as const).some((u) => hasKeyUsage(enc, u))) {
        throw fatal('bad_certificate', 'client encryption certificate allows neither keyEncipherment, dataEncipherment nor keyAgreement');
      }
    }
    this.verifyPeerCerts(this.peerParsed, this.opts.caCerts, certs, 'client');
    this.state = 'wait_cke';
  }

  private onClientKeyExchange(m: HandshakeMessage): void {
    const creds = this.opts.serverCredentials!;
    let preMaster: Uint8Array;
    if (this.suite!.kx === 'ECC') {
      const ct = decodeEccClientKeyExchange(m.body);
      // One alert for every failure (bad DER, point off curve, C3, length, version): no oracle on which check failed.
      let pms: Uint8Array | null = null;
      try {
        pms = sm2Decrypt(creds.encKey.privateKey, ct, { format: 'der' });
      } catch {
        pms = null;
      }
      const ok = pms !== null && pms.length === 48 && pms[0] === 0x01 && pms[1] === 0x01;
      if (!ok) throw fatal('illegal_parameter', 'ClientKeyExchange does not decrypt to a 48-byte pre-master secret starting 0101');
      preMaster = pms!;
    } else {
      const { params, format } = decodeEcdheClientKeyExchange(m.body);
      this.ckeFormat = format;
      this.curveId = params.namedCurve;
      if (params.namedCurve !== CURVE_SM2) this.note(`client ECDHE params name curve ${params.namedCurve}, not curveSM2 (41)`);
      const clientEnc = this.peerParsed[1];
      if (!clientEnc) throw fatal('handshake_failure', 'ECDHE ClientKeyExchange without client encryption certificate');
      try {
        preMaster = sm2KeyExchange({
          role: 'initiator', selfId: this.sm2Id, selfStatic: creds.encKey, selfEphemeral: this.serverEphemeral!, peerId: this.sm2Id,
          peerStaticPublic: clientEnc.publicKey, peerEphemeralPublic: params.point, klen: 48,
        }).key;
      } catch (e) {
        throw fatal('illegal_parameter', `client ECDHE point rejected (${(e as Error).message})`);
      }
    }
    this.messages.push(m.raw);
    this.master = deriveMasterSecret(preMaster, this.clientRandom, this.serverRandom);
    preMaster.fill(0);
    this.installKeys();
    this.state = this.peerParsed.length > 0 ? 'wait_cv' : 'wait_ccs';
  }

  private onCertificateVerify(m: HandshakeMessage): void {
    const sig = decodeCertificateVerify(m.body);
    const transcript = concat(...this.messages);
    const pub = this.peerParsed[0]!.publicKey;
    // D2: the standard's form (SM3 of the messages) first, then GmSSL's raw form; record which one matched.
    if (this.verify(pub, sm3(transcript), sig)) this.clientAuthForm = 'hash';
    else if (this.verify(pub, transcript, sig)) this.clientAuthForm = 'raw';
    else throw fatal('decrypt_error', 'CertificateVerify signature verifies neither over SM3(handshake_messages) nor over the raw messages');
    this.messages.push(m.raw);
    this.state = 'wait_ccs';
  }
}

function recordSummary(type: number, plaintext: Uint8Array, protectedRecord: boolean): string {
  const p = protectedRecord ? ' (protected)' : '';
  switch (type) {
    case ContentType.change_cipher_spec:
      return `change_cipher_spec${p}`;
    case ContentType.alert:
      return plaintext.length === 2 ? `alert level=${plaintext[0]} ${alertName(plaintext[1]!)}${p}` : `alert (${plaintext.length} bytes)${p}`;
    case ContentType.handshake:
      return `handshake ${plaintext.length}B${p}`;
    case ContentType.application_data:
      return `application_data ${plaintext.length}B${p}`;
    default:
      return `content type ${type} ${plaintext.length}B${p}`;
  }
}
