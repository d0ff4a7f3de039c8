import { createEvent, type EventAttributes } from 'ics';
import type { RdvDetails } from '../store/outbox.ts';
import { address, linksOf, motifLabel, type RenderContext } from './rdv-wording.ts';

/**
 * The rdv as an iCalendar event. UID is stable per rdv so that a later file (moved, cancelled)
 * updates the same agenda entry; SEQUENCE grows with each change of the rdv; times are in UTC.
 * Nothing about the usager is in it.
 */
export function calendarAttachment(
  rdv: RdvDetails,
  ctx: RenderContext,
): { filename: string; content: string; contentType: string } {
  const links = linksOf(rdv, ctx);
  const cancelled = rdv.status === 'annule';
  const host = new URL(ctx.links.base).hostname;
  // Seconds between creation and the last change: grows at each change without a counter column.
  const changes = Math.max(0, Math.floor((rdv.updatedAt.getTime() - rdv.createdAt.getTime()) / 1000));
  const description = [
    `Code du rendez-vous : ${rdv.code}`,
    `Motif : ${motifLabel(rdv)}`,
    rdv.type === 'physique'
      ? `Au guichet : ${address(rdv.service)}`
      : 'Par téléphone : vous serez rappelé au numéro indiqué.',
    rdv.motif.documents.trim() && `Documents : ${rdv.motif.documents.trim()}`,
    !cancelled && rdv.service.selfCancellation && `Annuler : ${links.cancel}`,
  ]
    .filter(Boolean)
    .join('\n');
  const event: EventAttributes = {
    uid: `rdv-${rdv.id}@${host}`,
    productId: 'guichet/rendez-vous',
    method: cancelled ? 'CANCEL' : 'PUBLISH',
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    sequence: cancelled ? Math.max(1, changes) : changes,
    start: rdv.start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end: rdv.end,
    endInputType: 'utc',
    endOutputType: 'utc',
    title: `Rendez-vous ${rdv.type === 'physique' ? 'au guichet' : 'téléphonique'} — ${rdv.service.name}`,
    description,
    location: rdv.type === 'physique' ? address(rdv.service) : 'Par téléphone',
  };
  const { error, value } = createEvent(event);
  if (error || !value) throw error ?? new Error('fichier iCalendar vide');
  return {
    filename: `rendez-vous-${rdv.code}.ics`,
    content: value,
    contentType: 'text/calendar; charset=utf-8',
  };
}
