/**
 * Verdicts on a TLCP probe report: one function shared by `gmeval tlcp probe` and the features' Then-steps, so
 * the CLI and an evaluation run never disagree. Clauses are GB/T 38636-2020 numbers as used in gmeval's features
 * ([U]: taken from public discussion of the standard, see docs/tlcp.md) — the report cites them, it does not
 * depend on them.
 */
import { sm2Verify } from '../../lib/gm/index.ts';
import {
  HandshakeType, SUITES, TLCP_VERSION, concat, fromHex, hasKeyUsage, isSm2WithSm3, parseCertificate, suiteName, u24, verifyCertificateChain,
  type TlcpCertificate,
} from '../../lib/tlcp/index.ts';
import { NON_GM_SUITES, type Conversation, type Outcome, type TlcpProbeReport } from './probe.ts';
import { parseServerFlight, type ServerFlight } from './parse.ts';

export type CheckStatus = 'passed' | 'failed' | 'not_tested' | 'not_applicable';

export interface TlcpCheckResult {
  id: string;
  title: string;
  titleZh: string;
  clause: string;
  status: CheckStatus;
  reason: string;
  expected?: string;
  observed?: string;
  /** the conversations (evidence) the verdict rests on */
  conversations: string[];
  /** true when the check reports behaviour (resumption, forms accepted) rather than a requirement */
  informational?: boolean;
}

export interface TlcpExpectations {
  /** suites the server must accept (default: at least one GM suite) */
  suites?: number[];
  /** whether the server must require client certificates; default 'any' (reported only) */
  clientAuth?: 'required' | 'optional' | 'any';
  /** trust anchors (DER) the server's certificates must chain to; without them the chain check is not tested */
  trustAnchors?: Uint8Array[];
  /** evaluation time for validity (default now) */
  at?: Date;
  sm2Id?: string;
}

export const CHECKS: { id: string; title: string; titleZh: string; clause: string }[] = [
  { id: 'hello', title: 'Extension-less ClientHello gets a 0x0101 ServerHello', titleZh: '基本握手：不带扩展的 ClientHello 得到版本 0x0101 的 ServerHello', clause: '6.4.5' },
  { id: 'suites', title: 'Expected GM suites are accepted', titleZh: '期望的国密密码套件均被接受', clause: '6.4.5' },
  { id: 'non-gm-refused', title: 'Non-GM suites are refused or never chosen', titleZh: '非国密密码套件被拒绝或从不被选择', clause: '6.4.5' },
  { id: 'versions', title: 'Other protocol versions are not negotiated', titleZh: '不协商 0x0101 以外的协议版本', clause: '6.4.5' },
  { id: 'certificates', title: 'Server double certificate: order, SM2, key usage, separate keys', titleZh: '服务端双证书：签名证书在前、均为 SM2、密钥用途正确、签名与加密密钥分离', clause: '6.4.5' },
  { id: 'chain', title: 'Server certificates chain to a trust anchor and are valid now', titleZh: '服务端证书链到信任锚且在有效期内', clause: '6.4.5' },
  { id: 'ske-signature', title: 'ServerKeyExchange signature verifies with the signing certificate and the agreed SM2 user ID', titleZh: 'ServerKeyExchange 签名可用签名证书和约定的 SM2 用户标识验证', clause: '6.4.5' },
  { id: 'finished', title: 'A tampered client Finished gets a fatal decrypt_error and a close', titleZh: '篡改的 Finished 被致命告警 decrypt_error 拒绝并断开', clause: '6.4.5' },
  { id: 'bad-record-mac', title: 'A tampered record gets a fatal bad_record_mac and a close', titleZh: '被篡改的记录被致命告警 bad_record_mac 拒绝并断开', clause: '6.3' },
  { id: 'truncated-record', title: 'A truncated record gets a fatal bad_record_mac and a close', titleZh: '被截断的记录被致命告警 bad_record_mac 拒绝并断开', clause: '6.3' },
  { id: 'unexpected-message', title: 'An unexpected message gets a fatal unexpected_message and a close', titleZh: '意外消息被致命告警 unexpected_message 拒绝并断开', clause: '6.4.3' },
  { id: 'explicit-iv', title: 'Protected records never repeat a CBC IV or a GCM explicit nonce', titleZh: '受保护记录的 CBC IV / GCM 显式 nonce 不重复', clause: '6.3' },
  { id: 'renegotiation', title: 'Renegotiation is not accepted', titleZh: '不接受重协商', clause: '6.4.5' },
  { id: 'resumption', title: 'Resumption keeps the suite; unknown session ids give a full handshake', titleZh: '会话恢复沿用原套件，未知会话标识得到完整握手', clause: '6.4.5' },
  { id: 'client-auth', title: 'Client authentication as expected', titleZh: '客户端身份鉴别符合预期', clause: '6.4.5' },
  { id: 'forms', title: 'ECDHE ClientKeyExchange / CertificateVerify forms the server accepts (digest D1/D2)', titleZh: '服务端接受的 ECDHE ClientKeyExchange 与 CertificateVerify 形式（实现分歧 D1/D2）', clause: '6.4.5' },
  { id: 'sanity-last', title: 'The server still completes a handshake at the end', titleZh: '探测结束时服务端仍能完成握手', clause: '6.4.5' },
];

