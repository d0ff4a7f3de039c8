import { isRowId } from '../domain/identifiers.ts';
import { arrivalStatus, daysBetween, formatIsoWithOffset, isLocalDate } from '../domain/index.ts';
import { signRdvAccess } from '../domain/rdv-access.ts';
import { listDashboardServices } from '../store/agenda.ts';
import {
  countRdvs,
  findByCodeAndName,
  type ListFilter,
  type ListKey,
  type ListRow,
  listRdvPage,
  type RdvStateFilter,
  type SearchCriteria,
  searchRdvs,
} from '../store/rdv-lists.ts';
import { insertAudit } from '../store/rdvs.ts';
import { serviceFor } from './agent-access.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { AppError } from './errors.ts';

/** A list or an export covers a year at most. */
const MAX_LIST_DAYS = 366;

export type RdvListItem = {
  id: number;
  code: string;
  service: { code: string; name: string };
  date: string;
  start: string;
  end: string;
  /** "09:20 - 09:40", as the reference's list shows it. */
  horaires: string;
  /** "REY CHRISTELLE", or the company. */
  usager: string;
  type: 'physique' | 'telephone';
  typeLabel: string;
  guichet: string;
  contreAppelDate: string | null;
  status: 'confirme' | 'annule';
  etat: string;
  arrived: boolean;
  /** "Arrivé / Non arrivé" may be ticked in place (the rdv's day, not cancelled). */
  arrivalOpen: boolean;
  canal: 'internet' | 'agentExterieur' | 'agentService';
  timeZone: string;
};

const TYPE_LABEL = { physique: 'RDV guichet physique', telephone: 'RDV téléphonique' } as const;

function etat(r: ListRow): string {
  if (r.status === 'annule') return 'Annulé';
  return r.arrivedAt ? 'Arrivé' : 'Non arrivé';
}

const usagerName = (r: ListRow) =>
  r.raisonSociale
    ? `${r.raisonSociale.toUpperCase()} (${r.nomUsage.toUpperCase()})`
    : `${r.nomUsage} ${r.prenoms}`.toUpperCase();

/** A row as the list, the search and the CSV export show it. */
export function item(r: ListRow, now: number): RdvListItem {
  const start = formatIsoWithOffset(r.start, r.timeZone);
  const end = formatIsoWithOffset(r.end, r.timeZone);
  return {
    id: r.id,
    code: r.code,
    service: { code: r.serviceCode, name: r.serviceName },
    date: start.slice(0, 10),
    start,
    end,
    horaires: `${start.slice(11, 16)} - ${end.slice(11, 16)}`,
    usager: usagerName(r),
    type: r.type,
    typeLabel: TYPE_LABEL[r.type],
    guichet: r.guichetName,
    contreAppelDate: r.contreAppelDate,
    status: r.status,
    etat: etat(r),
    arrived: r.arrivedAt !== null,
    arrivalOpen: r.status === 'confirme' && arrivalStatus(r.start, now, r.timeZone) === 'open',
    canal: r.canal,
    timeZone: r.timeZone,
  };
}

export type ListQuery = {
  from: string;
  to: string;
  service?: string | undefined;
  state?: RdvStateFilter | undefined;
};

/** The services a list covers: the one asked for (in the zone), or every one of the dashboard. */
export async function filterFor(
  deps: Pick<Deps, 'sql'>,
  agent: SignedInAgent,
  q: ListQuery,
): Promise<ListFilter & { label: string }> {
  if (!isLocalDate(q.from) || !isLocalDate(q.to) || q.to < q.from) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Période invalide : la date de fin doit suivre la date de début.',
      {
        errors: [{ field: 'to', message: 'doit suivre from' }],
      },
    );
  }
  if (daysBetween(q.from, q.to) >= MAX_LIST_DAYS) {
    throw new AppError('VALIDATION_FAILED', 'Une liste couvre une année au plus : réduisez la période.', {
      errors: [{ field: 'to', message: `${MAX_LIST_DAYS} jours au plus` }],
    });
  }
  if (q.service) {
    // A list shows every usager of the service: the agents rattachés only, like the agenda.
    const { service } = await serviceFor(deps, agent, 'agenda.read', q.service);
    return { serviceIds: [service.id], from: q.from, to: q.to, state: q.state, label: service.codePrincipal };
  }
  const c = agent.context;
  const services = await listDashboardServices(
    deps.sql,
    c.administrateur ? 'active' : [...c.habilitations.keys()],
  );
  return { serviceIds: services.map((s) => s.id), from: q.from, to: q.to, state: q.state, label: 'tous' };
}

/** 10000-01-01: beyond the dates of any rdv, within PostgreSQL's and JavaScript's. */
const LAST_INSTANT = Date.UTC(10_000, 0, 1);

