import { describe, expect, it } from 'vitest';
import type { Agenda, AgendaRdv } from '#lib/api/client.ts';
import type { AgendaListener, AgentEvent } from '#lib/realtime/agent-events.ts';
import { AgendaState } from './agenda.svelte.ts';
import { applyAgentEvents } from './agenda-sync.ts';

const RANGE = { from: '2026-12-08', to: '2026-12-08' };

function rdv(id: number, start: string, patch: Partial<AgendaRdv> = {}): AgendaRdv {
  return {
    id,
    code: `CODE${id}`,
    start: `${start}:00+01:00`,
    // Every test rdv starts on the hour and lasts 20 minutes.
    end: `${start.slice(0, 14)}20:00+01:00`,
    type: 'physique',
    status: 'confirme',
    guichetId: 1,
    motif: { id: 1, label: 'Impôt sur le revenu', parent: null },
    canal: 'internet',
    arrived: false,
    arrivedAt: null,
    contreAppel: null,
    cancelReason: null,
    usager: {
      type: 'particulier',
      civilite: 'M',
      nomUsage: `NOM${id}`,
      nomNaissance: null,
      prenoms: 'Jean',
      dateNaissance: null,
      numeroFiscal: null,
      siren: null,
      raisonSociale: null,
      telephones: ['0600000000'],
      rappel: [],
      email: null,
    },
    ...patch,
  };
}

const event = (name: 'rdv-created' | 'rdv-updated', r: AgendaRdv, withRdv = true): AgentEvent => ({
  name,
  payload: {
    serviceCode: '5800450',
    rdvId: r.id,
    code: r.code,
    guichetId: r.guichetId,
    start: r.start,
    end: r.end,
    type: r.type,
    canal: r.canal,
    status: r.status,
    ...(withRdv ? { rdv: r } : {}),
  },
});

function agenda(rdvs: AgendaRdv[]): Agenda {
  return {
    service: { code: '5800450', name: 'SIP', timeZone: 'Europe/Paris', durationMinutes: 20, active: true },
    from: RANGE.from,
    to: RANGE.to,
    today: RANGE.from,
    guichets: [],
    plages: [],
    fermetures: [],
    rdvs,
    holds: [],
    motifs: [],
    can: { create: true, arrival: true, contreAppel: true, replan: true, cancel: true },
  };
}

/** An AgendaState wired to a fake API, a fake socket and a manual scheduler. */
function harness(initial: AgendaRdv[] = []) {
  let listener: AgendaListener | undefined;
  const flushes: (() => void)[] = [];
  const loads: { resolve: (a: Agenda) => void }[] = [];
  let answer = initial;
  let manual = false;
  const state = new AgendaState({
    serviceCode: '5800450',
    api: {
      agenda: () =>
        manual ? new Promise<Agenda>((resolve) => loads.push({ resolve })) : Promise.resolve(agenda(answer)),
      setArrival: async (id, arrived) => rdv(id, '2026-12-08T09:00', { arrived }),
    },
    follow: (_code, l) => {
      listener = l;
      return () => {
        listener = undefined;
      };
    },
    schedule: (f) => flushes.push(f),
  });
  return {
    state,
    emit: (e: AgentEvent) => listener?.onEvent(e),
    status: (s: Parameters<AgendaListener['onStatus']>[0]) => listener?.onStatus(s),
    resync: () => listener?.onResync(),
    runFrame: () => {
      for (const f of flushes.splice(0)) f();
    },
    pendingFrames: () => flushes.length,
    setAnswer: (rdvs: AgendaRdv[]) => {
      answer = rdvs;
    },
    manualLoads: () => {
      manual = true;
      return loads;
    },
    following: () => listener !== undefined,
  };
}

