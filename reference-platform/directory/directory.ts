import { randomBytes, timingSafeEqual } from 'node:crypto';
import ldap from 'ldapjs';
import type { AddRequest, BindRequest, LdapRequest, LdapResponse, LdapSocket, ModifyRequest, Next, SearchRequest, SearchResponse, Server } from 'ldapjs';
import { dnKey, nameToLdapDn, parseLdapDn } from '../../lib/ca/ldap-dn.ts';
import { parseCertificate } from '../../lib/pki/x509.ts';
import type { PlatformContext } from '../context.ts';

/** One directory entry: its DN as written and its attributes (name as published → values). */
interface Entry { dn: string; attrs: Map<string, { name: string; values: (string | Buffer)[] }> }

export interface DirectoryOptions {
  /** the publisher's bind DN; the only identity that may write */
  publisherDn?: string;
  /** the publisher's password (default: random per start, shown only to the platform's own publisher) */
  publisherPassword?: string;
}

const CERT = 'usercertificate;binary';

/**
 * The directory service (目录服务, licence material 一.6.4 / 二.6.2.6 / 三.6): an LDAP v3 server on loopback where the CA
 * publishes, under RFC 4523 names, each CA's certificate and current CRL at the CA's subject DN (objectClass
 * cRLDistributionPoint + pkiCA: cACertificate;binary, certificateRevocationList;binary, and for the root
 * authorityRevocationList;binary), each subscriber's certificates at the subject's DN (pkiUser: userCertificate;binary)
 * and one entry per certificate under its issuer, `x509serialNumber=<decimal>,<CA DN>`, for look-up by serial
 * (attributes x509serialNumber, x509issuer, x509subject, userCertificate;binary — the x509certificate schema of
 * draft-klasen-ldap-x509certificate-schema).
 *
 * Publication is incremental from the CA database (new certificates by rowid, each CA's newest CRL by number) and
 * runs before every read, so the directory is never behind the CA. Reads are anonymous (relying parties);
 * add / modify / delete / modifyDN are refused unless the connection is bound as the publisher. Unauthenticated binds
 * (a DN with an empty password, RFC 4513 §5.1.2) are refused, not treated as the DN.
 */
export class Directory {
  readonly publisherDn: string;
  private readonly publisherPassword: Buffer;
  private readonly entries = new Map<string, Entry>();
  private lastRowid = 0;
  private readonly crlPublished = new Map<string, number>();
  private server?: Server;

  constructor(private readonly ctx: PlatformContext, o: DirectoryOptions = {}) {
    this.publisherDn = o.publisherDn ?? 'cn=publisher,ou=system,o=gmeval reference platform,c=CN';
    this.publisherPassword = Buffer.from(o.publisherPassword ?? randomBytes(18).toString('base64url'));
    this.loadWritten();
  }

  // --- publication from the CA database ------------------------------------------------------------

  /** Brings the directory up to date with the CA: certificates issued since the last run, newer CRLs. */
  sync(): void {
    const pki = this.ctx.pki;
    if (!pki) return;
    for (const a of pki.ca.list()) {
      if (a.kind !== 'root' && a.kind !== 'sub') continue;
      const dn = nameToLdapDn(parseCertificate(a.certificate).subject);
      const e = this.entry(dn, ['top', 'cRLDistributionPoint', 'pkiCA']);
      set(e, 'cn', [String(parseLdapDn(dn)[0]?.[0]?.value ?? a.name)]);
      set(e, 'cACertificate;binary', [a.certificate]);
      // the current CRL (a new one is issued first when none exists or its period is over)
      const crl = pki.ca.currentCrl(a.id);
      const published = this.crlPublished.get(a.id);
      // defect ldap-stale-entry: the first CRL is published, later ones never replace it
      if (crl && (published === undefined || (crl.number > published && !this.ctx.defects.has('ldap-stale-entry')))) {
        set(e, 'certificateRevocationList;binary', [Buffer.from(crl.der)]);
        if (a.kind === 'root') set(e, 'authorityRevocationList;binary', [Buffer.from(crl.der)]);
        this.crlPublished.set(a.id, crl.number);
      }
    }
    const rows = this.ctx.db.prepare('SELECT rowid AS rid, serial, der FROM ca_certificates WHERE rowid > ? ORDER BY rowid LIMIT 5000').all(this.lastRowid) as { rid: number; serial: string; der: Buffer }[];
    for (const r of rows) {
      this.lastRowid = r.rid;
      this.publishCertificate(Buffer.from(r.der));
    }
    if (rows.length === 5000) this.sync();
  }

