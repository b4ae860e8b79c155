// Node-RED's credentials file encryption: key = sha256(secret), aes-256-ctr, random 16-byte IV,
// stored as {"$": ivHex + base64(ciphertext of the JSON map)}. Files interoperate with Node-RED both ways.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { CredentialMap } from '../runtime/types.js';
import { tryParseJson } from './json-file.js';

const ALGORITHM = 'aes-256-ctr';
const IV_HEX_LENGTH = 32;

export interface EncryptedCredentials {
  $: string;
}

/** The 32-byte key Node-RED derives from a credentialSecret (or from the generated `_credentialSecret`). */
export function credentialKey(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** True for the shape Node-RED treats as encrypted: an object whose only key is `$`. */
export function isEncryptedCredentials(value: unknown): value is EncryptedCredentials {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$';
}

export function encryptCredentials(map: CredentialMap, secret: string): EncryptedCredentials {
  const iv = randomBytes(16);
  const cipher = createCipheriv(ALGORITHM, credentialKey(secret), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(map), 'utf8'), cipher.final()]);
  return { $: iv.toString('hex') + body.toString('base64') };
}

/**
 * Decrypts a credentials file object. AES-CTR has no integrity check, so a wrong key shows up as
 * plaintext that is not a JSON object: that is reported as a wrong key or a damaged file.
 */
export function decryptCredentials(file: unknown, secret: string): CredentialMap {
  if (!isEncryptedCredentials(file) || typeof file.$ !== 'string') {
    throw new Error('Failed to decrypt credentials: the file is not in the encrypted {"$": ...} format');
  }
  const blob = file.$;
  const ivHex = blob.slice(0, IV_HEX_LENGTH);
  if (!/^[0-9a-fA-F]{32}$/.test(ivHex)) {
    throw new Error('Failed to decrypt credentials: the file does not start with a 16-byte hex IV');
  }
  const decipher = createDecipheriv(ALGORITHM, credentialKey(secret), Buffer.from(ivHex, 'hex'));
  const body = Buffer.from(blob.slice(IV_HEX_LENGTH), 'base64');
  const text = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  const result = tryParseJson(text, true);
  const parsed = result.ok ? result.value : undefined;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('Failed to decrypt credentials: wrong credentialSecret, or the credentials file is damaged');
  }
  return parsed as CredentialMap;
}