describe('AgendaState', () => {
  it('queues a burst of events and applies it in one batch, at the next frame', async () => {
    const h = harness();
    await h.state.show(RANGE);
    for (let i = 1; i <= 50; i++) h.emit(event('rdv-created', rdv(i, '2026-12-08T09:00')));
    expect(h.state.rdvs).toHaveLength(0); // nothing drawn before the frame
    expect(h.pendingFrames()).toBe(1); // one frame asked for the whole burst
    const before = h.state.rdvs;
    h.runFrame();
    expect(h.state.rdvs).toHaveLength(50);
    expect(h.state.batches).toBe(1);
    // Replaced, never mutated: the calendar sees a new array.
    expect(h.state.rdvs).not.toBe(before);
    expect(before).toHaveLength(0);
  });

  it('applies the rdv an event carries, later events winning', async () => {
    const h = harness([rdv(1, '2026-12-08T09:00')]);
    await h.state.show(RANGE);
    h.emit(event('rdv-updated', rdv(1, '2026-12-08T09:00', { arrived: true })));
    h.emit(event('rdv-updated', rdv(1, '2026-12-08T10:00', { arrived: false })));
    h.runFrame();
    expect(h.state.rdvs).toHaveLength(1);
    expect(h.state.rdvs[0]).toMatchObject({ arrived: false, start: '2026-12-08T10:00:00+01:00' });
  });

  it('drops an rdv replanned out of the range shown', async () => {
    const h = harness([rdv(1, '2026-12-08T09:00')]);
    await h.state.show(RANGE);
    h.emit(event('rdv-updated', rdv(1, '2026-12-09T09:00')));
    h.runFrame();
    expect(h.state.rdvs).toEqual([]);
  });

  it('reloads the range after a reconnection, and keeps events that arrived meanwhile', async () => {
    const h = harness([rdv(1, '2026-12-08T09:00')]);
    await h.state.show(RANGE);
    const loads = h.manualLoads();
    h.status('reconnecting');
    expect(h.state.status).toBe('reconnecting');
    h.status('live');
    expect(h.state.loading).toBe(true);
    // An event during the load waits for its answer, then goes on top of it.
    h.emit(event('rdv-created', rdv(3, '2026-12-08T11:00')));
    h.runFrame();
    expect(h.state.rdvs.map((r) => r.id)).toEqual([1]);
    loads[0]!.resolve(agenda([rdv(1, '2026-12-08T09:00'), rdv(2, '2026-12-08T10:00')]));
    await Promise.resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(h.state.rdvs.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(h.state.status).toBe('live');
  });

  it('reads the range again when the server asks for a resync (configuration, bus back)', async () => {
    const h = harness([rdv(1, '2026-12-08T09:00')]);
    await h.state.show(RANGE);
    h.setAnswer([rdv(1, '2026-12-08T09:00'), rdv(4, '2026-12-08T14:00')]);
    h.resync();
    await new Promise((r) => setTimeout(r, 0));
    expect(h.state.rdvs.map((r) => r.id)).toEqual([1, 4]);
    expect(h.state.status).not.toBe('signedOut');
  });

  it('applies only the newest of overlapping loads', async () => {
    const h = harness();
    await h.state.show(RANGE);
    const loads = h.manualLoads();
    const first = h.state.reload();
    const second = h.state.reload();
    loads[1]!.resolve(agenda([rdv(2, '2026-12-08T10:00')]));
    await second;
    loads[0]!.resolve(agenda([rdv(1, '2026-12-08T09:00')]));
    await first;
    expect(h.state.rdvs.map((r) => r.id)).toEqual([2]);
  });

  it('reloads when an event in range does not carry its rdv', async () => {
    const h = harness();
    await h.state.show(RANGE);
    h.setAnswer([rdv(7, '2026-12-08T09:00')]);
    h.emit(event('rdv-created', rdv(7, '2026-12-08T09:00'), false));
    h.runFrame();
    await new Promise((r) => setTimeout(r, 0));
    expect(h.state.rdvs.map((r) => r.id)).toEqual([7]);
  });

  it('draws its own arrival at once, and stops following on stop()', async () => {
    const h = harness([rdv(1, '2026-12-08T09:00')]);
    await h.state.show(RANGE);
    expect(await h.state.setArrival(1, true)).toBeNull();
    expect(h.state.rdvs[0]?.arrived).toBe(true);
    h.state.stop();
    expect(h.following()).toBe(false);
  });
});

describe('applyAgentEvents', () => {
  it('adds and removes citizens’ holds; an rdv replaces the hold it consumed', () => {
    const hold = {
      holdId: 'h1',
      guichetId: 1,
      start: '2026-12-08T09:00:00+01:00',
      end: '2026-12-08T09:20:00+01:00',
      type: 'physique' as const,
    };
    const placed: AgentEvent = { name: 'hold-placed', payload: { serviceCode: '5800450', ...hold } };
    let live = applyAgentEvents({ rdvs: [], holds: [] }, [placed], RANGE);
    expect(live.holds).toHaveLength(1);
    live = applyAgentEvents(live, [event('rdv-created', rdv(1, '2026-12-08T09:00'))], RANGE);
    expect(live.holds).toEqual([]);
    expect(live.rdvs).toHaveLength(1);
    live = applyAgentEvents(live, [placed, { name: 'hold-released', payload: placed.payload }], RANGE);
    expect(live.holds).toEqual([]);
    expect(live.reload).toBe(false);
  });

  it('ignores holds and slot-only events outside the range', () => {
    const out = rdv(9, '2026-12-10T09:00');
    const live = applyAgentEvents({ rdvs: [], holds: [] }, [event('rdv-created', out, false)], RANGE);
    expect(live.reload).toBe(false);
  });
});
