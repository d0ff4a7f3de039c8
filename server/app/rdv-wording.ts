import type { RdvDetails } from '../store/outbox.ts';
import type { Links, RdvLinks } from './links.ts';

/**
 * How an rdv is put into words where an email and its calendar file must say the same thing:
 * the office's address, the motif, and the rdv's own links (built by deps.links, never here).
 */

export type RenderContext = { links: Links };

export const address = (s: RdvDetails['service']) =>
  [s.street, `${s.postcode} ${s.city}`.trim()].filter(Boolean).join(', ');

export function motifLabel(rdv: RdvDetails): string {
  return rdv.motif.parentLabel ? `${rdv.motif.parentLabel} — ${rdv.motif.label}` : rdv.motif.label;
}

export const linksOf = (rdv: RdvDetails, ctx: RenderContext): RdvLinks =>
  ctx.links.rdv({ id: rdv.id, code: rdv.code, serviceCode: rdv.service.code });
