import { describe, expect, it } from 'vitest';
import {
  apiErrorsByRow,
  isHHMM,
  newRow,
  normaliseTime,
  type PlageRow,
  parseFrenchDate,
  rowErrors,
  rowsFromApi,
  rowsToApi,
  validityLabel,
  weekGrid,
} from './plages.ts';

const row = (weekday: number, start: string, end: string, validFrom = '', validTo = ''): PlageRow => ({
  key: Math.random(),
  weekday: String(weekday),
  start,
  end,
  validFrom,
  validTo,
});

describe('plages : lignes ⇄ API', () => {
  it('ordonne les lignes par jour puis début, et revient à la forme de l’API', () => {
    const api = [
      { weekday: 2, start: '13:30', end: '16:00' },
      { weekday: 1, start: '08:30', end: '12:00', validFrom: '2026-12-15', validTo: null },
      { weekday: 2, start: '08:30', end: '12:00' },
    ];
    const rows = rowsFromApi(api);
    expect(rows.map((r) => `${r.weekday} ${r.start}`)).toEqual(['1 08:30', '2 08:30', '2 13:30']);
    expect(rows[0]).toMatchObject({ validFrom: '15/12/2026', validTo: '' });
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
    expect(rowsToApi(rows)).toEqual([
      { weekday: 1, start: '08:30', end: '12:00', validFrom: '2026-12-15', validTo: null },
      { weekday: 2, start: '08:30', end: '12:00', validFrom: null, validTo: null },
      { weekday: 2, start: '13:30', end: '16:00', validFrom: null, validTo: null },
    ]);
  });

  it('envoie les heures saisies à la française au format HH:MM', () => {
    expect(rowsToApi([row(3, '9h', '12h30')])[0]).toMatchObject({ start: '09:00', end: '12:30' });
  });

  it('une nouvelle ligne prend le jour suivant la dernière et ses horaires', () => {
    expect(newRow([])).toMatchObject({ weekday: '1', start: '08:30', end: '12:00' });
    expect(newRow([row(2, '13:30', '16:00')])).toMatchObject({ weekday: '3', start: '13:30', end: '16:00' });
    expect(newRow([row(6, '09:00', '12:00')]).weekday).toBe('6');
  });
});

describe('dates de validité JJ/MM/AAAA', () => {
  it('lit les dates écrites à la française, refuse les jours qui n’existent pas', () => {
    expect(parseFrenchDate('15/12/2026')).toBe('2026-12-15');
    expect(parseFrenchDate('1/2/2027')).toBe('2027-02-01');
    expect(parseFrenchDate(' 15.12.2026 ')).toBe('2026-12-15');
    expect(parseFrenchDate('2026-12-15')).toBe('2026-12-15');
    expect(parseFrenchDate('29/02/2027')).toBeNull();
    expect(parseFrenchDate('15/13/2026')).toBeNull();
    expect(parseFrenchDate('demain')).toBeNull();
    expect(rowsToApi([row(1, '08:30', '12:00', '15/12/2026', '')])[0]).toMatchObject({
      validFrom: '2026-12-15',
      validTo: null,
    });
  });
});

describe('heures HH:MM', () => {
  it('reconnaît les heures d’une journée de 24 heures', () => {
    for (const ok of ['00:00', '08:30', '23:59', '24:00']) expect(isHHMM(ok), ok).toBe(true);
    for (const bad of ['8:30', '24:01', '12:60', '1230', '', 'midi']) expect(isHHMM(bad), bad).toBe(false);
  });

  it('complète ce qui est clair, refuse le reste', () => {
    expect(normaliseTime('9')).toBe('09:00');
    expect(normaliseTime('9:05')).toBe('09:05');
    expect(normaliseTime('9h')).toBe('09:00');
    expect(normaliseTime('14h30')).toBe('14:30');
    expect(normaliseTime('0930')).toBe('09:30');
    expect(normaliseTime(' 17.45 ')).toBe('17:45');
    expect(normaliseTime('25:00')).toBeNull();
    expect(normaliseTime('9h75')).toBeNull();
    expect(normaliseTime('matin')).toBeNull();
  });
});

