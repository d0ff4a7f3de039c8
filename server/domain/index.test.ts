import { describe, expect, it } from 'vitest';
import * as domain from './index.ts';

const api: Record<string, unknown> = domain;

describe('public API', () => {
  it('exposes the domain functions', () => {
    for (const name of [
      'bookingWindow',
      'computeSlots',
      'findOfferedSlot',
      'findFreeGuichet',
      'checkAgentBooking',
      'assertAgentBooking',
      'canFlagArrival',
      'validateContreAppel',
      'allowedReplanMotifs',
      'generateRdvCode',
      'isWorkingDay',
      'addWorkingDays',
      'zonedTime',
      'localDate',
      'formatIsoWithOffset',
      'normaliseVoie',
      'postalUpper',
    ]) {
      expect(typeof api[name]).toBe('function');
    }
    expect(domain.DomainError.prototype).toBeInstanceOf(Error);
  });
});
