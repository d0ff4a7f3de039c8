import { describe, expect, it } from 'vitest';
import { isNumeroFiscal, isSiren, luhnValid } from './identifiers.ts';

describe('identifiers', () => {
  it('accepts real SIRENs and refuses a wrong check digit', () => {
    expect(isSiren('732829320')).toBe(true); // a well-known public company's SIREN
    expect(isSiren('552100554')).toBe(true);
    expect(isSiren('732829321')).toBe(false);
    expect(isSiren('73282932')).toBe(false);
  });

  it('computes Luhn on any length', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('12a')).toBe(false);
  });

  it('takes 13 digits as a numéro fiscal', () => {
    expect(isNumeroFiscal('3345678901234')).toBe(true);
    expect(isNumeroFiscal('334567890123')).toBe(false);
  });
});