describe('erreurs des lignes, avant envoi', () => {
  it('dit en français l’heure mal écrite, la fin avant le début, les dates inversées', () => {
    const errors = rowErrors([
      row(1, '8h30', '12:00'),
      row(2, 'midi', '14:00'),
      row(3, '12:00', '08:30'),
      row(4, '08:30', '12:00', '20/12/2026', '10/12/2026'),
      row(5, '08:30', '12:00', '31/11/2026'),
    ]);
    expect(errors.has(0)).toBe(false);
    expect(errors.get(1)).toMatch(/format HH:MM/);
    expect(errors.get(2)).toBe('La plage du mercredi 12:00–08:30 se termine avant de commencer.');
    expect(errors.get(3)).toMatch(/finit d’être valable avant de commencer/);
    expect(errors.get(4)).toBe('Dates de validité attendues au format JJ/MM/AAAA.');
  });

  it('signale les plages d’un même jour qui se chevauchent, sauf si leurs validités sont disjointes', () => {
    const overlap = rowErrors([row(1, '08:30', '12:00'), row(1, '11:00', '13:00'), row(2, '11:00', '13:00')]);
    expect([...overlap.keys()]).toEqual([1]);
    expect(overlap.get(1)).toMatch(/^Le lundi, les plages 08:30–12:00 et 11:00–13:00 se chevauchent/);
    // Touching is not overlapping; successive validities are not either.
    expect(rowErrors([row(1, '08:30', '12:00'), row(1, '12:00', '13:00')]).size).toBe(0);
    expect(
      rowErrors([row(1, '08:30', '12:00', '', '2026-12-31'), row(1, '08:00', '12:00', '2027-01-01', '')])
        .size,
    ).toBe(0);
  });

  it('range les erreurs de l’API par ligne (plages.N…), les autres à part', () => {
    const byRow = apiErrorsByRow([
      { field: 'plages.1', message: 'Chevauchement.' },
      { field: 'plages.1.start', message: 'Heure attendue au format HH:MM.' },
      { field: 'plages', message: 'Trop de plages.' },
    ]);
    expect(byRow.get(1)).toBe('Chevauchement. Heure attendue au format HH:MM.');
    expect(byRow.get(-1)).toBe('Trop de plages.');
  });
});

describe('grille de la semaine', () => {
  it('une colonne par jour du lundi au samedi, chaque plage à sa place dans les heures', () => {
    const grid = weekGrid([
      { weekday: 1, start: '08:30', end: '12:00' },
      { weekday: 1, start: '13:30', end: '16:00', validFrom: '2026-12-15' },
      { weekday: 4, start: '12:00', end: '10:00' }, // invalid: not drawn
    ]);
    expect(grid.days.map((d) => d.name)).toEqual([
      'lundi',
      'mardi',
      'mercredi',
      'jeudi',
      'vendredi',
      'samedi',
    ]);
    expect(grid.hours[0]).toBe('08:00');
    expect(grid.hours.at(-1)).toBe('18:00');
    const [morning, afternoon] = grid.days[0]!.blocks;
    expect(morning).toMatchObject({ start: '08:30', end: '12:00', top: 5, height: 35, validity: '' });
    expect(afternoon).toMatchObject({ top: 55, height: 25, validity: 'à partir du 15/12/2026' });
    expect(grid.days[3]!.blocks).toEqual([]);
  });

  it('s’élargit aux heures tôt ou tard, et au dimanche quand une plage y tombe', () => {
    const grid = weekGrid([{ weekday: 7, start: '07:30', end: '19:15' }]);
    expect(grid.days.at(-1)!.name).toBe('dimanche');
    expect(grid.hours[0]).toBe('07:00');
    expect(grid.hours.at(-1)).toBe('20:00');
    expect(grid.days.at(-1)!.blocks[0]!.top).toBe(3.85);
  });

  it('dit la validité en dates françaises', () => {
    expect(validityLabel({ validFrom: '2026-12-15', validTo: '2026-12-22' })).toBe(
      'du 15/12/2026 au 22/12/2026',
    );
    expect(validityLabel({ validTo: '2026-12-22' })).toBe('jusqu’au 22/12/2026');
    expect(validityLabel({})).toBe('');
  });
});
