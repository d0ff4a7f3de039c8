import { describe, expect, it } from 'vitest';
import { type AgendaRdv, ApiError } from '#lib/api/client.ts';
import { ParcoursState } from './parcours.svelte.ts';
import type { ParcoursApi, ParcoursOffer } from './parcours-api.ts';

const OFFER: ParcoursOffer = {
  service: { code: '5800450', name: 'SIP NEVERS', timeZone: 'Europe/Paris', durationMinutes: 20 },
  canal: 'agentExterieur',
  rattache: false,
  types: ['physique'],
  motifs: [
    {
      id: 1,
      code: 'IR',
      label: 'Impôt sur le revenu',
      children: [{ id: 11, code: 'IR-1', label: 'Première' }],
    },
  ],
  window: { from: '2026-12-08', to: '2027-01-02' },
};

const slot = (time: string) => ({ start: `2026-12-08T${time}:00+01:00`, end: `2026-12-08T${time}:20+01:00` });

/** A fake API: the slots it offers, and what booking answers (a function of the call's number). */
function fakeApi(
  days: () => { date: string; slots: { start: string; end: string }[] }[],
  book: (n: number) => unknown,
) {
  const calls = { slots: [] as unknown[], book: [] as unknown[] };
  const api: Pick<ParcoursApi, 'slots' | 'book'> = {
    slots: async (_code, query) => {
      calls.slots.push(query);
      return { days: days() };
    },
    book: async (_code, body) => {
      calls.book.push(body);
      const answer = book(calls.book.length);
      if (answer instanceof Error) throw answer;
      return answer as AgendaRdv;
    },
  };
  return { api, calls };
}

const noUsagers = { findUsager: async () => Promise.reject(new ApiError(404, undefined)) };

function filled(p: ParcoursState) {
  p.fields = { ...p.fields, civilite: 'MME', nomUsage: 'Dupont', prenoms: 'Anne', telephone1: '0612345678' };
  p.precisions = 'Première déclaration';
}

describe('le parcours simplifié', () => {
  it('demande le motif précis et le type avant les créneaux, seul type proposé déjà choisi', async () => {
    const { api, calls } = fakeApi(
      () => [],
      () => ({}),
    );
    const p = new ParcoursState(api, noUsagers, OFFER);
    expect(p.type).toBe('physique');
    expect(await p.searchSlots()).toBe(false);
    expect(p.questionErrors).toEqual(['Choisissez le motif du rendez-vous.']);
    p.selectMotif(1);
    expect(await p.searchSlots()).toBe(false);
    expect(p.questionErrors).toEqual(['Précisez le motif du rendez-vous.']);
    p.subMotifId = 11;
    expect(await p.searchSlots()).toBe(true);
    expect(p.step).toBe('creneau');
    expect(calls.slots).toEqual([expect.objectContaining({ motif: 11, type: 'physique' })]);
  });

  it('un service qui cesse d’ouvrir ses guichets aux agents extérieurs : les créneaux disent pourquoi', async () => {
    const refusal = new ApiError(403, {
      type: 'about:blank',
      title: 'Action non autorisée',
      status: 403,
      code: 'FORBIDDEN',
      detail: 'Ce service n’ouvre pas la prise de rendez-vous aux agents extérieurs.',
    });
    const { api } = fakeApi(
      () => {
        throw refusal;
      },
      () => ({}),
    );
    const p = new ParcoursState(api, noUsagers, OFFER);
    p.selectMotif(1);
    p.subMotifId = 11;
    await p.searchSlots();
    expect(p.slots.error).toBe('Ce service n’ouvre pas la prise de rendez-vous aux agents extérieurs.');
  });

  it('ne réserve qu’un créneau proposé, et un créneau pris entre-temps (409) relit les créneaux en gardant la saisie', async () => {
    let offered = [slot('09:10'), slot('09:30')];
    const taken = new ApiError(409, {
      type: 'about:blank',
      title: 'Créneau pris',
      status: 409,
      code: 'SLOT_TAKEN',
      detail: 'Ce créneau n’est plus disponible.',
    });
    const { api, calls } = fakeApi(
      () => [{ date: '2026-12-08', slots: offered }],
      (n) => (n === 1 ? taken : { id: 7, code: 'ABCDEF' }),
    );
    const p = new ParcoursState(api, noUsagers, OFFER);
    p.selectMotif(1);
    p.subMotifId = 11;
    await p.searchSlots();
    p.chooseSlot(slot('09:10'));
    expect(p.step).toBe('usager');
    // Nothing sent while the usager is incomplete.
    expect((await p.submit()).kind).toBe('errors');
    expect(calls.book).toHaveLength(0);
    filled(p);
    offered = [slot('09:30')];
    const lost = await p.submit();
    expect(lost.kind).toBe('slot-lost');
    expect(p.step).toBe('creneau');
    expect(p.chosen).toBeNull();
    expect(p.notice).toMatch(/vient d’être pris/);
    expect(p.slots.days[0]?.slots).toEqual([slot('09:30')]);
    expect(p.fields.nomUsage).toBe('Dupont');

    p.chooseSlot(slot('09:30'));
    expect((await p.submit()).kind).toBe('done');
    expect(p.step).toBe('confirmation');
    expect(calls.book[1]).toEqual({
      motifId: 11,
      type: 'physique',
      start: slot('09:30').start,
      usager: expect.objectContaining({ nomUsage: 'Dupont', telephones: ['0612345678'] }),
      precisions: 'Première déclaration',
    });
    // The request carries nothing that could force: no guichet, no end, no acknowledgement.
    expect(Object.keys(calls.book[1] as object).sort()).toEqual([
      'motifId',
      'precisions',
      'start',
      'type',
      'usager',
    ]);
    p.restart();
    expect(p.step).toBe('motif');
    expect(p.fields.nomUsage).toBe('');
  });
});
