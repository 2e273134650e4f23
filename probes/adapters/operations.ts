/**
 * The operations probes may ask an adapter for, with their input and output fields.
 * Mapping files are checked against this list so a misspelt operation or field is caught at load time.
 * Types: bytes (Buffer), string, integer, boolean, json (any JSON value: lists and records).
 */
export interface OperationSpec {
  description: string;
  input: Record<string, 'bytes' | 'string' | 'integer' | 'boolean' | 'json'>;
  output: Record<string, 'bytes' | 'string' | 'integer' | 'boolean' | 'string[]' | 'json'>;
}

export const OPERATIONS: Record<string, OperationSpec> = {
  health: { description: 'liveness of the service', input: {}, output: { status: 'string' } },
  capabilities: { description: 'algorithms the service offers', input: {}, output: { algorithms: 'string[]' } },
  hash: { description: 'digest of data', input: { algorithm: 'string', data: 'bytes' }, output: { digest: 'bytes' } },
  hmac: { description: 'HMAC with a platform-held key', input: { keyId: 'string', algorithm: 'string', data: 'bytes' }, output: { mac: 'bytes' } },
  random: { description: 'random bytes from the platform generator', input: { length: 'integer' }, output: { random: 'bytes' } },
  generateKey: { description: 'generate a key inside the platform', input: { type: 'string', name: 'string', exportable: 'boolean', rotationPeriodDays: 'integer' }, output: { keyId: 'string', deviceId: 'string' } },
  getPublicKey: { description: 'public key of an asymmetric platform key (04||x||y)', input: { keyId: 'string' }, output: { publicKey: 'bytes' } },
  getImportParameters: { description: 'wrapping public key and token for importing a key', input: {}, output: { importToken: 'string', wrappingPublicKey: 'bytes' } },
  importKey: { description: 'import a key wrapped (SM2-encrypted) under the wrapping key', input: { type: 'string', name: 'string', wrappedKey: 'bytes', importToken: 'string', exportable: 'boolean' }, output: { keyId: 'string' } },
  encrypt: { description: 'symmetric encryption with a platform-held key', input: { keyId: 'string', algorithm: 'string', mode: 'string', iv: 'bytes', data: 'bytes', padding: 'boolean', aad: 'bytes' }, output: { ciphertext: 'bytes', tag: 'bytes' } },
  decrypt: { description: 'symmetric decryption with a platform-held key', input: { keyId: 'string', algorithm: 'string', mode: 'string', iv: 'bytes', data: 'bytes', padding: 'boolean', aad: 'bytes', tag: 'bytes' }, output: { plaintext: 'bytes' } },
  sign: { description: 'SM2 signature with a platform-held key (Z with the given ID, then SM3)', input: { keyId: 'string', data: 'bytes', userId: 'string' }, output: { signature: 'bytes' } },
  verify: { description: 'SM2 verification with a platform key or a supplied public key', input: { keyId: 'string', publicKey: 'bytes', data: 'bytes', signature: 'bytes', userId: 'string' }, output: { valid: 'boolean' } },
  // --- key lifecycle (T/TCGIA 0003-2023 §6.2 c, §6.5.3) ---
  getKey: { description: 'key metadata (never material): state, type, primary version, device', input: { keyId: 'string' }, output: { state: 'string', type: 'string', primaryVersion: 'integer', deviceId: 'string', versions: 'json' } },
  changeKeyState: { description: 'a lifecycle transition; action ∈ activate, suspend, resume, deactivate, revoke, archive, recover, cancel-destruction', input: { keyId: 'string', action: 'string', reason: 'string' }, output: { state: 'string' } },
  rotateKey: { description: 'rotate a key now (adds a version)', input: { keyId: 'string' }, output: { primaryVersion: 'integer' } },
  setRotationPolicy: { description: 'configure automatic rotation every N days', input: { keyId: 'string', rotationPeriodDays: 'integer' }, output: { nextRotationAt: 'string' } },
  scheduleKeyDestruction: { description: 'normal destruction after a waiting window', input: { keyId: 'string', pendingWindowDays: 'integer' }, output: { state: 'string' } },
  emergencyDestroyKey: { description: 'request emergency destruction: immediate, or (M-of-N) an approval to obtain first — approvalId is set then', input: { keyId: 'string', reason: 'string' }, output: { state: 'string', approvalId: 'string', approvalState: 'string' } },
  emergencyDestroyExecute: { description: 'execute an approved emergency destruction (destroys the key at once)', input: { keyId: 'string', approvalId: 'string' }, output: { state: 'string' } },
  exportKey: { description: 'export a key encrypted (SM2 envelope) to the given public key', input: { keyId: 'string', wrappingPublicKey: 'bytes' }, output: { wrappedKey: 'bytes' } },
  backupKey: { description: 'back a key up by knowledge splitting: custodians = [{name, publicKey(base64)}]', input: { keyId: 'string', threshold: 'integer', custodians: 'json' }, output: { backupId: 'string', blob: 'string', shares: 'json' } },
  getBackupRecord: { description: 'the record of a backup and of every share issued', input: { keyId: 'string', backupId: 'string' }, output: { threshold: 'integer', shares: 'json' } },
  restoreKey: { description: 'restore a backup from custodian shares (base64 list)', input: { blob: 'string', shares: 'json' }, output: { keyId: 'string' } },
  encryptData: { description: 'authenticated, versioned encryption with a platform key (opaque ciphertext naming the key version)', input: { keyId: 'string', plaintext: 'bytes', aad: 'bytes' }, output: { ciphertext: 'string', keyVersion: 'integer' } },
  decryptData: { description: 'decryption of encryptData output', input: { keyId: 'string', ciphertext: 'string', aad: 'bytes' }, output: { plaintext: 'bytes', keyVersion: 'integer' } },
  sm2Encrypt: { description: 'SM2 encryption to a platform key (GM/T 0009 DER)', input: { keyId: 'string', data: 'bytes' }, output: { ciphertext: 'bytes' } },
  sm2Decrypt: { description: 'SM2 decryption with a platform key', input: { keyId: 'string', ciphertext: 'bytes' }, output: { plaintext: 'bytes' } },
  whoAmI: { description: 'the calling application', input: {}, output: { appId: 'string' } },
  // --- administration (§6.4, §6.5.6) ---
  adminWhoAmI: { description: 'the administrator of the session and their roles', input: {}, output: { username: 'string', roles: 'string[]' } },
  createAdmin: { description: 'create an administrator (password, SM2 public key, roles)', input: { username: 'string', password: 'string', publicKey: 'bytes', roles: 'json' }, output: { adminId: 'string', roles: 'string[]' } },
  setAdminRoles: { description: 'change the roles of an administrator', input: { adminId: 'string', roles: 'json' }, output: { roles: 'string[]' } },
  setAppPolicy: { description: 'access-control policy of an application: operations and keys (null = all)', input: { appId: 'string', operations: 'json', keyIds: 'json' }, output: {} },
  getApp: { description: 'application record as the platform keeps it', input: { appId: 'string' }, output: { record: 'json' } },
  tamperAppPolicy: { description: 'conformance hook: edit an application\'s stored access-control policy in place, keeping its old MAC (an attacker with database access); calling it again restores it', input: { appId: 'string' }, output: {} },
  // --- resource pool and monitoring (§6.1, §6.4 h) ---
  listDevices: { description: 'the devices of the pool with identity, model, vendor, type and state', input: {}, output: { devices: 'json' } },
  enrolDevice: { description: 'enrol a device (identity, model, vendor; availability self-test)', input: { model: 'string', vendor: 'string', type: 'string' }, output: { deviceId: 'string', state: 'string', selfTest: 'json' } },
  runHealthCheck: { description: 'run the pool health check now', input: {}, output: { devices: 'json' } },
  injectDeviceFault: { description: 'conformance hook: make a device fail (mode ERROR|TIMEOUT|OFF|NONE)', input: { deviceId: 'string', mode: 'string' }, output: {} },
  getMetrics: { description: 'usage per application, interface and device', input: {}, output: { applications: 'json', devices: 'json' } },
  advanceClock: { description: 'conformance hook: move the platform clock forward', input: { advanceSeconds: 'integer' }, output: {} },
  // --- device groups and dedicated devices (§6.1.2, §6.1.3 c) ---
  createDeviceGroup: { description: 'create a device group (isolation EXCLUSIVE|SHARED) of the given devices', input: { name: 'string', isolation: 'string', deviceIds: 'json' }, output: { groupId: 'string', members: 'json' } },
  getDeviceGroup: { description: 'a device group with its members and assigned applications', input: { groupId: 'string' }, output: { record: 'json' } },
  deleteDeviceGroup: { description: 'delete a device group', input: { groupId: 'string' }, output: {} },
  addGroupDevice: { description: 'add a device to a group', input: { groupId: 'string', deviceId: 'string' }, output: { members: 'json' } },
  removeGroupDevice: { description: 'remove a device from a group', input: { groupId: 'string', deviceId: 'string' }, output: { members: 'json' } },
  assignAppDeviceGroup: { description: 'dedicate a device group to an application (groupId null: back to the shared pool)', input: { appId: 'string', groupId: 'json' }, output: {} },
  syncGroupKey: { description: 'synchronise a key to every member of its device group; returns the protected sync blob', input: { groupId: 'string', keyId: 'string' }, output: { blob: 'string', replicas: 'json', placement: 'json' } },
  importGroupSync: { description: 'open a key sync blob in a device group (must be refused for another group or an altered blob)', input: { groupId: 'string', blob: 'string' }, output: { replicas: 'json' } },
  getKeyPlacement: { description: 'which devices hold a key (home device and synchronised copies)', input: { keyId: 'string' }, output: { placement: 'json' } },
  // --- interface lifecycle and monitoring (§6.4 f/h) ---
  listInterfaces: { description: 'the service interfaces with version, lifecycle state, availability and call counts', input: {}, output: { interfaces: 'json' } },
  changeInterfaceState: { description: 'interface lifecycle action: publish, deprecate, unpublish', input: { interfaceId: 'string', action: 'string', note: 'string' }, output: { state: 'string', version: 'string' } },
  newInterfaceVersion: { description: 'iterate an interface to a new version', input: { interfaceId: 'string', version: 'string', note: 'string' }, output: { version: 'string', history: 'json' } },
  // --- software and configuration integrity (§6.5.5 a) ---
  getIntegrity: { description: 'the signed manifest of the platform software and configuration, and the last verification', input: {}, output: { status: 'string', manifest: 'string', signature: 'bytes', publicKey: 'bytes', mismatches: 'json' } },
  verifyIntegrity: { description: 'verify the platform software and configuration against the signed manifest now', input: {}, output: { status: 'string', manifest: 'string', signature: 'bytes', publicKey: 'bytes', mismatches: 'json' } },
  alterSoftwareFile: { description: 'conformance hook: the integrity verifier sees one software file as altered (calling it again restores)', input: { path: 'string' }, output: { altered: 'boolean' } },
  // --- supervision (§6.5.10) ---
  supervisionReport: { description: 'a signed supervision report (request volumes, trend, anomalies, algorithm usage); with a recipient key also sealed in a digital envelope', input: { recipientPublicKey: 'bytes' }, output: { report: 'string', signature: 'bytes', publicKey: 'bytes', record: 'json' } },
  // --- certificate authority, RA and KM (GM/T 0034 §5, §6, §12; docs/ca-km.md) ---
  raSubmitRequest: { description: 'RA 录入: a certificate request (type ENROLL|RENEW|REKEY, template, subject {C,O,OU,CN…}, PKCS#10 with the subscriber signing key)', input: { type: 'string', profile: 'string', subject: 'json', csr: 'bytes', targetSerial: 'string' }, output: { requestId: 'string', state: 'string' } },
  raReviewRequest: { description: 'RA 审核: decision approve|reject on a submitted request', input: { requestId: 'string', decision: 'string' }, output: { state: 'string' } },
  raIssueRequest: { description: 'RA 制证: have the CA issue the signing and encryption certificates of an approved request', input: { requestId: 'string' }, output: { state: 'string', signSerial: 'string', encSerial: 'string' } },
  raDownloadResult: { description: 'RA 下载: both certificates (DER), the encryption private key as a GM/T 0009 SM2EnvelopedKey to the signing key, the CA chain (PEM)', input: { requestId: 'string' }, output: { signCertificate: 'bytes', encCertificate: 'bytes', encryptedPrivateKey: 'bytes', chain: 'string' } },
  getCertificate: { description: 'a certificate record as the CA keeps it: status VALID|ON_HOLD|REVOKED|EXPIRED, reason, revocation time, paired certificate', input: { serial: 'string' }, output: { status: 'string', certificate: 'bytes' } },
  changeCertificateStatus: { description: 'certificate status change: action hold (冻结) | release (解冻) | revoke (撤销, with reason)', input: { serial: 'string', action: 'string', reason: 'string' }, output: { status: 'string' } },
  issueCrlNow: { description: 'issue a CRL now (on demand)', input: { caId: 'string' }, output: { crlNumber: 'integer' } },
  kmPoolStats: { description: 'KM key stores: pre-generated (备用库), in use (在用库), history (历史库)', input: {}, output: { stores: 'json' } },
  kmReplenishPool: { description: 'KM: refill the pre-generated key store (备用库) now', input: {}, output: { stores: 'json' } },
  kmKeyInfo: { description: 'KM: the key record bound to an encryption certificate serial (GM/T 0014 userCertNo): state and public key', input: { userCertNo: 'string' }, output: { state: 'string', publicKey: 'bytes' } },
  kmEscrowRecord: { description: 'conformance hook: the KM escrow record of an encryption key exactly as stored', input: { userCertNo: 'string' }, output: { format: 'string', stored: 'bytes' } },
  judicialRecoveryRequest: { description: '司法取证: a judicial recovery request (case number, SM3 of the legal document, encryption certificate serial, officer SM2 public key)', input: { caseNumber: 'string', documentDigest: 'string', userCertNo: 'string', officerPublicKey: 'bytes' }, output: { recoveryId: 'string', state: 'string', required: 'integer' } },
  approvalDecide: { description: 'approve or reject a pending M-of-N approval (decision approve|reject)', input: { approvalId: 'string', decision: 'string' }, output: { state: 'string' } },
  judicialRecoveryExecute: { description: 'execute an approved judicial recovery (once, by the requesting officer): the key as an SM2EnvelopedKey to the officer', input: { recoveryId: 'string' }, output: { encryptedPrivateKey: 'bytes' } },
  // --- audit (§6.5.7) ---
  auditRecords: { description: 'audit records (each with the exact entry text its leaf hash covers)', input: { resourceId: 'string', action: 'string', outcome: 'string' }, output: { records: 'json' } },
  auditPublicKey: { description: 'the SM2 public key that signs audit checkpoints', input: {}, output: { publicKey: 'bytes' } },
  auditCheckpoint: { description: 'the latest signed checkpoint of the audit log', input: {}, output: { size: 'integer', rootHash: 'bytes', note: 'string', signature: 'bytes' } },
  auditInclusionProof: { description: 'RFC 6962 inclusion proof of a record in a tree size', input: { seq: 'integer', treeSize: 'integer' }, output: { path: 'json' } },
  auditConsistencyProof: { description: 'RFC 6962 consistency proof between two tree sizes', input: { first: 'integer', second: 'integer' }, output: { path: 'json' } },
  auditVerify: { description: 'the platform verifies its own audit log', input: {}, output: { status: 'string', result: 'json' } },
  deleteAuditRecord: { description: 'attempt to delete an audit record (must be refused)', input: { seq: 'integer' }, output: {} },
  tamperAuditRecord: { description: 'conformance hook: edit one stored audit record in place (an attacker with database access); calling it again restores the record', input: { seq: 'integer' }, output: {} },
};
