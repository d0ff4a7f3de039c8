import { describe, expect, it } from 'vitest';
import { generateRdvCode, isRdvCode, normalizeRdvCode, type RandomFill } from './rdv-code.ts';

/** Deterministic byte source (xorshift32) for distribution tests. */
function seeded(seed: number): RandomFill {
  let x = seed >>> 0 || 1;
  return (bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
  };
}

describe('generateRdvCode', () => {
  it('draws six uppercase letters with the platform CSPRNG by default', () => {
    for (let i = 0; i < 200; i++) expect(generateRdvCode()).toMatch(/^[A-Z]{6}$/);
  });

  it('rejects the bytes that would bias the draw', () => {
    // 234..255 are rejected; 0 → A, 25 → Z, 233 → 233 % 26 = 25 → Z, 26 → A.
    const script = [255, 234, 0, 25, 250, 233, 26, 1, 2, 3];
    const fill: RandomFill = (bytes) => {
      bytes.fill(255);
      bytes.set(script.slice(0, bytes.length));
    };
    expect(generateRdvCode(fill)).toBe('AZZABC');
  });

  it('keeps drawing while the source gives only rejected bytes', () => {
    let calls = 0;
    const fill: RandomFill = (bytes) => {
      calls++;
      bytes.fill(calls < 3 ? 240 : 7);
    };
    expect(generateRdvCode(fill)).toBe('HHHHHH');
    expect(calls).toBe(3);
  });

  it('is uniform over the 26 letters', () => {
    const counts = new Map<string, number>();
    const fill = seeded(42);
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      for (const ch of generateRdvCode(fill)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(counts.size).toBe(26);
    const expected = (draws * 6) / 26;
    let chi2 = 0;
    for (const n of counts.values()) chi2 += (n - expected) ** 2 / expected;
    // 25 degrees of freedom: p = 0.001 at 52.6.
    expect(chi2).toBeLessThan(52.6);
  });
});

describe('isRdvCode and normalizeRdvCode', () => {
  it('accepts what a person types', () => {
    expect(isRdvCode('XOWVVO')).toBe(true);
    expect(isRdvCode('xowvvo')).toBe(false);
    expect(normalizeRdvCode('  xowVvo ')).toBe('XOWVVO');
    expect(normalizeRdvCode('XOWVV')).toBeNull();
    expect(normalizeRdvCode('XOWVV0')).toBeNull();
    expect(normalizeRdvCode('ÉOWVVO')).toBeNull();
  });
});
