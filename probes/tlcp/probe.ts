/**
 * The TLCP conformance probe (GB/T 38636-2020): tlsfuzzer-style conversations with a server, each a sequence of
 * messages and what the server did in answer, with a sanity handshake first and last. It observes only; the
 * verdicts come from ./judge.ts (shared by `gmeval tlcp probe` and the features' Then-steps).
 */
import { randomBytes } from 'node:crypto';
import {
  ContentType, HandshakeType, SUITES, TLCP_VERSION, encodeClientHello, encodeHandshake, encodeRecord,
  suiteName, type CertVerifyForm, type EcdheCkeFormat, type EngineOptions, type ManualEvent, type ManualTlcpClient, type TlcpCredentials,
  type TlcpSession, type TranscriptEntry,
} from '../../lib/tlcp/index.ts';
import { TlcpUnreachableError, manualConnect } from './dial.ts';

export interface TlcpProbeOptions {
  host: string;
  port: number;
  /** client double certificate: needed for ECDHE suites and for servers that require client authentication */
  clientCredentials?: TlcpCredentials;
  /** server_name to send in the SNI check (none is sent elsewhere, digest D4) */
  serverName?: string;
  /** how long to wait for an answer to one message (default 3000 ms) */
  answerTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** send an HTTP/1.1 request after sanity handshakes, to see more of the server's protected records (default true) */
  httpRequest?: boolean;
}

export interface Alert { level: number; description: number; name: string }

export interface Outcome {
  /** the handshake completed */
  handshake: boolean;
  negotiated?: { suite: number; suiteName: string; sessionId: string; resumed: boolean; clientAuthForm: string | null; ecdheCkeFormat: string | null };
  /** first alert the server sent after the probe's message(s) */
  alert?: Alert;
  /** the server closed the connection */
  closed: boolean;
  /** no answer within the timeout */
  timedOut: boolean;
  /** the probe's own engine aborted (e.g. the server chose a suite that was not offered) */
  localAbort?: string;
  /** application data bytes the server sent (answer to the HTTP request) */
  appDataBytes?: number;
  /** what the server did after the probe's post-handshake message (bad record, renegotiation) */
  afterHandshake?: Omit<Outcome, 'handshake' | 'negotiated' | 'afterHandshake' | 'appDataBytes'>;
}

export interface Conversation {
  id: string;
  title: string;
  /** what the probe sent, in words */
  sent: string[];
  outcome: Outcome;
  transcript: TranscriptEntry[];
  /** the engine's notes on peer behaviour */
  notes: string[];
  /** set when this conversation could not happen (no client certificate, prerequisite failed) */
  skipped?: string;
}

export interface TlcpProbeReport {
  endpoint: string;
  startedAt: string;
  durationMs: number;
  reachable: boolean;
  unreachableReason?: string;
  hadClientCredentials: boolean;
  conversations: Conversation[];
}

const GM_SUITES = [0xe013, 0xe053, 0xe011, 0xe051];
/** TLS 1.2 ECDHE-RSA/ECDSA AES-GCM, RSA AES-CBC/GCM: any of them chosen is a non-GM negotiation */
export const NON_GM_SUITES = [0xc02f, 0xc02b, 0xc030, 0x009c, 0x002f, 0x0035];
const HTTP_GET = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: gmeval-probe\r\nConnection: close\r\n\r\n');

const isEcdhe = (s: number) => SUITES[s]?.kx === 'ECDHE';

