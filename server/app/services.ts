import { findOnlineOffer, findServiceByCode } from '../store/services.ts';
import type { Deps } from './deps.ts';
import { notFound } from './errors.ts';

/** A motif of the national referential: `code` is its stable key (contact reasons point to it). */
export type MotifNode = {
  id: number;
  code: string;
  label: string;
  children: { id: number; code: string; label: string }[];
};

export type ServiceCard = {
  code: string;
  codeAssocie: string | null;
  name: string;
  kind: string;
  address: { street: string; postcode: string; city: string };
  phone: string | null;
  email: string | null;
  hours: string | null;
  bookableOnline: boolean;
  durationMinutes: number;
  /** IANA zone of the office: its times are shown in it (La Réunion, Guyane… are not in Paris time). */
  timeZone: string;
  types: ('physique' | 'telephone')[];
  motifs: MotifNode[];
};

/** The public card of a service: identity and, when it takes rdvs online, what can be booked. */
export async function getServiceCard(deps: Pick<Deps, 'sql'>, code: string): Promise<ServiceCard> {
  const service = await findServiceByCode(deps.sql, code);
  if (!service) throw notFound(`Aucun service ne porte le code ${code}.`);
  const offer = service.active
    ? await findOnlineOffer(deps.sql, service.id)
    : { physique: false, telephone: false, motifs: [] };
  const types: ServiceCard['types'] = [];
  if (offer.physique) types.push('physique');
  if (offer.telephone) types.push('telephone');
  const motifs = motifTree(offer.motifs);
  return {
    code: service.codePrincipal,
    codeAssocie: service.codeAssocie,
    name: service.name,
    kind: service.kind,
    address: { street: service.street, postcode: service.postcode, city: service.city },
    phone: service.phone,
    email: service.email,
    hours: service.hours,
    bookableOnline: service.active && types.length > 0 && motifs.length > 0,
    durationMinutes: service.rdvDurationMinutes,
    timeZone: service.timeZone,
    types,
    motifs,
  };
}

/** The motifs as the wizard shows them: the national list's first level, each with its children. */
export function motifTree(
  rows: { id: number; code: string; parentId: number | null; label: string }[],
): MotifNode[] {
  const roots = rows
    .filter((r) => r.parentId === null)
    .map((r) => ({ id: r.id, code: r.code, label: r.label, children: [] as MotifNode['children'] }));
  const byId = new Map(roots.map((r) => [r.id, r]));
  for (const r of rows) {
    if (r.parentId !== null) byId.get(r.parentId)?.children.push({ id: r.id, code: r.code, label: r.label });
  }
  return roots;
}