const DEFAULT_ID = '1234567812345678';

export function judgeTlcpProbe(report: TlcpProbeReport, x: TlcpExpectations = {}): TlcpCheckResult[] {
  const conv = (id: string) => report.conversations.find((c) => c.id === id);
  const flights = new Map<string, ServerFlight>();
  const flight = (c: Conversation) => {
    let f = flights.get(c.id);
    if (!f) flights.set(c.id, (f = parseServerFlight(c.transcript)));
    return f;
  };
  const results: TlcpCheckResult[] = [];
  const add = (id: string, status: CheckStatus, reason: string, more: Partial<TlcpCheckResult> = {}) => {
    const meta = CHECKS.find((c) => c.id === id)!;
    results.push({ ...meta, status, reason, conversations: [], ...more });
  };
  if (!report.reachable) {
    for (const c of CHECKS) add(c.id, 'not_tested', `无法连接 / unreachable: ${report.unreachableReason ?? ''}`);
    return results;
  }
  const first = conv('sanity-first')!;
  const ff = flight(first);
  // checks that pass on a refusal prove nothing about a server that never answered any ClientHello as TLCP
  const spoke = report.conversations.some((c) => flight(c).serverHello);
  const mute = spoke ? undefined : `the server never answered a ClientHello with a ServerHello (${describe(first.outcome)}): a refusal here proves nothing`;

  // hello
  if (ff.serverHello) {
    add('hello', ff.serverHello.version === TLCP_VERSION && first.outcome.handshake ? 'passed' : 'failed',
      first.outcome.handshake ? `ServerHello 0x${hex(ff.serverHello.version)}, ${ff.serverHello.suiteName}, handshake completed` : `ServerHello 0x${hex(ff.serverHello.version)}, but the handshake did not complete: ${describe(first.outcome)}`,
      { conversations: [first.id], expected: 'ServerHello version 0x0101 and a completed handshake', observed: describe(first.outcome) });
  } else add('hello', 'failed', `no ServerHello: ${describe(first.outcome)}`, { conversations: [first.id], expected: 'ServerHello version 0x0101', observed: describe(first.outcome) });

  // suites
  {
    const per = [0xe013, 0xe053, 0xe011, 0xe051].map((s) => ({ s, c: conv(`suite-${hex(s)}`) }));
    const accepted = per.filter((p) => p.c?.outcome.handshake).map((p) => p.s);
    const untried = per.filter((p) => !p.c || p.c.skipped).map((p) => p.s);
    const want = x.suites ?? [];
    const missing = want.filter((s) => !accepted.includes(s) && !untried.includes(s));
    const cannot = want.filter((s) => untried.includes(s));
    const observed = `accepted: ${accepted.map(suiteName).join(', ') || 'none'}${untried.length ? `; not tried: ${untried.map(suiteName).join(', ')}` : ''}`;
    const convs = per.filter((p) => p.c).map((p) => p.c!.id);
    if (missing.length) add('suites', 'failed', `expected suites refused: ${missing.map(suiteName).join(', ')}`, { conversations: convs, expected: want.map(suiteName).join(', '), observed });
    else if (!want.length && !accepted.length) add('suites', 'failed', 'no GM suite was accepted alone', { conversations: convs, expected: 'at least one of ECC/ECDHE_SM4_CBC/GCM_SM3', observed });
    else if (cannot.length) add('suites', 'not_tested', `${cannot.map(suiteName).join(', ')} need a client double certificate, none was given`, { conversations: convs, observed });
    else add('suites', 'passed', observed, { conversations: convs, expected: want.length ? want.map(suiteName).join(', ') : 'at least one GM suite', observed });
  }

  // non-GM suites
  {
    const problems: string[] = [];
    const seen: string[] = [];
    for (const id of ['non-gm-only', 'non-gm-first', 'version-0303']) {
      const c = conv(id);
      if (!c) continue;
      const sh = flight(c).serverHello;
      seen.push(`${id}: ${sh ? `ServerHello ${sh.suiteName}` : describe(c.outcome)}`);
      if (sh && (NON_GM_SUITES.includes(sh.suite) || !SUITES[sh.suite])) problems.push(`${id}: the server chose ${sh.suiteName}`);
    }
    if (!problems.length && mute) add('non-gm-refused', 'not_tested', mute, { conversations: ['non-gm-only', 'non-gm-first', 'version-0303'], observed: seen.join('; ') });
    else add('non-gm-refused', problems.length ? 'failed' : 'passed', problems.length ? problems.join('; ') : 'no non-GM suite was ever chosen', {
      conversations: ['non-gm-only', 'non-gm-first', 'version-0303'], expected: 'fatal alert or close for non-GM suites; a GM suite chosen from a mixed list', observed: seen.join('; '),
    });
  }

  // versions
  {
    const problems: string[] = [];
    const seen: string[] = [];
    for (const id of ['version-0303', 'version-0100']) {
      const c = conv(id);
      if (!c) continue;
      const sh = flight(c).serverHello;
      seen.push(`${id}: ${sh ? `ServerHello 0x${hex(sh.version)}` : describe(c.outcome)}`);
      if (sh && sh.version !== TLCP_VERSION) problems.push(`${id}: the server negotiated 0x${hex(sh.version)}`);
    }
    if (!problems.length && mute) add('versions', 'not_tested', mute, { conversations: ['version-0303', 'version-0100'], observed: seen.join('; ') });
    else add('versions', problems.length ? 'failed' : 'passed', problems.length ? problems.join('; ') : 'no version other than 0x0101 negotiated (TLCP has no downgrade sentinel; refusal is by alert or close)', {
      conversations: ['version-0303', 'version-0100'], expected: 'refusal, or ServerHello 0x0101', observed: seen.join('; '),
    });
  }

  // certificates
  const certs = ff.certificates;
  let parsed: TlcpCertificate[] = [];
  if (!certs) add('certificates', 'failed', `no Certificate message: ${describe(first.outcome)}`, { conversations: [first.id] });
  else {
    const problems: string[] = [];
    try {
      parsed = certs.map(parseCertificate);
    } catch (e) {
      problems.push(`unparsable certificate: ${(e as Error).message}`);
    }
    if (certs.length < 2) problems.push(`${certs.length} certificate(s); TLCP needs the signing and the encryption certificate`);
    const [sign, enc] = parsed;
    if (sign && enc) {
      for (const [n, c] of [['signing', sign], ['encryption', enc]] as const) {
        if (!c.isSm2) problems.push(`${n} certificate key is not SM2 (id-ecPublicKey + sm2p256v1)`);
        if (!isSm2WithSm3(c)) problems.push(`${n} certificate is not signed SM2-with-SM3`);
      }
      if (!hasKeyUsage(sign, 'digitalSignature')) problems.push('signing certificate (1st) lacks digitalSignature');
      if (['keyEncipherment', 'dataEncipherment', 'keyAgreement'].some((u) => hasKeyUsage(sign, u as 'keyEncipherment'))) problems.push('signing certificate (1st) also allows encipherment');
      if (!['keyEncipherment', 'dataEncipherment', 'keyAgreement'].some((u) => hasKeyUsage(enc, u as 'keyEncipherment'))) problems.push('encryption certificate (2nd) allows neither keyEncipherment, dataEncipherment nor keyAgreement');
      if (hasKeyUsage(enc, 'digitalSignature') || hasKeyUsage(enc, 'nonRepudiation')) problems.push('encryption certificate (2nd) allows signing (digitalSignature/nonRepudiation)');
      if (Buffer.from(sign.publicKey).equals(Buffer.from(enc.publicKey))) problems.push('signing and encryption certificates carry the same key');
    }
    const observed = parsed.map((c, i) => `#${i + 1} ${c.subject} (issuer ${c.issuer}) keyUsage=[${c.keyUsage?.join(',') ?? 'absent'}]`).join('; ');
    add('certificates', problems.length ? 'failed' : 'passed', problems.length ? problems.join('; ') : 'signing certificate, then encryption certificate; SM2 keys signed SM2-with-SM3; key usages separate; distinct keys', {
      conversations: [first.id], expected: '[sign (digitalSignature), enc (keyEncipherment/dataEncipherment/keyAgreement), CA…], distinct SM2 keys', observed,
    });
  }

  // chain
  if (!certs || parsed.length < 2) add('chain', 'not_tested', 'no server certificates to check', { conversations: [first.id] });
  else if (!x.trustAnchors?.length) add('chain', 'not_tested', '未配置信任锚 / no trust anchors configured (--trust FILE or the profile\'s trustAnchors)', { conversations: [first.id] });
  else {
    const at = x.at ?? new Date();
    const problems = parsed.slice(0, 2).map((c, i) => ({ i, p: verifyCertificateChain(c, certs, x.trustAnchors!, at, x.sm2Id ?? DEFAULT_ID) })).filter((r) => r.p);
    add('chain', problems.length ? 'failed' : 'passed', problems.length ? problems.map((r) => `${r.i === 0 ? 'signing' : 'encryption'} certificate: ${r.p!.reason}`).join('; ') : `both certificates chain to a trust anchor and are valid at ${at.toISOString()}`, {
      conversations: [first.id], expected: 'a valid path to a configured SM2 trust anchor', observed: parsed.map((c) => `${c.subject}: ${c.notBefore.toISOString()} – ${c.notAfter.toISOString()}`).join('; '),
    });
  }

  // SKE signature
  {
    const checked: string[] = [];
    const problems: string[] = [];
    for (const c of report.conversations.filter((k) => k.outcome.handshake && !k.outcome.negotiated?.resumed)) {
      const f = flight(c);
      if (!f.ske || !f.certificates || f.certificates.length < 2 || !f.serverHello || !f.clientRandomHex) continue;
      const info = SUITES[f.serverHello.suite];
      if (!info) continue;
      let signKey: Uint8Array;
      try {
        signKey = parseCertificate(f.certificates[0]!).publicKey;
      } catch {
        continue;
      }
      const cr = fromHex(f.clientRandomHex);
      const sr = fromHex(f.serverHello.randomHex);
      const enc = f.certificates[1]!;
      const signed = info.kx === 'ECC' ? concat(cr, sr, u24(enc.length), enc) : concat(cr, sr, fromHex(f.ske.paramsHex ?? ''));
      const sig = fromHex(f.ske.signatureHex);
      checked.push(`${c.id} (${info.name})`);
      if (!sm2Verify(signKey, signed, sig, { id: x.sm2Id ?? DEFAULT_ID })) {
        const alt = sm2Verify(signKey, signed, sig, { id: '' }) ? ' (it verifies with an empty SM2 user ID: wrong Z)' : '';
        problems.push(`${c.id} (${info.name}): signature does not verify${alt}`);
      }
      if (info.kx === 'ECDHE' && f.ske.namedCurve !== 41) problems.push(`${c.id}: ECDHE params name curve ${f.ske.namedCurve}, not curveSM2 (41)`);
    }
    if (!checked.length) add('ske-signature', 'not_tested', 'no completed full handshake with a ServerKeyExchange', { conversations: [] });
    else add('ske-signature', problems.length ? 'failed' : 'passed', problems.length ? problems.join('; ') : `verified in ${checked.length} handshake(s) with the signing certificate and ID "${x.sm2Id ?? DEFAULT_ID}"`, {
      conversations: checked.map((s) => s.split(' ')[0]!), expected: 'SM2 signature over client_random ‖ server_random ‖ (u24 ‖ enc cert | ECDHE params), Z from the agreed ID', observed: checked.join(', '),
    });
  }

  // alerts
  const alertCheck = (id: string, convId: string, alertWanted: string, pick: (c: Conversation) => Outcome | Outcome['afterHandshake'] | undefined, needsHandshake: boolean) => {
    const c = conv(convId);
    if (!c || c.skipped) return add(id, 'not_tested', c?.skipped ?? 'conversation not run', { conversations: [convId] });
    if (needsHandshake && !c.outcome.handshake) return add(id, 'not_tested', `the handshake before the test message failed: ${describe(c.outcome)}`, { conversations: [convId] });
    const o = pick(c);
    const observed = o ? describe(o as Outcome) : 'nothing';
    if ((o as Outcome | undefined)?.handshake) return add(id, 'failed', 'the server completed the handshake anyway', { conversations: [convId], expected: `fatal ${alertWanted} and close`, observed: `handshake completed (${c.outcome.negotiated?.suiteName})` });
    const ok = !!o && o.alert?.level === 2 && o.alert.name === alertWanted && o.closed;
    add(id, ok ? 'passed' : 'failed', ok ? `fatal ${alertWanted}, connection closed` : `expected fatal ${alertWanted} and a close; got ${observed}`, { conversations: [convId], expected: `fatal ${alertWanted} and close`, observed });
  };
  alertCheck('finished', 'tampered-finished', 'decrypt_error', (c) => c.outcome, false);
  alertCheck('bad-record-mac', 'bad-record-mac', 'bad_record_mac', (c) => c.outcome.afterHandshake, true);
  alertCheck('truncated-record', 'truncated-record', 'bad_record_mac', (c) => c.outcome.afterHandshake, true);
  alertCheck('unexpected-message', 'unexpected-message', 'unexpected_message', (c) => c.outcome, false);

  // explicit IVs / nonces
  {
    const cbc = new Map<string, string>();
    const problems: string[] = [];
    let n = 0;
    for (const c of report.conversations) {
      const gcm = new Set<string>();
      for (const e of flight(c).explicit) {
        n++;
        if (e.kind === 'CBC') {
          const prev = cbc.get(e.hex);
          if (prev) problems.push(`CBC IV ${e.hex} repeated (${prev} and ${c.id})`);
          else cbc.set(e.hex, c.id);
        } else {
          if (gcm.has(e.hex)) problems.push(`GCM explicit nonce ${e.hex} repeated within ${c.id}`);
          gcm.add(e.hex);
        }
      }
    }
    const uniq = [...new Set(problems)];
    if (n < 2) add('explicit-iv', 'not_tested', `only ${n} protected server record(s) seen`, { conversations: [] });
    else add('explicit-iv', uniq.length ? 'failed' : 'passed', uniq.length ? `${uniq.length} repeat(s): ${uniq.slice(0, 5).join('; ')}` : `${n} protected server records, no repeated IV or nonce`, {
      conversations: report.conversations.filter((c) => flight(c).explicit.length).map((c) => c.id), expected: 'a fresh IV per CBC record; GCM nonces unique under a key', observed: `${n} records`,
    });
  }

  // renegotiation
  {
    const c = conv('renegotiation');
    if (!c || c.skipped || !c.outcome.handshake) add('renegotiation', 'not_tested', c?.skipped ?? `handshake failed: ${c ? describe(c.outcome) : 'not run'}`, { conversations: ['renegotiation'] });
    else {
      const late = flight(c).lateHandshake;
      const a = c.outcome.afterHandshake;
      const how = a?.alert ? `${a.alert.level === 1 ? 'warning' : 'fatal'} ${a.alert.name}` : a?.timedOut ? 'no response' : a?.closed ? 'closed without alert' : 'nothing';
      if (late.includes(HandshakeType.server_hello)) add('renegotiation', 'failed', 'the server answered the renegotiation ClientHello with a ServerHello', { conversations: [c.id], observed: 'ServerHello' });
      else add('renegotiation', 'passed', `renegotiation refused: ${how}`, { conversations: [c.id], expected: 'no ServerHello (no_renegotiation, an alert, or no response)', observed: how });
    }
  }

  // resumption
  {
    const r = conv('resume');
    const g = conv('resume-garbage');
    const problems: string[] = [];
    const seen: string[] = [];
    if (r && !r.skipped) {
      const was = first.outcome.negotiated?.suite;
      if (r.outcome.negotiated?.resumed) {
        seen.push(`resumed by session id (${r.outcome.negotiated.suiteName})`);
        if (r.outcome.negotiated.suite !== was) problems.push(`resumed with ${r.outcome.negotiated.suiteName}, the session was ${suiteName(was ?? 0)}`);
      } else seen.push(`session id not resumed: ${describe(r.outcome)}`);
    } else seen.push(r?.skipped ?? 'resumption not tried');
    if (g && !g.skipped) {
      const sh = flight(g).serverHello;
      const garbageId = (g.transcript.find((e) => e.dir === 'out' && e.kind === 'handshake' && e.type === HandshakeType.client_hello)?.hex ?? '').slice(2 * (4 + 2 + 32 + 1), 2 * (4 + 2 + 32 + 1 + 32));
      if (sh && garbageId && sh.sessionIdHex === garbageId) problems.push('the server echoed an unknown session id (claims to resume a session it cannot have)');
      else seen.push(`unknown id: ${g.outcome.handshake ? 'full handshake' : describe(g.outcome)}`);
    }
    if (!problems.length && mute) add('resumption', 'not_tested', mute, { conversations: ['sanity-first', 'resume', 'resume-garbage'], informational: true, observed: seen.join('; ') });
    else add('resumption', problems.length ? 'failed' : 'passed', problems.length ? problems.join('; ') : seen.join('; '), { conversations: ['sanity-first', 'resume', 'resume-garbage'], informational: !problems.length, observed: seen.join('; ') });
  }

  // client authentication
  {
    const cr = ff.certificateRequest;
    const noCert = conv('ecc-no-client-cert');
    let required: boolean | undefined;
    let seen: string;
    if (noCert && !noCert.skipped) {
      required = !noCert.outcome.handshake;
      seen = `CertificateRequest ${cr ? `sent (types ${cr.types.join(',')}, ${cr.authorities} CA name(s))` : 'not sent'}; ECC handshake without a client certificate ${noCert.outcome.handshake ? 'completed' : `failed (${describe(noCert.outcome)})`}`;
    } else {
      const o = first.outcome;
      if (o.handshake) required = false;
      else if (cr) required = true;
      seen = `no client certificate was given; CertificateRequest ${cr ? 'sent' : 'not sent'}; handshake ${o.handshake ? 'completed' : `failed (${describe(o)})`}`;
    }
    const want = x.clientAuth ?? 'any';
    if (required === undefined) add('client-auth', 'not_tested', seen, { conversations: ['sanity-first', 'ecc-no-client-cert'] });
    else if (want === 'required' && !required) add('client-auth', 'failed', `client authentication is not required: ${seen}`, { conversations: ['sanity-first', 'ecc-no-client-cert'], expected: 'client certificate required', observed: seen });
    else if (want === 'optional' && required) add('client-auth', 'failed', `client authentication is required: ${seen}`, { conversations: ['sanity-first', 'ecc-no-client-cert'], expected: 'client certificate optional', observed: seen });
    else add('client-auth', 'passed', `${required ? 'client certificate required' : 'client certificate not required'}: ${seen}`, { conversations: ['sanity-first', 'ecc-no-client-cert'], informational: want === 'any', observed: seen });
  }

  // divergent forms
  {
    const forms = report.conversations.filter((c) => c.id.startsWith('form-'));
    const tried = forms.filter((c) => !c.skipped);
    if (!tried.length) add('forms', 'not_tested', forms[0]?.skipped ?? 'not run', { conversations: forms.map((c) => c.id), informational: true });
    else {
      const ok = tried.filter((c) => c.outcome.handshake).map((c) => c.id.replace('form-', ''));
      const seen = tried.map((c) => `${c.id.replace('form-', '')}: ${c.outcome.handshake ? 'accepted' : describe(c.outcome)}`).join('; ');
      add('forms', ok.length ? 'passed' : 'failed', ok.length ? `accepted: ${ok.join(', ')} (bare = 69-byte CKE, vector = 71-byte; hash/raw CertificateVerify)` : `no ECDHE form accepted: ${seen}`, { conversations: tried.map((c) => c.id), informational: true, observed: seen });
    }
  }

  // sanity last
  {
    const c = conv('sanity-last')!;
    add('sanity-last', c.outcome.handshake ? 'passed' : first.outcome.handshake ? 'failed' : 'not_tested', c.outcome.handshake ? `handshake completed (${c.outcome.negotiated?.suiteName})` : describe(c.outcome), { conversations: [c.id] });
  }
  return results;
}

/** One line for an outcome: alert, close, silence, local abort. */
export function describe(o: Partial<Outcome> | undefined): string {
  if (!o) return 'nothing';
  const parts: string[] = [];
  if (o.handshake) parts.push(`handshake completed${o.negotiated ? ` (${o.negotiated.suiteName})` : ''}`);
  if (o.alert) parts.push(`${o.alert.level === 1 ? 'warning' : o.alert.level === 2 ? 'fatal' : `level ${o.alert.level}`} alert ${o.alert.name}`);
  if (o.localAbort) parts.push(`probe aborted: ${o.localAbort}`);
  if (o.closed && !o.alert) parts.push('closed without alert');
  else if (o.closed) parts.push('closed');
  if (o.timedOut) parts.push('no response (timeout)');
  return parts.join(', ') || 'nothing';
}

const hex = (n: number) => n.toString(16).padStart(4, '0');
