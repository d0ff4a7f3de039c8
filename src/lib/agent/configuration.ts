import { ApiError } from '#lib/api/client.ts';
import { addDays, formatDay, formatTime, localDay, zonedInstant } from '#lib/format.ts';

/*
 * "Configurer le service" (reference annexe 2): the words of its choices, the fermetures as a
 * head types them (a day, a range of days, part of a day) and the impact of a change as shown
 * before it is saved.
 */

export type HolidayCalendar =
  | 'metropole'
  | 'alsace-moselle'
  | 'guadeloupe'
  | 'martinique'
  | 'guyane'
  | 'reunion'
  | 'mayotte';

export const HOLIDAY_CALENDARS: { value: HolidayCalendar; label: string }[] = [
  { value: 'metropole', label: 'Métropole' },
  { value: 'alsace-moselle', label: 'Alsace-Moselle (Bas-Rhin, Haut-Rhin, Moselle)' },
  { value: 'guadeloupe', label: 'Guadeloupe' },
  { value: 'martinique', label: 'Martinique' },
  { value: 'guyane', label: 'Guyane' },
  { value: 'reunion', label: 'La Réunion' },
  { value: 'mayotte', label: 'Mayotte' },
];

export type Canal = 'internet' | 'agentExterieur' | 'agentService';

export const CANAL_CHOICES: { value: Canal; label: string }[] = [
  { value: 'internet', label: 'Les usagers, par internet' },
  { value: 'agentExterieur', label: 'Les agents extérieurs au service' },
  { value: 'agentService', label: 'Les agents du service' },
];

export type RdvType = 'physique' | 'telephone';

export const TYPE_CHOICES: { value: RdvType; label: string }[] = [
  { value: 'physique', label: 'RDV guichet physique' },
  { value: 'telephone', label: 'RDV téléphonique' },
];

/** A short description of a guichet for its heading: "ouvert · physique, téléphone · internet". */
export function guichetSummary(g: {
  open: boolean;
  types: readonly RdvType[];
  bookableBy: readonly Canal[];
}) {
  const types =
    g.types.map((t) => (t === 'physique' ? 'physique' : 'téléphone')).join(' et ') || 'aucun type';
  const by = g.bookableBy.length
    ? `réservable par ${g.bookableBy.map((c) => ({ internet: 'internet', agentExterieur: 'les agents extérieurs', agentService: 'les agents du service' })[c]).join(', ')}`
    : 'réservable par personne';
  return `${g.open ? 'Ouvert' : 'Fermé'} · RDV ${types} · ${by}`;
}

export type FermetureKind = 'jour' | 'periode' | 'partie';

export type FermetureForm = {
  kind: FermetureKind;
  /** The day, or the first day of the range. */
  day: string;
  /** The last day of the range (included). */
  lastDay: string;
  /** Part of a day: from, to (HH:MM). */
  from: string;
  to: string;
};

/**
 * The instants of a fermeture as the API takes them, in the office's zone: a whole day runs from
 * its midnight to the next; a range to the midnight after its last day; part of a day between
 * two times. An error (in French, with the field it belongs to) when the form is not complete.
 */
export function fermeturePeriod(
  f: FermetureForm,
  timeZone: string,
): { start: string; end: string } | { field: keyof FermetureForm; message: string } {
  const isDay = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d);
  if (!isDay(f.day)) return { field: 'day', message: 'Indiquez le jour de la fermeture.' };
  if (f.kind === 'jour')
    return {
      start: zonedInstant(f.day, '00:00', timeZone),
      end: zonedInstant(addDays(f.day, 1), '00:00', timeZone),
    };
  if (f.kind === 'periode') {
    if (!isDay(f.lastDay)) return { field: 'lastDay', message: 'Indiquez le dernier jour de la fermeture.' };
    if (f.lastDay < f.day)
      return { field: 'lastDay', message: 'Le dernier jour de la fermeture précède le premier.' };
    return {
      start: zonedInstant(f.day, '00:00', timeZone),
      end: zonedInstant(addDays(f.lastDay, 1), '00:00', timeZone),
    };
  }
  const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
  if (!hhmm.test(f.from)) return { field: 'from', message: 'Heure de début attendue au format HH:MM.' };
  if (!hhmm.test(f.to)) return { field: 'to', message: 'Heure de fin attendue au format HH:MM.' };
  if (f.to <= f.from) return { field: 'to', message: 'La fermeture se termine avant de commencer.' };
  return { start: zonedInstant(f.day, f.from, timeZone), end: zonedInstant(f.day, f.to, timeZone) };
}

