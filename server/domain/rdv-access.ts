import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * An agent extérieur reaches an rdv of another office only with its code and the usager's name
 * together (what the citizen says on the phone). The search then hands him a short-lived access
 * token for that rdv alone, which the fiche, the replanning and the cancellation ask for: he can
 * act on what he was told about, and browse nothing. Pure: the secret and `now` are parameters.
 */

const PURPOSE = 'guichet:rdv-access:v1';
/** Long enough for one phone call and its follow-up. */
export const RDV_ACCESS_TTL_MS = 2 * 3_600_000;

const mac = (secret: string, agentId: number, rdvId: number, expiresAt: number) =>
  createHmac('sha256', secret).update(`${PURPOSE}:${agentId}:${rdvId}:${expiresAt}`).digest('base64url');

export function signRdvAccess(
  secret: string,
  grant: { agentId: number; rdvId: number; now: number },
): string {
  const expiresAt = grant.now + RDV_ACCESS_TTL_MS;
  return `${expiresAt.toString(36)}.${mac(secret, grant.agentId, grant.rdvId, expiresAt)}`;
}

/** True when `token` was signed for this agent and this rdv, and has not expired at `now`. */
export function verifyRdvAccess(
  secret: string,
  grant: { agentId: number; rdvId: number; now: number },
  token: string,
): boolean {
  const [stamp, given] = token.split('.');
  const expiresAt = Number.parseInt(stamp ?? '', 36);
  if (!given || !Number.isFinite(expiresAt) || expiresAt <= grant.now) return false;
  const expected = Buffer.from(mac(secret, grant.agentId, grant.rdvId, expiresAt));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
