// The part of ldapjs@3 (server side) the directory uses; the package ships no type declarations.
declare module 'ldapjs' {
  export interface LdapDn { toString(): string; length: number; equals(other: LdapDn | string): boolean; childOf(other: LdapDn | string): boolean }
  export interface LdapAttribute { type: string; values: (string | Buffer)[]; buffers: Buffer[] }
  export interface LdapConnection { ldap: { bindDN: LdapDn; id: string } }
  export interface LdapFilter { matches(obj: Record<string, string[]>, strictAttrCase?: boolean): boolean; toString(): string }
  export interface LdapRequest { dn: LdapDn; connection: LdapConnection; logId: string }
  export interface BindRequest extends LdapRequest { credentials: string; version: number }
  export interface SearchRequest extends LdapRequest { scopeName: 'base' | 'single' | 'subtree'; filter: LdapFilter; attributes: string[]; sizeLimit: number }
  export interface AddRequest extends LdapRequest { attributes: LdapAttribute[] }
  export interface ModifyRequest extends LdapRequest { changes: { operation: 'add' | 'replace' | 'delete'; modification: LdapAttribute }[] }
  export interface LdapResponse { end(status?: number): void; messageId: number }
  export interface SearchResponse extends LdapResponse { send(entry: unknown, nofiltering?: boolean): void }
  export type Next = (err?: Error) => void;
  export type Handler<Q, S> = (req: Q, res: S, next: Next) => unknown;
  export interface LdapSocket { parser: { write(data: Buffer): boolean; buffer: Buffer | null }; destroy(): void }
  export interface Server {
    url: string;
    newConnection(conn: LdapSocket): void;
    bind(dn: string, ...h: Handler<BindRequest, LdapResponse>[]): void;
    search(dn: string, ...h: Handler<SearchRequest, SearchResponse>[]): void;
    add(dn: string, ...h: Handler<AddRequest, LdapResponse>[]): void;
    modify(dn: string, ...h: Handler<ModifyRequest, LdapResponse>[]): void;
    del(dn: string, ...h: Handler<LdapRequest, LdapResponse>[]): void;
    modifyDN(dn: string, ...h: Handler<LdapRequest, LdapResponse>[]): void;
    compare(dn: string, ...h: Handler<LdapRequest, LdapResponse>[]): void;
    exop(name: string, ...h: Handler<LdapRequest, LdapResponse>[]): void;
    listen(port: number, host: string, cb: () => void): void;
    close(cb?: () => void): void;
    on(event: 'error' | 'clientError', cb: (e: Error) => void): void;
    server: import('node:net').Server;
  }
  export interface LdapjsModule {
    createServer(options?: { log?: unknown; connectionRouter?: (conn: LdapSocket) => void }): Server;
    parseDN(dn: string): LdapDn;
    Attribute: new (o: { type: string; values: (string | Buffer)[] }) => LdapAttribute;
    SearchEntry: new (o: { messageId: number; objectName: LdapDn; attributes: LdapAttribute[] }) => unknown;
    InsufficientAccessRightsError: new (msg?: string) => Error;
    InvalidCredentialsError: new (msg?: string) => Error;
    UnwillingToPerformError: new (msg?: string) => Error;
    NoSuchObjectError: new (msg?: string) => Error;
    EntryAlreadyExistsError: new (msg?: string) => Error;
    InvalidDnSyntaxError: new (msg?: string) => Error;
    ObjectclassViolationError: new (msg?: string) => Error;
    NoSuchAttributeError: new (msg?: string) => Error;
    OperationsError: new (msg?: string) => Error;
  }
  const ldap: LdapjsModule;
  export default ldap;
}
