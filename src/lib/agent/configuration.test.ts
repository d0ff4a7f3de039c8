import { describe, expect, it } from 'vitest';
import { ApiError } from '#lib/api/client.ts';
import {
  affectedRows,
  fermetureLabel,
  fermeturePeriod,
  fieldErrors,
  guichetSummary,
  outcomeMessage,
} from './configuration.ts';

const PARIS = 'Europe/Paris';
const form = (o: Partial<Parameters<typeof fermeturePeriod>[0]>) => ({
  kind: 'jour' as const,
  day: '',
  lastDay: '',
  from: '',
  to: '',
  ...o,
});

describe('fermetures', () => {
  it('une journée, plusieurs jours, une partie de journée : les instants du service', () => {
    expect(fermeturePeriod(form({ day: '2026-12-08' }), PARIS)).toEqual({
      start: '2026-12-08T00:00:00+01:00',
      end: '2026-12-09T00:00:00+01:00',
    });
    expect(
      fermeturePeriod(form({ kind: 'periode', day: '2027-03-26', lastDay: '2027-03-29' }), PARIS),
    ).toEqual({
      start: '2027-03-26T00:00:00+01:00',
      end: '2027-03-30T00:00:00+02:00',
    });
    expect(
      fermeturePeriod(
        form({ kind: 'partie', day: '2026-12-08', from: '14:00', to: '16:30' }),
        'Indian/Reunion',
      ),
    ).toEqual({
      start: '2026-12-08T14:00:00+04:00',
      end: '2026-12-08T16:30:00+04:00',
    });
  });

  it('dit en français ce qui manque ou ne va pas, avec le champ', () => {
    expect(fermeturePeriod(form({}), PARIS)).toEqual({
      field: 'day',
      message: 'Indiquez le jour de la fermeture.',
    });
    expect(
      fermeturePeriod(form({ kind: 'periode', day: '2026-12-08', lastDay: '2026-12-07' }), PARIS),
    ).toMatchObject({
      field: 'lastDay',
    });
    expect(
      fermeturePeriod(form({ kind: 'partie', day: '2026-12-08', from: '9h', to: '10:00' }), PARIS),
    ).toMatchObject({
      field: 'from',
    });
    expect(
      fermeturePeriod(form({ kind: 'partie', day: '2026-12-08', from: '10:00', to: '09:00' }), PARIS),
    ).toEqual({
      field: 'to',
      message: 'La fermeture se termine avant de commencer.',
    });
  });

  it('se lit comme elle a été saisie', () => {
    expect(
      fermetureLabel({ start: '2026-12-08T00:00:00+01:00', end: '2026-12-09T00:00:00+01:00' }, PARIS),
    ).toBe('le mardi 8 décembre 2026, toute la journée');
    expect(
      fermetureLabel({ start: '2026-12-08T00:00:00+01:00', end: '2026-12-11T00:00:00+01:00' }, PARIS),
    ).toBe('du mardi 8 décembre 2026 au jeudi 10 décembre 2026 inclus');
    expect(
      fermetureLabel({ start: '2026-12-08T14:00:00+01:00', end: '2026-12-08T16:00:00+01:00' }, PARIS),
    ).toBe('le mardi 8 décembre 2026 de 14:00 à 16:00');
  });
});

describe('impact d’un changement', () => {
  it('liste les RDV concernés par date, avec leurs horaires, l’usager et le guichet', () => {
    const rows = affectedRows(
      [
        {
          id: 2,
          code: 'BBBBBB',
          start: '2026-12-09T09:00:00+01:00',
          end: '2026-12-09T09:20:00+01:00',
          guichetId: 7,
          usager: 'DURAND ALICE',
        },
        {
          id: 1,
          code: 'AAAAAA',
          start: '2026-12-08T16:00:00+01:00',
          end: '2026-12-08T16:20:00+01:00',
          guichetId: 8,
          usager: 'MARTIN PAUL',
        },
      ],
      [{ id: 7, name: 'Guichet principal' }],
      PARIS,
    );
    expect(rows).toEqual([
      {
        id: 1,
        code: 'AAAAAA',
        date: 'mardi 8 décembre 2026',
        horaires: '16:00 - 16:20',
        usager: 'MARTIN PAUL',
        guichet: 'Guichet 8',
      },
      {
        id: 2,
        code: 'BBBBBB',
        date: 'mercredi 9 décembre 2026',
        horaires: '09:00 - 09:20',
        usager: 'DURAND ALICE',
        guichet: 'Guichet principal',
      },
    ]);
  });

  it('dit ce que sont devenus les RDV, rien quand il n’y en avait pas', () => {
    expect(outcomeMessage(undefined)).toBe('');
    expect(outcomeMessage({ kept: [], replanned: [], cancelled: [], unplaced: [] })).toBe('');
    expect(outcomeMessage({ kept: ['A'], replanned: ['B', 'C'], cancelled: ['D'], unplaced: ['E'] })).toBe(
      '1 RDV conservé ; 2 RDV replanifiés (usagers prévenus par courriel) ; 1 RDV annulé (courriel d’annulation envoyé) ; 1 RDV sans créneau libre dans la nouvelle offre, conservé (E)',
    );
  });

  it('lit les erreurs de champ d’une réponse 422', () => {
    const err = new ApiError(422, {
      type: 'about:blank',
      title: 'Requête invalide',
      status: 422,
      code: 'VALIDATION_FAILED',
      detail: 'x',
      errors: [{ field: 'types', message: 'Un guichet reçoit au moins un type de rendez-vous.' }],
    } as never);
    expect(fieldErrors(err)).toEqual([
      { field: 'types', message: 'Un guichet reçoit au moins un type de rendez-vous.' },
    ]);
    expect(fieldErrors(new Error('réseau'))).toEqual([]);
  });

  it('résume un guichet', () => {
    expect(
      guichetSummary({
        open: false,
        types: ['physique', 'telephone'],
        bookableBy: ['internet', 'agentService'],
      }),
    ).toBe('Fermé · RDV physique et téléphone · réservable par internet, les agents du service');
  });
});