  private publishCertificate(der: Buffer): void {
    let c;
    try { c = parseCertificate(der); } catch { return; }
    const subjectDn = nameToLdapDn(c.subject);
    const issuerDn = nameToLdapDn(c.issuer);
    const serial = BigInt('0x' + (Buffer.from(c.serial.node.content).toString('hex') || '0')).toString(10);
    const holder = this.entry(subjectDn, ['top', 'inetOrgPerson', 'pkiUser']);
    const cn = parseLdapDn(subjectDn)[0]?.find((a) => a.type.toLowerCase() === 'cn')?.value ?? subjectDn;
    set(holder, 'cn', [cn]);
    if (!holder.attrs.has('sn')) set(holder, 'sn', [cn]);
    const certs = holder.attrs.get(CERT)?.values ?? [];
    if (!certs.some((v) => Buffer.isBuffer(v) && v.equals(der))) set(holder, 'userCertificate;binary', [...certs, der]);
    const byId = this.entry(`x509serialNumber=${serial},${issuerDn}`, ['top', 'x509certificate']);
    set(byId, 'x509serialNumber', [serial]);
    set(byId, 'x509issuer', [issuerDn]);
    set(byId, 'x509subject', [subjectDn]);
    set(byId, 'userCertificate;binary', [der]);
  }

  private entry(dn: string, objectClass: string[]): Entry {
    const key = dnKey(dn);
    let e = this.entries.get(key);
    if (!e) {
      e = { dn, attrs: new Map() };
      set(e, 'objectClass', objectClass);
      this.entries.set(key, e);
    }
    return e;
  }

  // --- entries written over LDAP by the publisher (persisted) --------------------------------------

  private loadWritten(): void {
    this.ctx.db.exec('CREATE TABLE IF NOT EXISTS directory_entries (dn_key TEXT PRIMARY KEY, entry TEXT NOT NULL, updated_at TEXT NOT NULL)');
    for (const r of this.ctx.db.prepare('SELECT entry FROM directory_entries').all() as { entry: string }[]) {
      const j = JSON.parse(r.entry) as { dn: string; attrs: { name: string; values: { b?: string; s?: string }[] }[] };
      const e: Entry = { dn: j.dn, attrs: new Map() };
      for (const a of j.attrs) set(e, a.name, a.values.map((v) => (v.b !== undefined ? Buffer.from(v.b, 'base64') : String(v.s))));
      this.entries.set(dnKey(j.dn), e);
    }
  }

  private persist(key: string): void {
    const e = this.entries.get(key);
    if (!e) {
      this.ctx.db.prepare('DELETE FROM directory_entries WHERE dn_key = ?').run(key);
      return;
    }
    const attrs = [...e.attrs.values()].map((a) => ({ name: a.name, values: a.values.map((v) => (Buffer.isBuffer(v) ? { b: v.toString('base64') } : { s: v })) }));
    this.ctx.db.prepare('INSERT INTO directory_entries (dn_key, entry, updated_at) VALUES (?,?,?) ON CONFLICT(dn_key) DO UPDATE SET entry = excluded.entry, updated_at = excluded.updated_at')
      .run(key, JSON.stringify({ dn: e.dn, attrs }), this.ctx.clock.iso());
  }

  // --- the LDAP server -----------------------------------------------------------------------------

  private isPublisher(req: LdapRequest): boolean {
    try {
      return dnKey(req.connection.ldap.bindDN.toString()) === dnKey(this.publisherDn);
    } catch {
      return false;
    }
  }

  /** Write access control; every refusal and every write is audited. */
  private mayWrite(req: LdapRequest, op: string, next: Next): boolean {
    const who = req.connection.ldap.bindDN.toString();
    // defect ldap-anonymous-write: writes are accepted from any connection, anonymous included
    if (this.isPublisher(req) || this.ctx.defects.has('ldap-anonymous-write')) return true;
    this.ctx.audit.append({ actor: { type: 'system', id: `ldap:${who}` }, action: `LDAP_${op}`, resource: { type: 'directory-entry', id: safeDn(req) }, outcome: 'DENIED', details: { bindDn: who } });
    next(new ldap.InsufficientAccessRightsError(`${op.toLowerCase()} needs the publisher's bind; ${who} may only read`));
    return false;
  }