/** "le mardi 8 décembre 2026, toute la journée", "du … au …", "le … de 14:00 à 16:00". */
export function fermetureLabel(f: { start: string; end: string }, timeZone: string): string {
  const firstDay = localDay(f.start, timeZone);
  const endDay = localDay(f.end, timeZone);
  const from = formatTime(f.start, timeZone);
  const to = formatTime(f.end, timeZone);
  if (from === '00:00' && to === '00:00') {
    const lastDay = addDays(endDay, -1);
    return lastDay === firstDay
      ? `le ${formatDay(firstDay)}, toute la journée`
      : `du ${formatDay(firstDay)} au ${formatDay(lastDay)} inclus`;
  }
  if (firstDay === endDay) return `le ${formatDay(firstDay)} de ${from} à ${to}`;
  return `du ${formatDay(firstDay)} à ${from} au ${formatDay(endDay)} à ${to}`;
}

export type Affected = {
  id: number;
  code: string;
  start: string;
  end: string;
  guichetId: number;
  usager: string;
};

/** The affected rdvs as the impact dialog lists them, by date. */
export function affectedRows(
  affected: readonly Affected[],
  guichets: readonly { id: number; name: string }[],
  timeZone: string,
) {
  const names = new Map(guichets.map((g) => [g.id, g.name]));
  return [...affected]
    .sort((a, b) => a.start.localeCompare(b.start))
    .map((r) => ({
      id: r.id,
      code: r.code,
      date: formatDay(localDay(r.start, timeZone)),
      horaires: `${formatTime(r.start, timeZone)} - ${formatTime(r.end, timeZone)}`,
      usager: r.usager,
      guichet: names.get(r.guichetId) ?? `Guichet ${r.guichetId}`,
    }));
}

export type Outcome = { kept: string[]; replanned: string[]; cancelled: string[]; unplaced: string[] };

const count = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** What became of the affected rdvs, in one sentence (empty when there were none). */
export function outcomeMessage(o: Outcome | undefined): string {
  if (!o) return '';
  const parts: string[] = [];
  if (o.kept.length) parts.push(count(o.kept.length, 'RDV conservé', 'RDV conservés'));
  if (o.replanned.length)
    parts.push(
      `${count(o.replanned.length, 'RDV replanifié', 'RDV replanifiés')} (usagers prévenus par courriel)`,
    );
  if (o.cancelled.length)
    parts.push(`${count(o.cancelled.length, 'RDV annulé', 'RDV annulés')} (courriel d’annulation envoyé)`);
  if (o.unplaced.length)
    parts.push(
      `${count(o.unplaced.length, 'RDV sans créneau libre dans la nouvelle offre, conservé', 'RDV sans créneau libre dans la nouvelle offre, conservés')} (${o.unplaced.join(', ')})`,
    );
  return parts.join(' ; ');
}

/** The API's field errors of a 422 (`errors: [{field, message}]`), else none. */
export function fieldErrors(err: unknown): { field: string; message: string }[] {
  if (!(err instanceof ApiError)) return [];
  const list = (err.problem as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(list) ? (list as { field: string; message: string }[]) : [];
}

/** The message of a failure for the page, in French. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return 'La connexion au serveur a échoué. Vérifiez votre réseau et réessayez.';
}
