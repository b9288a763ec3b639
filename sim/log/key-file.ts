import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SigningKey } from './session-block.ts';

/**
 * The ingesting party's real Ed25519 key: a PKCS#8 PEM file made on first
 * use (mode 0600), with its public key beside it (`.pub.pem`, SPKI) for the
 * regulator to hold and pass to `verify --public-key`. Nothing in a log
 * derives it, unlike a simulated run's keys.
 */
export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

/** ~/.config/missionbench/ingest-key.pem (or under $XDG_CONFIG_HOME). */
export function defaultIngestKeyPath(): string {
  const config = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(config, 'missionbench', 'ingest-key.pem');
}

export function publicKeyPath(privateKeyPath: string): string {
  return privateKeyPath.replace(/(\.pem)?$/, '.pub.pem');
}

function rawPublicKey(key: KeyObject): string {
  return (key.export({ format: 'jwk' }) as { x: string }).x;
}

function requireEd25519(key: KeyObject, path: string): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyFileError(`${path}: expected an Ed25519 key, found ${key.asymmetricKeyType ?? 'another kind of key'}`);
}

/** The key at `path`; if there is none and `create`, a new one is made there first. */
export function loadOrCreateSigningKey(path: string, create: boolean): SigningKey & { path: string; created: boolean } {
  let created = false;
  if (!existsSync(path)) {
    if (!create) {
      throw new KeyFileError(
        `${path}: no such key file (make one with: openssl genpkey -algorithm ed25519 -out ${path}; or omit --key to use ${defaultIngestKeyPath()}, made on first use)`,
      );
    }
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const temporary = `${path}.partial-${process.pid}`;
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      writeFileSync(temporary, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
      chmodSync(temporary, 0o600);
      writeFileSync(publicKeyPath(path), publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o644 });
      renameSync(temporary, path);
    } catch (error) {
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Its folder could not be made either: nothing was written.
      }
      throw new KeyFileError(
        `cannot make the ingest key ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (give one with --key FILE)`,
      );
    }
    created = true;
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path));
  } catch (error) {
    throw new KeyFileError(`${path}: expected an Ed25519 private key (PEM), found something else (${(error as Error).message})`);
  }
  requireEd25519(privateKey, path);
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)), path, created };
}

/**
 * The public key (unpadded base64url of the raw 32 bytes) in `path`: a PEM
 * public key, a PEM private key (its public half), or the bare base64url
 * text as the manifest and the log show it.
 */
export function readPublicKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new KeyFileError(`${path}: cannot read the public key (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (/^[A-Za-z0-9_-]{43}$/.test(text)) return text;
  try {
    const key = text.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(text)) : createPublicKey(text);
    requireEd25519(key, path);
    return rawPublicKey(key);
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
    throw new KeyFileError(`${path}: expected an Ed25519 public key (PEM, or 43 base64url characters), found something else`);
  }
}