  private audited(req: LdapRequest, op: string): void {
    this.ctx.audit.append({ actor: { type: 'system', id: `ldap:${req.connection.ldap.bindDN.toString()}` }, action: `LDAP_${op}`, resource: { type: 'directory-entry', id: safeDn(req) }, outcome: 'SUCCESS' });
  }

  async listen(host: string, port: number): Promise<string> {
    // initial publication: every CA certificate and current CRL, every certificate issued so far
    this.sync();
    // every connection goes through guardParser: ldapjs 3.0.7 throws (uncaught, from the socket's data handler) on some
    // malformed lengths and buffers any announced length; neither may take the platform down
    const server: Server = ldap.createServer({ log: silentLog, connectionRouter: (conn) => { server.newConnection(conn); guardParser(conn); } });
    this.server = server;
    server.on('clientError', () => { /* a client that went away mid-request: nothing to serve */ });
    // bytes that are not LDAP (port scanners, other protocols): ldapjs answers protocolError or drops the connection itself
    server.on('error', () => { /* per-connection parser errors: already handled by ldapjs */ });

    server.bind('', (req: BindRequest, res: LdapResponse, next: Next) => {
      const dn = req.dn.toString();
      const anonymous = () => { req.connection.ldap.bindDN = ldap.parseDN('cn=anonymous'); };
      // (SASL binds never get here: ldapjs answers them itself as unsupported)
      if (!dn && req.credentials === '') { res.end(); return next(); }
      if (req.credentials === '') { anonymous(); return next(new ldap.UnwillingToPerformError('unauthenticated bind (a DN with an empty password) is refused, RFC 4513 §5.1.2')); }
      let ok = false;
      try { ok = dnKey(dn) === dnKey(this.publisherDn) && safeEqual(Buffer.from(req.credentials), this.publisherPassword); } catch { ok = false; }
      if (!ok) {
        anonymous();
        this.ctx.audit.append({ actor: { type: 'system', id: `ldap:${dn}` }, action: 'LDAP_BIND', outcome: 'FAILED', details: { bindDn: dn } });
        return next(new ldap.InvalidCredentialsError('invalid credentials'));
      }
      res.end();
      return next();
    });

    server.search('', (req: SearchRequest, res: SearchResponse, next: Next) => {
      this.sync();
      let baseKey: string;
      try { baseKey = dnKey(req.dn.toString()); } catch { return next(new ldap.InvalidDnSyntaxError('bad base DN')); }
      const scope = req.scopeName;
      const base = baseKey ? this.entries.get(baseKey) : undefined;
      if (baseKey && !base && ![...this.entries.keys()].some((k) => k.endsWith(`,${baseKey}`))) return next(new ldap.NoSuchObjectError(req.dn.toString()));
      const depth = baseKey ? baseKey.split(/(?<!\\),/).length : 0;
      let sent = 0;
      const limit = req.sizeLimit > 0 ? req.sizeLimit : 1000;
      for (const [key, e] of this.entries) {
        const inScope = scope === 'base' ? key === baseKey
          : scope === 'single' ? (baseKey ? key.endsWith(`,${baseKey}`) : true) && key.split(/(?<!\\),/).length === depth + 1
            : !baseKey || key === baseKey || key.endsWith(`,${baseKey}`);
        if (!inScope || !req.filter.matches(matchView(e), false)) continue;
        if (sent++ >= limit) break;
        res.send(new ldap.SearchEntry({ messageId: res.messageId, objectName: ldap.parseDN(e.dn), attributes: selectAttributes(e, req.attributes) }), true);
      }
      res.end();
      return next();
    });

    server.add('', (req: AddRequest, res: LdapResponse, next: Next) => {
      if (!this.mayWrite(req, 'ADD', next)) return;
      const dn = req.dn.toString();
      const key = dnKey(dn);
      if (this.entries.has(key)) return next(new ldap.EntryAlreadyExistsError(dn));
      const e: Entry = { dn, attrs: new Map() };
      for (const a of req.attributes) set(e, a.type, binaryName(a.type) ? a.buffers : a.values.map(String));
      if (!e.attrs.has('objectclass')) return next(new ldap.ObjectclassViolationError('objectClass is required'));
      this.entries.set(key, e);
      this.persist(key);
      this.audited(req, 'ADD');
      res.end();
      return next();
    });

    server.modify('', (req: ModifyRequest, res: LdapResponse, next: Next) => {
      if (!this.mayWrite(req, 'MODIFY', next)) return;
      const key = dnKey(req.dn.toString());
      const e = this.entries.get(key);
      if (!e) return next(new ldap.NoSuchObjectError(req.dn.toString()));
      for (const c of req.changes) {
        const name = c.modification.type;
        const vals: (string | Buffer)[] = binaryName(name) ? c.modification.buffers : c.modification.values.map(String);
        const cur = e.attrs.get(name.toLowerCase())?.values ?? [];
        if (c.operation === 'replace') vals.length ? set(e, name, vals) : e.attrs.delete(name.toLowerCase());
        else if (c.operation === 'add') set(e, name, [...cur, ...vals]);
        else {
          const rest = vals.length ? cur.filter((v) => !vals.some((x: string | Buffer) => String(x) === String(v) || (Buffer.isBuffer(x) && Buffer.isBuffer(v) && x.equals(v)))) : [];
          rest.length ? set(e, name, rest) : e.attrs.delete(name.toLowerCase());
        }
      }
      this.persist(key);
      this.audited(req, 'MODIFY');
      res.end();
      return next();
    });

    server.del('', (req: LdapRequest, res: LdapResponse, next: Next) => {
      if (!this.mayWrite(req, 'DELETE', next)) return;
      const key = dnKey(req.dn.toString());
      if (!this.entries.delete(key)) return next(new ldap.NoSuchObjectError(req.dn.toString()));
      this.persist(key);
      this.audited(req, 'DELETE');
      res.end();
      return next();
    });

    server.modifyDN('', (req: LdapRequest, _res: LdapResponse, next: Next) => {
      if (!this.mayWrite(req, 'MODIFYDN', next)) return;
      return next(new ldap.UnwillingToPerformError('renaming entries is not supported; delete and add instead'));
    });

    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(portOr0(port), host, () => resolve());
    });
    const addr = server.server.address();
    const p = typeof addr === 'object' && addr ? addr.port : port;
    return `ldap://${host.includes(':') ? `[${host}]` : host}:${p}`;
  }

  /** The publisher's credential, for the platform's own tools (never logged). */
  publisherCredential(): { dn: string; password: string } {
    return { dn: this.publisherDn, password: this.publisherPassword.toString() };
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    await new Promise<void>((r) => { try { s.close(() => r()); } catch { r(); } });
  }
}

