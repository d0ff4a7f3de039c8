import { describe, expect, it } from 'vitest';
import { type AgendaRdv, ApiError } from '#lib/api/client.ts';
import type { AgendaListener, AgentEvent } from '#lib/realtime/agent-events.ts';
import { type PagesMemory, RdvListState, sessionPagesMemory } from './rdv-list.svelte.ts';
import type { ListCriteria } from './rdv-lists.ts';
import type { RdvLine, RdvPage } from './rdv-lists-api.ts';

const CRITERIA: ListCriteria = { from: '2026-12-07', to: '2026-12-13', service: null, state: null, limit: 2 };

const line = (id: number): RdvLine => ({
  id,
  code: `CODE${id}`,
  service: { code: '5800450', name: 'SIP NEVERS' },
  date: '2026-12-07',
  start: `2026-12-07T09:${String(id).padStart(2, '0')}:00+01:00`,
  end: `2026-12-07T09:${String(id + 20).padStart(2, '0')}:00+01:00`,
  horaires: '09:00 - 09:20',
  usager: `NOM${id}`,
  type: 'physique',
  typeLabel: 'RDV guichet physique',
  guichet: 'Guichet principal',
  contreAppelDate: null,
  status: 'confirme',
  etat: 'Non arrivé',
  arrived: false,
  arrivalOpen: true,
  canal: 'internet',
  timeZone: 'Europe/Paris',
});

const event: AgentEvent = {
  name: 'usager-arrived',
  payload: {
    serviceCode: '5800450',
    rdvId: 1,
    code: 'CODE1',
    guichetId: 1,
    start: '',
    end: '',
    type: 'physique',
    canal: 'internet',
    status: 'confirme',
    arrived: true,
  },
};

/** A list state over a fake API (pages of two lines, cursor = the last id), socket and scheduler. */
function harness(ids: number[], memory?: PagesMemory) {
  let rows = ids.map(line);
  const calls: { cursor?: string }[] = [];
  const follows: string[][] = [];
  let listener: AgendaListener | undefined;
  const scheduled: (() => void)[] = [];
  const state = new RdvListState({
    api: {
      listRdvs: async (q) => {
        calls.push({ ...(q.cursor ? { cursor: q.cursor } : {}) });
        const after = q.cursor ? Number(q.cursor) : 0;
        const rest = rows.filter((r) => r.id > after);
        const items = rest.slice(0, q.limit);
        const page: RdvPage = { items, total: rows.length };
        if (rest.length > q.limit) page.nextCursor = String(items[items.length - 1]?.id);
        return page;
      },
      setArrival: async (id, arrived) => ({ id, arrived }) as AgendaRdv,
    },
    follow: (codes, l) => {
      follows.push([...codes]);
      listener = l;
      return () => {};
    },
    schedule: (run) => scheduled.push(run),
    ...(memory ? { memory } : {}),
  });
  return {
    state,
    calls,
    follows,
    emit: (e: AgentEvent) => listener?.onEvent(e),
    frame: async () => {
      for (const run of scheduled.splice(0)) run();
      await new Promise((r) => setTimeout(r, 0));
    },
    setRows: (next: number[]) => {
      rows = next.map(line);
    },
  };
}

