/*
 * Agent sessions, as the Lucia guides describe them: a random token in an httpOnly cookie, only
 * its SHA-256 stored, a sliding expiry. Pure rules; the token itself is drawn in server/app.
 */

/** A session lives this long without activity. */
export const SESSION_IDLE_MS = 12 * 3_600_000;

/**
 * The new expiry of a session used at `now`, or null when it need not move yet. Renewing only
 * once half the lifetime has passed keeps most requests free of a write.
 */
export function slidingExpiry(expiresAt: number, now: number, idleMs = SESSION_IDLE_MS): number | null {
  if (expiresAt <= now) return null;
  return expiresAt - now < idleMs / 2 ? now + idleMs : null;
}

export const isSessionLive = (expiresAt: number, now: number): boolean => expiresAt > now;