/** Largest LDAP message accepted (a certificate or CRL entry is far smaller); an announced larger one ends the connection. */
const MAX_MESSAGE = 4 * 1024 * 1024;

function guardParser(conn: LdapSocket): void {
  const parser = conn.parser;
  const write = parser.write.bind(parser);
  parser.write = (data: Buffer) => {
    try {
      const r = write(data);
      if (parser.buffer && parser.buffer.length > MAX_MESSAGE) conn.destroy();
      return r;
    } catch {
      conn.destroy();
      return false;
    }
  };
}

const portOr0 = (p: number) => (Number.isInteger(p) && p >= 0 ? p : 0);
const binaryName = (n: string) => /;binary$/i.test(n) || /^(usercertificate|cacertificate|certificaterevocationlist|authorityrevocationlist|deltarevocationlist|crosscertificatepair)$/i.test(n);
const safeDn = (req: LdapRequest) => { try { return req.dn.toString().slice(0, 300); } catch { return '?'; } };
const safeEqual = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
const silentLog = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, child() { return silentLog; } };

function set(e: Entry, name: string, values: (string | Buffer)[]): void {
  e.attrs.set(name.toLowerCase(), { name, values });
}

/** What filters see: text attributes only (binary values are not matched by string assertions). */
function matchView(e: Entry): Record<string, string[]> {
  const o: Record<string, string[]> = {};
  for (const [k, a] of e.attrs) if (!binaryName(k)) o[k] = a.values.map(String);
  return o;
}

/** RFC 4511 attribute selection: none or `*` = all user attributes; `userCertificate` also selects its ;binary form. */
function selectAttributes(e: Entry, requested: string[]): InstanceType<typeof ldap.Attribute>[] {
  const want = requested.map((r) => r.toLowerCase()).filter((r) => r !== '1.1');
  const all = !requested.length || want.includes('*');
  const out = [];
  for (const [k, a] of e.attrs) {
    const bare = k.replace(/;binary$/, '');
    if (!all && !want.includes(k) && !want.includes(bare)) continue;
    out.push(new ldap.Attribute({ type: a.name, values: a.values }));
  }
  return out;
}
