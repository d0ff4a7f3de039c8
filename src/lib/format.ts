/** A `tel:` URI from a phone number as written for people ("03 86 68 49 49" → "tel:+33386684949"). */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return `tel:${/^0\d{9}$/.test(digits) ? `+33${digits.slice(1)}` : digits}`;
}

const typeLabels = { physique: 'au guichet', telephone: 'par téléphone' } as const;

/** "au guichet ou par téléphone" from the types of rdv a service offers. */
export function rdvTypesLabel(types: readonly (keyof typeof typeLabels)[]): string {
  return types.map((t) => typeLabels[t]).join(' ou ');
}

/** Every local rule and every date shown is in the time zone of the offices. */
export const TIME_ZONE = 'Europe/Paris';

const dayFormat = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: TIME_ZONE,
});
const timeFormat = new Intl.DateTimeFormat('fr-FR', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: TIME_ZONE,
});
const monthFormat = new Intl.DateTimeFormat('fr-FR', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const localDayFormat = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "10:20" from an instant, in Europe/Paris. */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** "mercredi 14 septembre 2016 à 10:20" from an instant, in Europe/Paris. */
export function formatDateTime(iso: string): string {
  return `${dayFormat.format(new Date(iso))} à ${formatTime(iso)}`;
}

/** "mercredi 14 septembre 2016" from a local day "2016-09-14". */
export function formatDay(day: string): string {
  return localDayFormat.format(new Date(`${day}T00:00:00Z`));
}

/** "septembre 2016" from a month "2016-09". */
export function formatMonth(month: string): string {
  return monthFormat.format(new Date(`${month}-01T00:00:00Z`));
}

/** The local day "YYYY-MM-DD" of an instant in Europe/Paris. */
export function localDay(iso: string | Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: TIME_ZONE,
  }).format(typeof iso === 'string' ? new Date(iso) : iso);
  return parts;
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
