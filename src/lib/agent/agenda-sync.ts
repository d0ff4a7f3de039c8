import type { AgendaHold, AgendaRdv } from '#lib/api/client.ts';
import type { AgentEvent } from '#lib/realtime/agent-events.ts';

/** The local days [from, to] an agenda shows (YYYY-MM-DD, in the service's zone). */
export type AgendaRange = { from: string; to: string };

/** What live events change in an agenda: its rdvs and the citizens' holds. */
export type LiveAgenda = { rdvs: AgendaRdv[]; holds: AgendaHold[] };

/**
 * The local day of an instant the API wrote in the service's zone ("2026-12-08T09:20:00+01:00"):
 * its first ten characters, whatever the browser's zone.
 */
export const dayOf = (iso: string) => iso.slice(0, 10);

const inRange = (iso: string, range: AgendaRange) => dayOf(iso) >= range.from && dayOf(iso) <= range.to;

const overlaps = (a: { start: string; end: string }, b: { start: string; end: string }) =>
  Date.parse(a.start) < Date.parse(b.end) && Date.parse(b.start) < Date.parse(a.end);

/**
 * Applies a batch of live events, in their order, to what the agenda shows. Returns new arrays
 * (never mutated: the calendar component compares references) and whether the range must be
 * reloaded from the API, which happens when an event in range does not carry the rdv itself.
 */
export function applyAgentEvents(
  current: LiveAgenda,
  events: readonly AgentEvent[],
  range: AgendaRange,
): LiveAgenda & { reload: boolean } {
  const rdvs = new Map(current.rdvs.map((r) => [r.id, r]));
  const holds = new Map(current.holds.map((h) => [h.holdId, h]));
  let reload = false;
  for (const e of events) {
    switch (e.name) {
      case 'rdv-created':
      case 'rdv-updated':
      case 'usager-arrived': {
        const rdv = e.payload.rdv;
        if (!rdv) {
          // Only the slot is known: the rdv (usager, motif…) must be read, if it concerns us.
          if (inRange(e.payload.start, range) || rdvs.has(e.payload.rdvId)) reload = true;
          break;
        }
        // A replanned rdv may leave the range shown, or come into it.
        if (!inRange(rdv.start, range)) {
          rdvs.delete(rdv.id);
          break;
        }
        rdvs.set(rdv.id, rdv);
        // A booking consumes the citizen's hold without announcing it: the rdv replaces it.
        if (rdv.status === 'confirme') {
          for (const [id, h] of holds)
            if (h.guichetId === rdv.guichetId && overlaps(h, rdv)) holds.delete(id);
        }
        break;
      }
      case 'hold-placed': {
        const { holdId, guichetId, start, end, type } = e.payload;
        if (inRange(start, range)) holds.set(holdId, { holdId, guichetId, start, end, type });
        break;
      }
      case 'hold-released':
        holds.delete(e.payload.holdId);
        break;
    }
  }
  return { rdvs: [...rdvs.values()].sort(byStart), holds: [...holds.values()], reload };
}

/** Rdvs in the order of the day, then of their guichet. */
export const byStart = (a: AgendaRdv, b: AgendaRdv) =>
  Date.parse(a.start) - Date.parse(b.start) || a.guichetId - b.guichetId;

/** Puts one rdv the API just answered (an action of this agent) into what is shown. */
export function upsertRdv(rdvs: readonly AgendaRdv[], rdv: AgendaRdv): AgendaRdv[] {
  return [...rdvs.filter((r) => r.id !== rdv.id), rdv].sort(byStart);
}
