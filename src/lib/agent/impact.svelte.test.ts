import { describe, expect, it } from 'vitest';
import { ApiError } from '#lib/api/client.ts';
import type { ImpactAnswer, ImpactOptions } from './config-api.ts';
import { ImpactFlow } from './impact.svelte.ts';

const rdv = (id: number) => ({
  id,
  code: `CODE${id}`,
  start: '2026-12-08T17:00:00+01:00',
  end: '2026-12-08T17:20:00+01:00',
  guichetId: 1,
  usager: 'MARTIN PAUL',
});
const answer = (affected: ReturnType<typeof rdv>[], saved: boolean): ImpactAnswer => ({
  affected,
  saved,
  warnings: [],
});

/** A stand-in for one change of the API: what it was sent, and what it answers. */
function change(answers: ((o: ImpactOptions) => ImpactAnswer)[]) {
  const sent: ImpactOptions[] = [];
  const send = async (o: ImpactOptions) => {
    sent.push(o);
    return answers[sent.length - 1]!(o);
  };
  return { sent, send };
}

const untilAsked = async (flow: ImpactFlow) => {
  for (let i = 0; i < 20 && !flow.pending; i++) await Promise.resolve();
  return flow.pending;
};

describe('impact d’abord', () => {
  it('sans RDV touché, enregistre aussitôt après l’aperçu', async () => {
    const flow = new ImpactFlow();
    const c = change([() => answer([], false), () => answer([], true)]);
    expect(await flow.run('Modifier', c.send)).toMatchObject({ saved: true });
    expect(c.sent).toEqual([{ preview: true }, {}]);
    expect(flow.pending).toBeNull();
  });

  it('avec des RDV touchés, les montre et n’envoie qu’avec la décision choisie', async () => {
    const flow = new ImpactFlow();
    const c = change([() => answer([rdv(1), rdv(2)], false), () => answer([rdv(1), rdv(2)], true)]);
    const done = flow.run('Fermer le guichet', c.send);
    expect(await untilAsked(flow)).toEqual({ title: 'Fermer le guichet', affected: [rdv(1), rdv(2)] });
    expect(c.sent).toEqual([{ preview: true }]);
    flow.choose('cancel');
    expect(await done).toMatchObject({ saved: true });
    expect(c.sent).toEqual([{ preview: true }, { decision: 'cancel', affectedIds: [1, 2] }]);
    expect(flow.pending).toBeNull();
  });

  it('« Ne rien changer » n’envoie rien', async () => {
    const flow = new ImpactFlow();
    const c = change([() => answer([rdv(1)], false)]);
    const done = flow.run('Modifier', c.send);
    await untilAsked(flow);
    flow.choose(null);
    expect(await done).toBeNull();
    expect(c.sent).toEqual([{ preview: true }]);
  });

  it('des RDV pris entre l’aperçu et l’envoi sont montrés à leur tour', async () => {
    const flow = new ImpactFlow();
    const refused = new ApiError(409, {
      type: 'about:blank',
      title: 'Décision nécessaire',
      status: 409,
      code: 'DECISION_REQUIRED',
      detail: 'Ce changement laisserait 1 rendez-vous hors de l’offre.',
      affected: [rdv(3)],
    } as never);
    const c = change([
      () => answer([], false),
      () => {
        throw refused;
      },
      () => answer([rdv(3)], true),
    ]);
    const done = flow.run('Modifier les plages', c.send);
    expect((await untilAsked(flow))?.affected).toEqual([rdv(3)]);
    flow.choose('keep');
    expect(await done).toMatchObject({ saved: true });
    expect(c.sent).toEqual([{ preview: true }, {}, { decision: 'keep', affectedIds: [3] }]);
  });

  it('toute autre erreur remonte à la page', async () => {
    const flow = new ImpactFlow();
    const invalid = new ApiError(422, {
      type: 'about:blank',
      title: 'Invalide',
      status: 422,
      code: 'VALIDATION_FAILED',
      detail: 'Plages invalides.',
    } as never);
    const c = change([
      () => {
        throw invalid;
      },
    ]);
    await expect(flow.run('Modifier', c.send)).rejects.toBe(invalid);
  });
});
