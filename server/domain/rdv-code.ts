/** Six uppercase letters, as on the confirmation ("XOWVVO"). */
export const RDV_CODE_LENGTH = 6;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
// Largest multiple of 26 that fits in a byte: bytes at or above it would favour A–V.
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

export type RandomFill = (bytes: Uint8Array<ArrayBuffer>) => void;

const cryptoFill: RandomFill = (bytes) => {
  globalThis.crypto.getRandomValues(bytes);
};

/**
 * A uniformly drawn rdv code, by rejection sampling over random bytes. Uniqueness among active rdvs
 * is the database's job; the caller draws again on conflict.
 */
export function generateRdvCode(random: RandomFill = cryptoFill): string {
  let code = '';
  const bytes = new Uint8Array(16);
  while (code.length < RDV_CODE_LENGTH) {
    random(bytes);
    for (const b of bytes) {
      if (b >= UNBIASED_LIMIT) continue;
      code += ALPHABET[b % ALPHABET.length];
      if (code.length === RDV_CODE_LENGTH) break;
    }
  }
  return code;
}

const CODE_RE = /^[A-Z]{6}$/;

export function isRdvCode(value: string): boolean {
  return CODE_RE.test(value);
}

/** What a person types ("  xowvvo ") → the stored form, or null when it cannot be a code. */
export function normalizeRdvCode(value: string): string | null {
  const code = value.trim().toUpperCase();
  return isRdvCode(code) ? code : null;
}