const encodeCursor = (k: ListKey) => Buffer.from(JSON.stringify([k.start, k.id])).toString('base64url');

function decodeCursor(cursor: string): ListKey {
  try {
    const [start, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    // Ours carry an rdv's start and id: anything else (an instant PostgreSQL cannot store, an id
    // beyond its integers) would fail in the query, as a 500, rather than here.
    if (
      typeof start === 'number' &&
      start >= 0 &&
      start < LAST_INSTANT &&
      typeof id === 'number' &&
      isRowId(id)
    ) {
      return { start, id };
    }
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', 'Curseur de page invalide : recommencez depuis la première page.', {
    errors: [{ field: 'cursor', message: 'curseur invalide' }],
  });
}

/** "Liste des RDV": a page, the total, and the cursor of the next page (none on the last). */
export async function listRdvs(
  deps: Pick<Deps, 'sql' | 'clock'>,
  agent: SignedInAgent,
  q: ListQuery & { cursor?: string | undefined; limit: number },
): Promise<{ items: RdvListItem[]; total: number; nextCursor?: string }> {
  const f = await filterFor(deps, agent, q);
  if (f.serviceIds.length === 0) return { items: [], total: 0 };
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  // One more than the page tells whether there is a next page.
  const [rows, total] = await Promise.all([
    listRdvPage(deps.sql, f, after, q.limit + 1),
    countRdvs(deps.sql, f),
  ]);
  const now = deps.clock.now().getTime();
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => item(r, now)),
    total,
    ...(rows.length > q.limit && last
      ? { nextCursor: encodeCursor({ start: last.start, id: last.id }) }
      : {}),
  };
}

/** A name search reads the trigram indexes, which need three characters to narrow anything. */
const MIN_NAME_LENGTH = 3;

/**
 * "Rechercher les RDV" in the agent's zone; or, for an rdv of another office, its code and the
 * usager's name together, which hands the agent an access token for that rdv alone. Each such
 * lookup beyond the zone counts against the agent's hourly allowance (a name and guessed codes
 * must not browse the network), and each rdv reached that way is audited.
 */
export async function searchAgentRdvs(
  deps: Pick<Deps, 'sql' | 'clock' | 'secrets' | 'limits'>,
  agent: SignedInAgent,
  c: SearchCriteria,
): Promise<{ items: (RdvListItem & { access?: string; inZone: boolean })[] }> {
  const criteria = Object.values(c).filter(Boolean).length;
  if (criteria === 0) {
    throw new AppError('VALIDATION_FAILED', 'Indiquez au moins un critère de recherche.', {
      errors: [{ field: 'code', message: 'au moins un critère' }],
    });
  }
  // With the code, the name is compared to one rdv: a short name (« LY ») is fine there.
  if (c.nom && !c.code && c.nom.trim().length < MIN_NAME_LENGTH) {
    throw new AppError(
      'VALIDATION_FAILED',
      'Indiquez au moins trois caractères du nom (ou le nom avec le code du rendez-vous).',
      { errors: [{ field: 'nom', message: 'Trois caractères au moins.' }] },
    );
  }
  const now = deps.clock.now().getTime();
  const ctx = agent.context;
  const zone = await listDashboardServices(
    deps.sql,
    ctx.administrateur ? 'active' : [...ctx.habilitations.keys()],
  );
  const inZone = new Set(zone.map((s) => s.codePrincipal));
  const rows = zone.length
    ? await searchRdvs(
        deps.sql,
        c,
        zone.map((s) => s.id),
        100,
      )
    : [];
  const items: (RdvListItem & { access?: string; inZone: boolean })[] = rows.map((r) => ({
    ...item(r, now),
    inZone: true,
  }));
  const foundInZone = rows.some((r) => r.code === c.code);
  if (c.code && c.nom && !ctx.administrateur && !foundInZone) {
    const wait = await deps.limits.rdvLookups.hit(String(ctx.agentId));
    if (wait !== null) {
      const minutes = Math.ceil(wait / 60);
      throw new AppError(
        'RATE_LIMITED',
        `Trop de recherches par code et nom d’un rendez-vous d’un autre service. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`,
        { retryAfter: wait },
      );
    }
    const found = await findByCodeAndName(deps.sql, c.code, c.nom);
    if (found && !inZone.has(found.serviceCode)) {
      // Who reached which rdv of which office; the name he gave is personal data: not kept.
      await insertAudit(deps.sql, {
        actor: 'agent',
        agentId: ctx.agentId,
        action: 'rdv.acces-exterieur',
        serviceId: found.serviceId,
        rdvId: found.id,
      });
      items.push({
        ...item(found, now),
        inZone: false,
        access: signRdvAccess(deps.secrets.signing, { agentId: ctx.agentId, rdvId: found.id, now }),
      });
    }
  }
  return { items };
}
