/**
 * The operations probes may ask an adapter for, with their input and output fields.
 * Mapping files are checked against this list so a misspelt operation or field is caught at load time.
 * Types: bytes (Buffer), string, integer, boolean.
 */
export interface OperationSpec {
  description: string;
  input: Record<string, 'bytes' | 'string' | 'integer' | 'boolean'>;
  output: Record<string, 'bytes' | 'string' | 'integer' | 'boolean' | 'string[]'>;
}

export const OPERATIONS: Record<string, OperationSpec> = {
  health: { description: 'liveness of the service', input: {}, output: { status: 'string' } },
  capabilities: { description: 'algorithms the service offers', input: {}, output: { algorithms: 'string[]' } },
  hash: { description: 'digest of data', input: { algorithm: 'string', data: 'bytes' }, output: { digest: 'bytes' } },
  hmac: { description: 'HMAC with a platform-held key', input: { keyId: 'string', algorithm: 'string', data: 'bytes' }, output: { mac: 'bytes' } },
  random: { description: 'random bytes from the platform generator', input: { length: 'integer' }, output: { random: 'bytes' } },
  generateKey: { description: 'generate a key inside the platform', input: { type: 'string', name: 'string' }, output: { keyId: 'string' } },
  getPublicKey: { description: 'public key of an asymmetric platform key (04||x||y)', input: { keyId: 'string' }, output: { publicKey: 'bytes' } },
  getImportParameters: { description: 'wrapping public key and token for importing a key', input: {}, output: { importToken: 'string', wrappingPublicKey: 'bytes' } },
  importKey: { description: 'import a key wrapped (SM2-encrypted) under the wrapping key', input: { type: 'string', name: 'string', wrappedKey: 'bytes', importToken: 'string' }, output: { keyId: 'string' } },
  encrypt: { description: 'symmetric encryption with a platform-held key', input: { keyId: 'string', algorithm: 'string', mode: 'string', iv: 'bytes', data: 'bytes', padding: 'boolean', aad: 'bytes' }, output: { ciphertext: 'bytes', tag: 'bytes' } },
  decrypt: { description: 'symmetric decryption with a platform-held key', input: { keyId: 'string', algorithm: 'string', mode: 'string', iv: 'bytes', data: 'bytes', padding: 'boolean', aad: 'bytes', tag: 'bytes' }, output: { plaintext: 'bytes' } },
  sign: { description: 'SM2 signature with a platform-held key (Z with the given ID, then SM3)', input: { keyId: 'string', data: 'bytes', userId: 'string' }, output: { signature: 'bytes' } },
  verify: { description: 'SM2 verification with a platform key or a supplied public key', input: { keyId: 'string', publicKey: 'bytes', data: 'bytes', signature: 'bytes', userId: 'string' }, output: { valid: 'boolean' } },
};
