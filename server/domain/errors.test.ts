import { describe, expect, it } from 'vitest';
import { DomainError, isDomainError } from './errors.ts';

describe('DomainError', () => {
  it('carries a code, a French message and optional details', () => {
    const err = new DomainError('SLOT_TAKEN', 'Ce créneau vient d’être pris.', { guichetId: 3 });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('DomainError');
    expect(err.code).toBe('SLOT_TAKEN');
    expect(err.message).toBe('Ce créneau vient d’être pris.');
    expect(err.details).toEqual({ guichetId: 3 });
    expect(isDomainError(err)).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(new DomainError('OVERLAP', 'Chevauchement.').details).toBeUndefined();
  });
});
