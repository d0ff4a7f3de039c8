import type { Rdv } from '#lib/api/client.ts';

const stamp = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
/** RFC 5545 text: escape backslash, semicolon, comma and newlines. */
const escapeText = (s: string) =>
  s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
/** Lines of at most 75 octets, continued with a space (approximated in characters). */
const fold = (line: string) => line.match(/.{1,73}/gu)?.join('\r\n ') ?? line;

/** An iCalendar file of a confirmed rdv, built in the browser from the confirmation. */
export function rdvToIcs(rdv: Rdv, now = new Date()): string {
  const where =
    rdv.type === 'physique'
      ? `${rdv.service.name}, ${rdv.service.address.street}, ${rdv.service.address.postcode} ${rdv.service.address.city}`
      : 'Rendez-vous téléphonique : vous serez rappelé au numéro indiqué';
  const motif = rdv.motif.parent ? `${rdv.motif.parent} — ${rdv.motif.label}` : rdv.motif.label;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Guichet//Rendez-vous//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${rdv.code}@guichet`,
    `DTSTAMP:${stamp(now.toISOString())}`,
    `DTSTART:${stamp(rdv.start)}`,
    `DTEND:${stamp(rdv.end)}`,
    `SUMMARY:${escapeText(`Rendez-vous ${rdv.type === 'physique' ? 'au guichet' : 'téléphonique'} — ${rdv.service.name}`)}`,
    `LOCATION:${escapeText(where)}`,
    `DESCRIPTION:${escapeText(`Code du rendez-vous : ${rdv.code}\nMotif : ${motif}\nDocuments à apporter : ${rdv.documents}`)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

export function icsDataUrl(rdv: Rdv): string {
  return `data:text/calendar;charset=utf-8,${encodeURIComponent(rdvToIcs(rdv))}`;
}
