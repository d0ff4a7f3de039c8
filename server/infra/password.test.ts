import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';

// Each derivation is meant to be costly (~150 ms of a free core, far more on a loaded one).
describe('password', { timeout: 30_000 }, () => {
  it('verifies the password it hashed and nothing else', async () => {
    const stored = await hashPassword('guichet-demo');
    // OWASP's scrypt minimum, N = 2^15 with p = 3.
    expect(stored).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('guichet-demo', stored)).toBe(true);
    expect(await verifyPassword('guichet-dem0', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('même mot'), hashPassword('même mot')]);
    expect(a).not.toBe(b);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const stored = await hashPassword('d\u00e9j\u00e0');
    expect(await verifyPassword('de\u0301ja\u0300', stored)).toBe(true);
  });

  it('reads the cost from the stored string', async () => {
    const stored = await hashPassword('x');
    const [, , , , salt] = stored.split('$');
    // A hash made with a lower N still verifies, and is flagged for rehashing.
    const { scryptSync } = await import('node:crypto');
    const weak = `scrypt$1024$8$1$${salt}$${scryptSync('x', Buffer.from(salt!, 'base64'), 32, { N: 1024 }).toString('base64')}`;
    expect(await verifyPassword('x', weak)).toBe(true);
    expect(needsRehash(weak)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
    // The previous default (N = 2^15, p = 1) is below OWASP's minimum: rehashed at next sign-in.
    expect(needsRehash(stored.replace('$32768$8$3$', '$32768$8$1$'))).toBe(true);
    // As much work as ours, spent as N rather than p, is not weaker.
    expect(needsRehash(stored.replace('$32768$8$3$', '$131072$8$1$'))).toBe(false);
  });

  it('rejects malformed or abusive stored values without throwing', async () => {
    const stored = await hashPassword('x');
    const parts = stored.split('$');
    for (const bad of [
      '',
      'x',
      'bcrypt$2b$10$abc',
      stored.replace('scrypt', 'argon2'),
      [parts[0], 2 ** 24, ...parts.slice(2)].join('$'),
      [parts[0], 1000, ...parts.slice(2)].join('$'),
      [parts[0], parts[1], 0, ...parts.slice(3)].join('$'),
      [...parts.slice(0, 5), ''].join('$'),
    ]) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });
});
