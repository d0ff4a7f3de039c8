/** A French number in its national form ("+33 6 39…", "06.39…" → "0639981303"), or null. */
function frenchNational(phone: string): string | null {
  const digits = phone.replace(/[^\d+]/g, '');
  const national = /^\+33\d{9}$/.test(digits) ? `0${digits.slice(3)}` : digits;
  return /^0\d{9}$/.test(national) ? national : null;
}

/** A `tel:` URI from a phone number as written for people ("03 86 68 49 49" → "tel:+33386684949"). */
export function telHref(phone: string): string {
  const national = frenchNational(phone);
  return `tel:${national ? `+33${national.slice(1)}` : phone.replace(/[^\d+]/g, '')}`;
}

/** A French number as people write it ("+33639981303" → "06 39 98 13 03"); any other as given. */
export function phoneForPeople(phone: string): string {
  return frenchNational(phone)?.replace(/(\d{2})(?=\d)/g, '$1 ') ?? phone;
}

const typeLabels = { physique: 'au guichet', telephone: 'par téléphone' } as const;

/** "au guichet ou par téléphone" from the types of rdv a service offers. */
export function rdvTypesLabel(types: readonly (keyof typeof typeLabels)[]): string {
  return types.map((t) => typeLabels[t]).join(' ou ');
}

/**
 * The zone most offices are in. Times are always shown in the office's own zone (the API gives
 * it with the service and the rdv): an office in La Réunion opens at 07:30 its time, which is
 * 04:30 or 03:30 in Paris.
 */
export const PARIS = 'Europe/Paris';

/**
 * " (heure locale)" after a time of an office outside Paris time, where a person could read it as
 * Paris time (someone in metropolitan France booking an overseas office); nothing for Paris.
 */
export function localTimeNote(timeZone: string): string {
  return timeZone === PARIS ? '' : ' (heure locale)';
}

// Intl formatters are costly to build and a page uses one or two zones: one per zone and kind.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: 'day' | 'time' | 'iso-day', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'day'
        ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
        : kind === 'time'
          ? { hour: '2-digit', minute: '2-digit' }
          : { year: 'numeric', month: '2-digit', day: '2-digit' };
    // en-CA writes dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat(kind === 'iso-day' ? 'en-CA' : 'fr-FR', { ...options, timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** "10:20" from an instant, in the given zone. */
export function formatTime(iso: string, timeZone: string): string {
  return formatter('time', timeZone).format(new Date(iso));
}

/** "mercredi 14 septembre 2016 à 10:20" from an instant, in the given zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  return `${formatter('day', timeZone).format(new Date(iso))} à ${formatTime(iso, timeZone)}`;
}

/** "mercredi 14 septembre 2016" from a local day "2016-09-14" (already in the office's zone). */
export function formatDay(day: string): string {
  return formatter('day', 'UTC').format(new Date(`${day}T00:00:00Z`));
}

const monthFormat = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "septembre 2016" from a month "2016-09". */
export function formatMonth(month: string): string {
  return monthFormat.format(new Date(`${month}-01T00:00:00Z`));
}

/** The local day "YYYY-MM-DD" of an instant in the given zone. */
export function localDay(iso: string | Date, timeZone: string): string {
  return formatter('iso-day', timeZone).format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** Adds days to a local day, "2016-09-30" + 1 → "2016-10-01". */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** "N minutes" / "1 minute". */
export function minutes(n: number): string {
  return `${n} minute${n > 1 ? 's' : ''}`;
}

/** The UTC offset of a zone at an instant, "+01:00" (Intl's "GMT+01:00"; "GMT" alone is UTC). */
export function utcOffset(timeZone: string, at: Date = new Date()): string {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' ? '+00:00' : name.slice(3);
}

const offsetMinutes = (offset: string) =>
  (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));

/**
 * The instant of a wall-clock time of an office, "2026-12-08" + "09:20" in Europe/Paris →
 * "2026-12-08T09:20:00+01:00", as the API takes it. The offset is the one in force at that time
 * (summer or winter), found by trying the offset of the guess: twice settles a DST day.
 */
export function zonedInstant(day: string, time: string, timeZone: string): string {
  const wall = Date.parse(`${day}T${time}:00Z`);
  let offset = utcOffset(timeZone, new Date(wall));
  offset = utcOffset(timeZone, new Date(wall - offsetMinutes(offset) * 60_000));
  return `${day}T${time}:00${offset}`;
}

/** "09:20" of an instant the API wrote in the office's zone ("2026-12-08T09:20:00+01:00"). */
export const wallTime = (iso: string) => iso.slice(11, 16);
