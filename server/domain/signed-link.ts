import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tokens of the links sent to usagers (self-cancellation, calendar file). A token is an HMAC of the
 * rdv's id and code: whoever holds the email holds the link, and nobody can forge one for another
 * rdv. No expiry: the rdv itself ends, and a cancelled rdv can no longer be cancelled.
 * Pure computation (no I/O, no clock): the secret is a parameter.
 */

// Versioned purpose prefix: a token made for another use of the same secret (captcha…) never
// verifies here, and rotating the format later cannot be confused with this one.
const PURPOSE = 'guichet:rdv-link:v1';

export type LinkedRdv = { id: number; code: string };

export function signRdvLink(secret: string, rdv: LinkedRdv): string {
  return createHmac('sha256', secret).update(`${PURPOSE}:${rdv.id}:${rdv.code}`).digest('base64url');
}

/** Constant-time comparison, so that timing reveals nothing of the expected token. */
export function verifyRdvLink(secret: string, rdv: LinkedRdv, token: string): boolean {
  const expected = Buffer.from(signRdvLink(secret, rdv), 'utf8');
  const given = Buffer.from(token, 'utf8');
  // Lengths are public (always 43 characters); only equal-length buffers can be compared.
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Shape check before any lookup: 32 bytes in base64url, without padding. */
export function isWellFormedLinkToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