export async function probeTlcp(o: TlcpProbeOptions): Promise<TlcpProbeReport> {
  const started = Date.now();
  const report: TlcpProbeReport = {
    endpoint: `${o.host.includes(':') ? `[${o.host}]` : o.host}:${o.port}`,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    reachable: true,
    hadClientCredentials: !!o.clientCredentials,
    conversations: [],
  };
  const wait = o.answerTimeoutMs ?? 3000;
  const creds = o.clientCredentials;
  const baseSuites = GM_SUITES.filter((s) => creds || !isEcdhe(s));

  // session secrets stay in this map: they are never part of the report
  const sessions = new Map<string, TlcpSession>();
  // set when the server proved silent: the remaining conversations would each only wait out their timeout
  let silent: string | undefined;
  const run = async (id: string, title: string, engine: Omit<EngineOptions, 'role'>, script: (c: ManualTlcpClient, sent: string[]) => Promise<Outcome>): Promise<Conversation> => {
    const conv: Conversation = { id, title, sent: [], outcome: { handshake: false, closed: false, timedOut: false }, transcript: [], notes: [] };
    if (!report.reachable) {
      conv.skipped = `endpoint unreachable: ${report.unreachableReason}`;
      report.conversations.push(conv);
      return conv;
    }
    if (silent) {
      conv.skipped = silent;
      report.conversations.push(conv);
      return conv;
    }
    let c: ManualTlcpClient | undefined;
    try {
      // observe, do not abort: a bad ServerKeyExchange signature is judged from the transcript (judge.ts)
      c = await manualConnect({ host: o.host, port: o.port, connectTimeoutMs: o.connectTimeoutMs ?? 5000, tolerate: { serverKeyExchangeSignature: true }, ...engine });
      conv.outcome = await script(c, conv.sent);
    } catch (e) {
      if (e instanceof TlcpUnreachableError) {
        report.reachable = false;
        report.unreachableReason = e.message;
        conv.skipped = e.message;
      } else conv.outcome.localAbort = `probe error: ${(e as Error)?.message ?? String(e)}`;
    } finally {
      if (c) {
        conv.transcript = c.engine.transcript;
        conv.notes = [...c.engine.findings];
        if (c.engine.session?.id.length) sessions.set(id, c.engine.session);
        c.destroy();
      }
    }
    report.conversations.push(conv);
    return conv;
  };
  const skip = (id: string, title: string, why: string) => {
    report.conversations.push({ id, title, sent: [], outcome: { handshake: false, closed: false, timedOut: false }, transcript: [], notes: [], skipped: why });
  };

  /** Runs the handshake and, if asked, one HTTP request; reads what the server did. */
  const handshake = (opts: { http?: boolean; after?: (c: ManualTlcpClient, sent: string[]) => Promise<Outcome['afterHandshake']> } = {}) => async (c: ManualTlcpClient, sent: string[]): Promise<Outcome> => {
    sent.push('ClientHello, then the client side of the handshake');
    const mark = c.events.length;
    const ev = await c.handshake(wait * 2);
    const out = readOutcome(c, mark, ev);
    if (out.handshake && opts.http && (o.httpRequest ?? true)) {
      sent.push('application data: HTTP/1.1 GET /');
      const m2 = c.events.length;
      c.engine.write(HTTP_GET);
      await c.waitFor((e) => e.kind === 'data', Math.min(wait, 1500), m2);
      await c.waitFor((e) => e.kind === 'engine_closed' || e.kind === 'transport_closed', 150, m2);
      out.appDataBytes = c.events.slice(m2).reduce((n, e) => n + (e.kind === 'data' ? e.bytes.length : 0), 0);
    }
    if (out.handshake && opts.after) {
      const a = await opts.after(c, sent);
      if (a) out.afterHandshake = a;
    }
    return out;
  };

  // 1. sanity: extension-less ClientHello with the GM suites
  const first = await run('sanity-first', 'Sanity handshake (extension-less ClientHello, GM suites)', { suites: baseSuites, ...(creds ? { clientCredentials: creds } : {}) }, handshake({ http: true }));
  if (!report.reachable) {
    report.durationMs = Date.now() - started;
    return report;
  }
  if (first.outcome.timedOut && !first.transcript.some((e) => e.dir === 'in')) {
    silent = `the server sent no complete TLCP record within ${wait * 2} ms of the sanity ClientHello`;
  }
  const firstSession = sessions.get('sanity-first') ?? null;

  // 2. each GM suite alone
  for (const s of GM_SUITES) {
    if (isEcdhe(s) && !creds) {
      skip(`suite-${hex(s)}`, `${suiteName(s)} alone`, 'no client double certificate given (ECDHE needs one)');
      continue;
    }
    await run(`suite-${hex(s)}`, `${suiteName(s)} alone`, { suites: [s], ...(creds ? { clientCredentials: creds } : {}) }, handshake({ http: true }));
  }
  // 3. non-GM suites only, then non-GM suites before a GM suite
  await run('non-gm-only', 'Only non-GM suites (ECDHE-RSA/ECDSA AES-GCM, RSA AES)', { suites: NON_GM_SUITES }, handshake());
  await run('non-gm-first', 'Non-GM suites listed before ECC_SM4_CBC_SM3', { suites: [...NON_GM_SUITES, 0xe013] }, handshake());
  // 4. other protocol versions
  await run('version-0303', 'ClientHello version 0x0303 (TLS 1.2)', { suites: [...NON_GM_SUITES, ...baseSuites], clientVersion: 0x0303 }, handshake());
  await run('version-0100', 'ClientHello version 0x0100 (unknown)', { suites: baseSuites, clientVersion: 0x0100 }, handshake());
  // 5. tampered client Finished
  await run('tampered-finished', 'Client Finished with one bit of verify_data flipped', {
    suites: [0xe013], ...(creds ? { clientCredentials: creds } : {}),
    hooks: { outgoingHandshake: (t, raw) => (t === HandshakeType.finished ? flip(raw, raw.length - 1) : raw) },
  }, handshake());
  // 6. bad record MAC, truncated record (after a good handshake)
  for (const [id, title, how] of [
    ['bad-record-mac', 'Application data record with one ciphertext bit flipped', 'flip'],
    ['truncated-record', 'Application data record with its last 16 bytes cut (length field consistent)', 'cut'],
  ] as const) {
    let armed = false;
    await run(id, title, {
      suites: [0xe013], ...(creds ? { clientCredentials: creds } : {}),
      hooks: {
        outgoingRecord: (type, wire) => {
          if (!armed || type !== ContentType.application_data) return wire;
          armed = false;
          if (how === 'flip') return flip(wire, wire.length - 1);
          return encodeRecord(type, wire.subarray(5, wire.length - 16));
        },
      },
    }, handshake({
      after: async (c, sent) => {
        sent.push(how === 'flip' ? 'application data record, last byte flipped' : 'application data record cut by 16 bytes');
        armed = true;
        const m = c.events.length;
        c.engine.write(HTTP_GET);
        return answer(c, m, wait);
      },
    }));
  }
  // 7. unexpected message: a Finished instead of the ClientHello
  await run('unexpected-message', 'Finished sent as the first message (instead of ClientHello)', { suites: baseSuites }, async (c, sent) => {
    sent.push('plaintext handshake record: Finished (12 zero bytes)');
    const m = c.events.length;
    c.sendRecord(ContentType.handshake, encodeHandshake(HandshakeType.finished, new Uint8Array(12)), false);
    return { handshake: false, ...(await answer(c, m, wait)) };
  });
  // 8. renegotiation: an encrypted ClientHello after the handshake
  await run('renegotiation', 'Encrypted ClientHello after the handshake (renegotiation)', { suites: [0xe013], ...(creds ? { clientCredentials: creds } : {}) }, handshake({
    after: async (c, sent) => {
      sent.push('protected handshake record: ClientHello');
      const m = c.events.length;
      c.sendRecord(ContentType.handshake, encodeClientHello({ version: TLCP_VERSION, random: randomBytes(32), sessionId: new Uint8Array(0), cipherSuites: [0xe013], compressionMethods: [0] }), true);
      // the first sign of an answer is enough: a warning alert keeps the connection open
      await c.waitFor((e) => e.kind === 'alert' || e.kind === 'engine_closed' || e.kind === 'transport_closed', Math.min(wait, 1500), m);
      return answer(c, m, 50);
    },
  }));
  // 9. resumption by session id; a garbage id must give a full handshake
  if (firstSession) {
    await run('resume', 'Resumption with the session id of the first handshake', { suites: baseSuites, session: firstSession, ...(creds ? { clientCredentials: creds } : {}) }, handshake());
  } else skip('resume', 'Resumption with the session id of the first handshake', first.outcome.handshake ? 'the server issued no session id (no resumption by id)' : 'the first handshake failed');
  const garbage: TlcpSession = { id: new Uint8Array(randomBytes(32)), masterSecret: new Uint8Array(randomBytes(48)), suite: 0xe013, peerCertificates: [], createdAt: Date.now() };
  await run('resume-garbage', 'ClientHello with an unknown 32-byte session id', { suites: [0xe013], session: garbage, ...(creds ? { clientCredentials: creds } : {}) }, handshake());
  // 10. client authentication: does an ECC handshake complete without a client certificate?
  if (creds) await run('ecc-no-client-cert', 'ECC handshake without a client certificate', { suites: [0xe013, 0xe053] }, handshake());
  // 11. divergent forms (digest D1/D2): which ECDHE ClientKeyExchange / CertificateVerify forms the server accepts
  const ecdheSuite = [0xe051, 0xe011].find((s) => report.conversations.find((c) => c.id === `suite-${hex(s)}`)?.outcome.handshake);
  for (const [cke, cv] of [['bare', 'hash'], ['vector', 'hash'], ['vector', 'raw'], ['bare', 'raw']] as [EcdheCkeFormat, CertVerifyForm][]) {
    const id = `form-${cke}-${cv}`;
    const title = `ECDHE with ${cke === 'bare' ? '69-byte' : '71-byte'} ClientKeyExchange and CertificateVerify over ${cv === 'hash' ? 'SM3(messages)' : 'the raw messages'}`;
    if (!creds || ecdheSuite === undefined) skip(id, title, !creds ? 'no client double certificate given' : 'no ECDHE suite accepted');
    else await run(id, title, { suites: [ecdheSuite], clientCredentials: creds, ecdheCkeFormat: cke, certVerifyForm: cv }, handshake());
  }
  // 12. sanity last: the server still works
  await run('sanity-last', 'Sanity handshake at the end', { suites: baseSuites, ...(creds ? { clientCredentials: creds } : {}) }, handshake({ http: true }));
  report.durationMs = Date.now() - started;
  return report;
}

