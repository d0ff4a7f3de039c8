import { describe, expect, it } from 'vitest';
import {
  addDays,
  formatDateTime,
  formatDay,
  formatMonth,
  formatTime,
  localDay,
  localTimeNote,
  PARIS,
  phoneForPeople,
  telHref,
  utcOffset,
  zonedInstant,
} from './format.ts';

const REUNION = 'Indian/Reunion';

describe('dates en toutes lettres, Europe/Paris', () => {
  it('écrit la date et l’heure comme la référence', () => {
    expect(formatDateTime('2016-09-14T10:20:00+02:00', PARIS)).toBe('mercredi 14 septembre 2016 à 10:20');
    expect(formatDateTime('2016-09-14T08:20:00Z', PARIS)).toBe('mercredi 14 septembre 2016 à 10:20');
  });
  it('jours et mois locaux', () => {
    expect(formatDay('2016-09-14')).toBe('mercredi 14 septembre 2016');
    expect(formatMonth('2016-09')).toBe('septembre 2016');
    expect(localDay('2016-09-13T22:30:00Z', PARIS)).toBe('2016-09-14');
    expect(addDays('2016-09-30', 1)).toBe('2016-10-01');
    expect(addDays('2024-03-30', 1)).toBe('2024-03-31');
  });
  it('passe les changements d’heure', () => {
    // Last Sunday of October 2026: 03:00 summer time becomes 02:00 winter time.
    expect(formatTime('2026-10-25T00:30:00Z', PARIS)).toBe('02:30');
    expect(formatTime('2026-10-25T01:30:00Z', PARIS)).toBe('02:30');
    expect(formatTime('2026-03-29T01:30:00Z', PARIS)).toBe('03:30');
  });
});

describe('un service d’outre-mer, dans son propre fuseau', () => {
  // 07:30 in Saint-Denis (UTC+4, no summer time) is 04:30 in Paris in winter, 05:30 in summer.
  const winter = '2026-12-08T07:30:00+04:00';
  const summer = '2026-07-08T07:30:00+04:00';

  it('donne l’heure du guichet, pas celle de Paris', () => {
    expect(formatTime(winter, REUNION)).toBe('07:30');
    expect(formatTime(summer, REUNION)).toBe('07:30');
    expect(formatTime(winter, PARIS)).toBe('04:30');
    expect(formatTime(summer, PARIS)).toBe('05:30');
    expect(formatDateTime(winter, REUNION)).toBe('mardi 8 décembre 2026 à 07:30');
  });

  it('prend le jour local du guichet', () => {
    // 22:30 UTC on the 7th is already 02:30 on the 8th in La Réunion, 23:30 on the 7th in Paris.
    expect(localDay('2026-12-07T22:30:00Z', REUNION)).toBe('2026-12-08');
    expect(localDay('2026-12-07T22:30:00Z', PARIS)).toBe('2026-12-07');
  });

  it('précise « heure locale » hors de l’heure de Paris seulement', () => {
    expect(localTimeNote(REUNION)).toBe(' (heure locale)');
    expect(localTimeNote(PARIS)).toBe('');
  });
});

describe('l’instant d’une heure de guichet, dans le fuseau du service', () => {
  it('prend le décalage en vigueur ce jour-là (hiver, été, jour du changement d’heure)', () => {
    expect(zonedInstant('2026-12-08', '09:20', 'Europe/Paris')).toBe('2026-12-08T09:20:00+01:00');
    expect(zonedInstant('2026-07-08', '09:20', 'Europe/Paris')).toBe('2026-07-08T09:20:00+02:00');
    expect(zonedInstant('2026-03-29', '09:00', 'Europe/Paris')).toBe('2026-03-29T09:00:00+02:00');
    expect(zonedInstant('2026-10-25', '09:00', 'Europe/Paris')).toBe('2026-10-25T09:00:00+01:00');
    expect(zonedInstant('2026-12-08', '07:30', 'Indian/Reunion')).toBe('2026-12-08T07:30:00+04:00');
  });

  it('écrit le décalage comme l’API (+00:00 pour UTC)', () => {
    expect(utcOffset('UTC')).toBe('+00:00');
    expect(utcOffset('America/Cayenne')).toBe('-03:00');
  });
});

describe('numéros de téléphone', () => {
  it('écrit un numéro français par paires, qu’il soit donné en +33 ou en 0', () => {
    expect(phoneForPeople('+33639981303')).toBe('06 39 98 13 03');
    expect(phoneForPeople('0386684949')).toBe('03 86 68 49 49');
    expect(phoneForPeople('03.86.68.49.49')).toBe('03 86 68 49 49');
  });

  it('laisse un numéro étranger ou inattendu tel quel, et l’appelle en +33 s’il est français', () => {
    expect(phoneForPeople('+262 262 12 34 56')).toBe('+262 262 12 34 56');
    expect(phoneForPeople('+4930123456')).toBe('+4930123456');
    expect(telHref('06 39 98 13 03')).toBe('tel:+33639981303');
    expect(telHref('+4930123456')).toBe('tel:+4930123456');
  });
});
