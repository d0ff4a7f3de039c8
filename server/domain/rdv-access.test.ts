import { describe, expect, it } from 'vitest';
import { RDV_ACCESS_TTL_MS, signRdvAccess, verifyRdvAccess } from './rdv-access.ts';

const secret = 'x'.repeat(40);
const now = Date.parse('2026-12-03T10:00:00Z');

describe('rdv access tokens', () => {
  it('open one rdv to one agent, for two hours', () => {
    const token = signRdvAccess(secret, { agentId: 7, rdvId: 42, now });
    expect(verifyRdvAccess(secret, { agentId: 7, rdvId: 42, now: now + 60_000 }, token)).toBe(true);
    expect(verifyRdvAccess(secret, { agentId: 7, rdvId: 43, now }, token)).toBe(false);
    expect(verifyRdvAccess(secret, { agentId: 8, rdvId: 42, now }, token)).toBe(false);
    expect(verifyRdvAccess(secret, { agentId: 7, rdvId: 42, now: now + RDV_ACCESS_TTL_MS }, token)).toBe(
      false,
    );
    expect(verifyRdvAccess('y'.repeat(40), { agentId: 7, rdvId: 42, now }, token)).toBe(false);
  });

  it('refuse a token whose expiry was edited or that is not one', () => {
    const token = signRdvAccess(secret, { agentId: 7, rdvId: 42, now });
    const [, sig] = token.split('.');
    const later = `${(now + 10 * RDV_ACCESS_TTL_MS).toString(36)}.${sig}`;
    expect(verifyRdvAccess(secret, { agentId: 7, rdvId: 42, now }, later)).toBe(false);
    for (const bad of ['', 'abc', '.', 'zzz.zzz']) {
      expect(verifyRdvAccess(secret, { agentId: 7, rdvId: 42, now }, bad)).toBe(false);
    }
  });
});