function readOutcome(c: ManualTlcpClient, from: number, ev: ManualEvent): Outcome {
  const events = c.events.slice(from);
  const alertEv = events.find((e) => e.kind === 'alert') as Extract<ManualEvent, { kind: 'alert' }> | undefined;
  const localEv = events.find((e) => e.kind === 'engine_closed' && e.cause.kind === 'alert_sent') as Extract<ManualEvent, { kind: 'engine_closed' }> | undefined;
  const n = c.engine.negotiated;
  const out: Outcome = {
    handshake: ev.kind === 'handshake',
    closed: events.some((e) => e.kind === 'transport_closed' || (e.kind === 'engine_closed' && e.cause.kind !== 'alert_sent')),
    timedOut: ev.kind === 'timeout',
  };
  if (ev.kind === 'handshake' && n) {
    out.negotiated = { suite: n.suite, suiteName: n.suiteName, sessionId: n.sessionId, resumed: n.resumed, clientAuthForm: n.clientAuthForm, ecdheCkeFormat: n.ecdheCkeFormat };
  }
  if (alertEv) out.alert = { level: alertEv.level, description: alertEv.description, name: alertEv.name };
  if (localEv && localEv.cause.kind === 'alert_sent') out.localAbort = `${localEv.cause.error.descriptionName}: ${localEv.cause.error.message}`;
  return out;
}

/** What the server did after the probe's last message: its alert, whether it closed, or silence. */
async function answer(c: ManualTlcpClient, from: number, timeoutMs: number): Promise<NonNullable<Outcome['afterHandshake']>> {
  const o = await c.outcome(timeoutMs, from);
  const localEv = c.events.slice(from).find((e) => e.kind === 'engine_closed' && e.cause.kind === 'alert_sent') as Extract<ManualEvent, { kind: 'engine_closed' }> | undefined;
  return {
    ...(o.alert ? { alert: o.alert } : {}),
    closed: o.closed,
    timedOut: o.timedOut,
    ...(localEv && localEv.cause.kind === 'alert_sent' ? { localAbort: `${localEv.cause.error.descriptionName}: ${localEv.cause.error.message}` } : {}),
  };
}

function flip(b: Uint8Array, i: number): Uint8Array {
  const c = new Uint8Array(b);
  c[i] = c[i]! ^ 0x01;
  return c;
}

const hex = (s: number) => s.toString(16).padStart(4, '0');
