import { describe, expect, it } from 'vitest';
import { addDays, formatDateTime, formatDay, formatMonth, localDay } from './format.ts';

describe('dates en toutes lettres, Europe/Paris', () => {
  it('écrit la date et l’heure comme la référence', () => {
    expect(formatDateTime('2016-09-14T10:20:00+02:00')).toBe('mercredi 14 septembre 2016 à 10:20');
    expect(formatDateTime('2016-09-14T08:20:00Z')).toBe('mercredi 14 septembre 2016 à 10:20');
  });
  it('jours et mois locaux', () => {
    expect(formatDay('2016-09-14')).toBe('mercredi 14 septembre 2016');
    expect(formatMonth('2016-09')).toBe('septembre 2016');
    expect(localDay('2016-09-13T22:30:00Z')).toBe('2016-09-14');
    expect(addDays('2016-09-30', 1)).toBe('2016-10-01');
    expect(addDays('2024-03-30', 1)).toBe('2024-03-31');
  });
});