describe('Liste des RDV en direct', () => {
  it('avance et revient par pages, avec « affichage de a à b »', async () => {
    const h = harness([1, 2, 3, 4, 5]);
    await h.state.show(CRITERIA, ['5800450']);
    expect(h.state.items.map((i) => i.id)).toEqual([1, 2]);
    expect([h.state.total, h.state.offset, h.state.hasPrevious, h.state.hasNext]).toEqual([
      5,
      0,
      false,
      true,
    ]);
    await h.state.next();
    await h.state.next();
    expect(h.state.items.map((i) => i.id)).toEqual([5]);
    expect([h.state.offset, h.state.hasNext]).toEqual([4, false]);
    await h.state.previous();
    expect(h.state.items.map((i) => i.id)).toEqual([3, 4]);
    expect(h.calls.at(-1)).toEqual({ cursor: '2' });
  });

  it('« affichage de a à b » compte depuis la page affichée, pas depuis celle qui vient', async () => {
    const h = harness([1, 2, 3]);
    await h.state.show(CRITERIA, ['5800450']);
    const turning = h.state.next();
    expect([h.state.offset, h.state.items.length, h.state.hasPrevious]).toEqual([0, 2, false]);
    await turning;
    expect([h.state.offset, h.state.items.length, h.state.hasPrevious]).toEqual([2, 1, true]);
  });

  it('un second clic pendant que la page vient ne saute pas de page', async () => {
    const h = harness([1, 2, 3, 4, 5]);
    await h.state.show(CRITERIA, ['5800450']);
    await Promise.all([h.state.next(), h.state.next()]);
    expect(h.state.items.map((i) => i.id)).toEqual([3, 4]);
    await h.state.previous();
    expect(h.state.items.map((i) => i.id)).toEqual([1, 2]);
  });

  it('relit la page affichée une fois par rafale d’événements', async () => {
    const h = harness([1, 2, 3]);
    await h.state.show(CRITERIA, ['5800450']);
    await h.state.next();
    const before = h.calls.length;
    h.setRows([1, 2, 3, 4]);
    h.emit(event);
    h.emit(event);
    h.emit(event);
    await h.frame();
    expect(h.calls.length).toBe(before + 1);
    expect(h.calls.at(-1)).toEqual({ cursor: '2' });
    expect(h.state.items.map((i) => i.id)).toEqual([3, 4]);
    expect(h.state.total).toBe(4);
    expect(h.state.liveReads).toBe(1);
  });

  it('revient à la page précédente quand la page affichée s’est vidée', async () => {
    const h = harness([1, 2, 3]);
    await h.state.show(CRITERIA, ['5800450']);
    await h.state.next();
    h.setRows([1, 2]);
    await h.state.reload();
    expect(h.state.items.map((i) => i.id)).toEqual([1, 2]);
    expect(h.state.hasPrevious).toBe(false);
  });

  it('ne change d’abonnement que si les services suivis changent, et revient à la première page', async () => {
    const h = harness([1, 2, 3]);
    await h.state.show(CRITERIA, ['5800450', '1800151']);
    await h.state.next();
    await h.state.show({ ...CRITERIA, state: 'arrive' }, ['1800151', '5800450']);
    expect(h.follows).toEqual([['5800450', '1800151']]);
    expect(h.state.offset).toBe(0);
    await h.state.show({ ...CRITERIA, service: '5800450' }, ['5800450']);
    expect(h.follows).toEqual([['5800450', '1800151'], ['5800450']]);
  });

  it('« Arrivé » cochée se voit dans la ligne aussitôt', async () => {
    const h = harness([1, 2]);
    await h.state.show(CRITERIA, ['5800450']);
    expect(await h.state.setArrival(line(1), true)).toBeNull();
    expect(h.state.items[0]).toMatchObject({ arrived: true, etat: 'Arrivé' });
  });
});

/** A `Storage` of one tab, as `sessionStorage` is. */
function tabStorage() {
  const kept = new Map<string, string>();
  return {
    getItem: (k: string) => kept.get(k) ?? null,
    setItem: (k: string, v: string) => void kept.set(k, v),
    kept,
  };
}

describe('Liste des RDV : la page tournée survit au rechargement', () => {
  it('un rechargement montre la page où l’on était, pour les mêmes critères seulement', async () => {
    const storage = tabStorage();
    const first = harness([1, 2, 3, 4, 5], sessionPagesMemory(storage));
    await first.state.show(CRITERIA, ['5800450']);
    await first.state.next();
    expect(first.state.items.map((i) => i.id)).toEqual([3, 4]);

    const reloaded = harness([1, 2, 3, 4, 5], sessionPagesMemory(storage));
    await reloaded.state.show(CRITERIA, ['5800450']);
    expect(reloaded.calls).toEqual([{ cursor: '2' }]);
    expect([reloaded.state.offset, reloaded.state.hasPrevious]).toEqual([2, true]);
    await reloaded.state.previous();
    expect(reloaded.state.items.map((i) => i.id)).toEqual([1, 2]);

    const other = harness([1, 2, 3, 4, 5], sessionPagesMemory(storage));
    await other.state.show({ ...CRITERIA, to: '2026-12-20' }, ['5800450']);
    expect(other.state.offset).toBe(0);
  });

  it('ce qui est gardé et illisible, ou un curseur que l’API refuse, ramène à la première page', async () => {
    const storage = tabStorage();
    storage.setItem(
      `guichet:liste-rdv:${JSON.stringify(['2026-12-07', '2026-12-13', null, null, 2])}`,
      '{pas du json',
    );
    const h = harness([1, 2, 3], sessionPagesMemory(storage));
    await h.state.show(CRITERIA, ['5800450']);
    expect([h.state.offset, h.state.items.length]).toEqual([0, 2]);

    const refused = new RdvListState({
      api: {
        listRdvs: async (q) => {
          if (q.cursor)
            throw new ApiError(422, {
              type: 'about:blank',
              title: 'Requête invalide',
              status: 422,
              detail: 'Curseur invalide.',
              code: 'VALIDATION_FAILED',
            });
          return { items: [line(1)], total: 1 };
        },
        setArrival: async (id, arrived) => ({ id, arrived }) as AgendaRdv,
      },
      follow: () => () => {},
      schedule: () => {},
      memory: { read: () => [undefined, 'vieux'], write: () => {} },
    });
    await refused.show(CRITERIA, ['5800450']);
    expect([refused.offset, refused.items.length, refused.error]).toEqual([0, 1, null]);
  });
});
