import type { AgendaHold, AgendaRdv } from '#lib/api/client.ts';
import { addDays } from '#lib/format.ts';
import type { AgendaFrame } from './agenda.svelte.ts';

/**
 * What the graphical agenda (@event-calendar/core, resource time grid) draws, built afresh from
 * the agenda state each time it changes: the component gets a new array, never a mutated one.
 *
 * Times are given as wall-clock strings of the office ("2026-12-08T09:20:00", the API's local
 * time without its offset), so the grid shows the office's hours whatever the browser's zone.
 */
export type CalendarEvent = {
  id: string;
  resourceIds: number[];
  start: string;
  end: string;
  title?: string;
  display?: 'auto' | 'background';
  classNames: string[];
  editable?: boolean;
  extendedProps?: { rdv?: AgendaRdv; hold?: true; label?: string };
};

export type CalendarResource = { id: number; title: string };

/** "2026-12-08T09:20:00+01:00" → "2026-12-08T09:20:00": the office's wall clock. */
export const wallClock = (iso: string) => iso.slice(0, 19);

/** The column of a guichet; a closed one says so in its heading. */
export const resourcesOf = (frame: AgendaFrame): CalendarResource[] =>
  frame.guichets.map((g) => ({ id: g.id, title: g.open ? g.name : `${g.name} (fermé)` }));

/** "NOM Prénom" of an rdv's usager (raison sociale for a company). */
export function usagerName(rdv: AgendaRdv): string {
  const u = rdv.usager;
  const person = `${u.nomUsage.toUpperCase()} ${u.prenoms}`;
  return u.type === 'professionnel' && u.raisonSociale ? `${u.raisonSociale} (${person})` : person;
}

export function calendarEvents(
  frame: AgendaFrame,
  rdvs: readonly AgendaRdv[],
  holds: readonly AgendaHold[],
): CalendarEvent[] {
  const all = frame.guichets.map((g) => g.id);
  const days: string[] = [];
  for (let d = frame.from; d <= frame.to; d = addDays(d, 1)) days.push(d);
  const background = (id: string, resourceIds: number[], start: string, end: string, cls: string) => ({
    id,
    resourceIds,
    start,
    end,
    display: 'background' as const,
    classNames: [cls],
  });
  return [
    // A closed guichet's plages do not open it: only the open ones are shaded.
    ...frame.plages
      .filter((p) => frame.guichets.find((g) => g.id === p.guichetId)?.open)
      .map((p, i) => background(`plage-${i}`, [p.guichetId], wallClock(p.start), wallClock(p.end), 'plage')),
    // A closed guichet takes no rdv at all: its whole column is hatched, every day.
    ...frame.guichets
      .filter((g) => !g.open)
      .flatMap((g) =>
        days.map((d) =>
          background(
            `ferme-${g.id}-${d}`,
            [g.id],
            `${d}T00:00:00`,
            `${addDays(d, 1)}T00:00:00`,
            'guichet-ferme',
          ),
        ),
      ),
    ...frame.fermetures.map((f) =>
      background(
        `fermeture-${f.id}`,
        f.guichetId === null ? all : [f.guichetId],
        wallClock(f.start),
        wallClock(f.end),
        'fermeture',
      ),
    ),
    // Cancelled rdvs free their slot: the grid leaves it empty (the list below still shows them).
    ...rdvs
      .filter((r) => r.status === 'confirme')
      .map((r) => ({
        id: `rdv-${r.id}`,
        resourceIds: [r.guichetId],
        start: wallClock(r.start),
        end: wallClock(r.end),
        title: usagerName(r),
        classNames: [
          'rdv',
          `rdv--${r.type}`,
          ...(r.arrived ? ['rdv--arrive'] : []),
          ...(r.contreAppel ? ['rdv--contre-appel'] : []),
        ],
        editable: false,
        extendedProps: { rdv: r },
      })),
    ...holds.map((h) => ({
      id: `hold-${h.holdId}`,
      resourceIds: [h.guichetId],
      start: wallClock(h.start),
      end: wallClock(h.end),
      title: 'Réservation en cours',
      classNames: ['reservation'],
      editable: false,
      extendedProps: { hold: true as const },
    })),
  ];
}
