import { describe, expect, it } from 'vitest';
import { isWellFormedLinkToken, signRdvLink, verifyRdvLink } from './signed-link.ts';

const secret = 'un-secret-de-test-suffisamment-long-0123456789';

describe('signed rdv links', () => {
  it('signs deterministically in base64url', () => {
    const t = signRdvLink(secret, { id: 42, code: 'XOWVVO' });
    expect(t).toBe(signRdvLink(secret, { id: 42, code: 'XOWVVO' }));
    expect(isWellFormedLinkToken(t)).toBe(true);
  });

  it('verifies its own token only', () => {
    const t = signRdvLink(secret, { id: 42, code: 'XOWVVO' });
    expect(verifyRdvLink(secret, { id: 42, code: 'XOWVVO' }, t)).toBe(true);
    // Another rdv reusing the code (codes are unique among active rdvs only), another code, another secret.
    expect(verifyRdvLink(secret, { id: 43, code: 'XOWVVO' }, t)).toBe(false);
    expect(verifyRdvLink(secret, { id: 42, code: 'XOWVVP' }, t)).toBe(false);
    expect(verifyRdvLink(`${secret}!`, { id: 42, code: 'XOWVVO' }, t)).toBe(false);
  });

  it('refuses altered, truncated or empty tokens without throwing', () => {
    const t = signRdvLink(secret, { id: 42, code: 'XOWVVO' });
    const altered = (t[0] === 'A' ? 'B' : 'A') + t.slice(1);
    expect(verifyRdvLink(secret, { id: 42, code: 'XOWVVO' }, altered)).toBe(false);
    expect(verifyRdvLink(secret, { id: 42, code: 'XOWVVO' }, t.slice(0, -1))).toBe(false);
    expect(verifyRdvLink(secret, { id: 42, code: 'XOWVVO' }, '')).toBe(false);
    expect(verifyRdvLink(secret, { id: 42, code: 'XOWVVO' }, `${t}=`)).toBe(false);
    expect(isWellFormedLinkToken('pas un jeton')).toBe(false);
  });
});
