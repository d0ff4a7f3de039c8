import type { Canal, HolidayCalendar, Plage, RdvType } from '../domain/index.ts';
import {
  rdvsOfOtherDuration,
  rdvsOutsideGuichet,
  rdvsUnderFermeture,
  serviceWarnings,
  validateGuichet,
  validatePlages,
} from '../domain/offer-changes.ts';
import {
  deleteFermeture,
  type GuichetConfig,
  insertFermeture,
  insertGuichet,
  replacePlages,
  updateGuichet,
  updateServiceSettings,
} from '../store/config.ts';
import { insertAudit } from '../store/rdvs.ts';
import type { SignedInAgent } from './auth.ts';
import type { Deps } from './deps.ts';
import { AppError, notFound } from './errors.ts';
import {
  asDomain,
  changeWithImpact,
  configurable,
  currentOffer,
  fermetureIntervals,
  type ImpactAnswer,
  type ImpactOptions,
  invalid,
} from './pilotage.ts';

/* The changes a head of office makes to the offer, each through `changeWithImpact`. */

export type SettingsInput = {
  active: boolean;
  durationMinutes: number;
  holidayCalendar: HolidayCalendar;
  selfCancellation: boolean;
};

/** PUT /config: activation, duration (20 minutes recommended), holiday calendar, self-cancellation. */
export async function changeSettings(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  input: SettingsInput & ImpactOptions,
): Promise<ImpactAnswer> {
  const service = await configurable(deps, agent, code);
  const { guichets, fermetures, rdvs } = await currentOffer(deps, service);
  const affected =
    input.durationMinutes === service.rdvDurationMinutes
      ? []
      : rdvsOfOtherDuration(input.durationMinutes, rdvs);
  const before = {
    active: service.active,
    durationMinutes: service.rdvDurationMinutes,
    holidayCalendar: service.holidayCalendar,
  };
  const settings: SettingsInput = {
    active: input.active,
    durationMinutes: input.durationMinutes,
    holidayCalendar: input.holidayCalendar,
    selfCancellation: input.selfCancellation,
  };
  return changeWithImpact(deps, agent, service, {
    action: 'config.service',
    affected: rdvs.filter((r) => affected.some((a) => a.id === r.id)),
    next: {
      guichets: guichets.map(asDomain),
      fermetures: fermetureIntervals(fermetures),
      durationMinutes: input.durationMinutes,
    },
    options: input,
    before,
    after: settings,
    warnings: serviceWarnings({
      active: input.active,
      durationMinutes: input.durationMinutes,
      guichets: guichets.map(asDomain),
    }),
    save: (tx) => updateServiceSettings(tx, service.id, settings),
  });
}

export type GuichetInput = {
  name: string;
  open: boolean;
  types: RdvType[];
  bookableBy: Canal[];
  motifIds: number[];
};

async function assertMotifsOfKind(deps: Pick<Deps, 'sql'>, kind: string, motifIds: number[]) {
  if (motifIds.length === 0) return;
  const rows = await deps.sql<{ id: number }[]>`
    select id from motifs where id = any(${motifIds}::int[]) and service_kind = ${kind}`;
  if (rows.length !== new Set(motifIds).size)
    throw invalid([
      {
        field: 'motifIds',
        message: 'Des motifs n’appartiennent pas à la liste nationale de ce type de service.',
      },
    ]);
}

/** POST /guichets: a new guichet (it adds to the offer, so nothing is affected). */
export async function createGuichet(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  input: GuichetInput,
): Promise<GuichetConfig & { warnings: { code: string; message: string }[] }> {
  const service = await configurable(deps, agent, code);
  const errors = validateGuichet(input);
  if (errors.length) throw invalid(errors);
  await assertMotifsOfKind(deps, service.kind, input.motifIds);
  const id = await deps.sql
    .begin(async (tx) => {
      const id = await insertGuichet(tx, service.id, input);
      await insertAudit(tx, {
        actor: 'agent',
        agentId: agent.context.agentId,
        action: 'config.guichet-cree',
        serviceId: service.id,
        after: { id, ...input },
      });
      return id;
    })
    .catch((err: { code?: string }) => {
      if (err.code === '23505')
        throw invalid([{ field: 'name', message: 'Un guichet de ce service porte déjà ce nom.' }]);
      throw err;
    });
  await deps.events.configChanged({ serviceCode: service.codePrincipal });
  const { guichets } = await currentOffer(deps, service);
  return {
    ...guichets.find((g) => g.id === id)!,
    warnings: serviceWarnings({
      active: service.active,
      durationMinutes: service.rdvDurationMinutes,
      guichets: guichets.map(asDomain),
    }),
  };
}

/** PATCH /guichets/:id: rename, open or close, types, who may book, motifs. */
export async function changeGuichet(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  guichetId: number,
  input: Partial<GuichetInput> & ImpactOptions,
): Promise<ImpactAnswer> {
  const service = await configurable(deps, agent, code);
  const { guichets, fermetures, rdvs } = await currentOffer(deps, service);
  const current = guichets.find((g) => g.id === guichetId);
  if (!current) throw notFound('Ce guichet n’existe pas dans ce service.');
  const next: GuichetConfig = {
    ...current,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.open !== undefined ? { open: input.open } : {}),
    ...(input.types !== undefined ? { types: input.types } : {}),
    ...(input.bookableBy !== undefined ? { bookableBy: input.bookableBy } : {}),
    ...(input.motifIds !== undefined ? { motifIds: input.motifIds } : {}),
  };
  const errors = validateGuichet(next);
  if (errors.length) throw invalid(errors);
  await assertMotifsOfKind(deps, service.kind, next.motifIds);
  const rules = {
    timeZone: service.timeZone,
    holidayCalendar: service.holidayCalendar,
    durationMinutes: service.rdvDurationMinutes,
  };
  const outside = new Set(rdvsOutsideGuichet(rules, asDomain(next), rdvs).map((r) => r.id));
  const nextGuichets = guichets.map((g) => (g.id === guichetId ? next : g));
  return changeWithImpact(deps, agent, service, {
    action: 'config.guichet',
    affected: rdvs.filter((r) => outside.has(r.id)),
    next: {
      guichets: nextGuichets.map(asDomain),
      fermetures: fermetureIntervals(fermetures),
      durationMinutes: service.rdvDurationMinutes,
    },
    options: input,
    before: { ...current, plages: undefined },
    after: { ...next, plages: undefined },
    warnings: serviceWarnings({
      active: service.active,
      durationMinutes: service.rdvDurationMinutes,
      guichets: nextGuichets.map(asDomain),
    }),
    save: (tx) => updateGuichet(tx, guichetId, next),
  });
}

/** PUT /guichets/:id/plages: the weekly windows of a guichet (several a day, with validity dates). */
export async function changePlages(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  guichetId: number,
  input: { plages: Plage[] } & ImpactOptions,
): Promise<ImpactAnswer> {
  const service = await configurable(deps, agent, code);
  const errors = validatePlages(input.plages);
  if (errors.length) throw invalid(errors);
  const { guichets, fermetures, rdvs } = await currentOffer(deps, service);
  const current = guichets.find((g) => g.id === guichetId);
  if (!current) throw notFound('Ce guichet n’existe pas dans ce service.');
  const next = { ...current, plages: input.plages };
  const rules = {
    timeZone: service.timeZone,
    holidayCalendar: service.holidayCalendar,
    durationMinutes: service.rdvDurationMinutes,
  };
  const outside = new Set(rdvsOutsideGuichet(rules, asDomain(next), rdvs).map((r) => r.id));
  return changeWithImpact(deps, agent, service, {
    action: 'config.plages',
    affected: rdvs.filter((r) => outside.has(r.id)),
    next: {
      guichets: guichets.map((g) => asDomain(g.id === guichetId ? next : g)),
      fermetures: fermetureIntervals(fermetures),
      durationMinutes: service.rdvDurationMinutes,
    },
    options: input,
    before: { guichetId, plages: current.plages },
    after: { guichetId, plages: input.plages },
    save: (tx) => replacePlages(tx, guichetId, input.plages),
  });
}

/** POST /fermetures: an exceptional closure of the service or of one guichet, with its reason. */
export async function addFermeture(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  input: { guichetId: number | null; start: number; end: number; reason: string } & ImpactOptions,
): Promise<ImpactAnswer & { id?: number }> {
  const service = await configurable(deps, agent, code);
  if (!(input.end > input.start))
    throw invalid([{ field: 'end', message: 'La fermeture doit se terminer après son début.' }]);
  if (!input.reason.trim())
    throw invalid([{ field: 'reason', message: 'Indiquez le motif de la fermeture.' }]);
  const { guichets, fermetures, rdvs } = await currentOffer(deps, service);
  if (input.guichetId !== null && !guichets.some((g) => g.id === input.guichetId))
    throw notFound('Ce guichet n’existe pas dans ce service.');
  const under = new Set(rdvsUnderFermeture(input, rdvs).map((r) => r.id));
  let id: number | undefined;
  const answer = await changeWithImpact(deps, agent, service, {
    action: 'config.fermeture-ajoutee',
    affected: rdvs.filter((r) => under.has(r.id)),
    next: {
      guichets: guichets.map(asDomain),
      fermetures: [...fermetureIntervals(fermetures), input],
      durationMinutes: service.rdvDurationMinutes,
    },
    options: input,
    after: { guichetId: input.guichetId, start: input.start, end: input.end },
    save: async (tx) => {
      id = await insertFermeture(tx, { serviceId: service.id, ...input, reason: input.reason.trim() });
    },
  });
  return id === undefined ? answer : { ...answer, id };
}

/** DELETE /fermetures/:id: the service opens again then (it adds to the offer). */
export async function removeFermeture(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  id: number,
): Promise<void> {
  const service = await configurable(deps, agent, code);
  const removed = await deps.sql.begin(async (tx) => {
    const ok = await deleteFermeture(tx, service.id, id);
    if (ok) {
      await insertAudit(tx, {
        actor: 'agent',
        agentId: agent.context.agentId,
        action: 'config.fermeture-supprimee',
        serviceId: service.id,
        before: { id },
      });
    }
    return ok;
  });
  if (!removed) throw notFound('Cette fermeture n’existe pas.');
  await deps.events.configChanged({ serviceCode: service.codePrincipal });
}

/** "Copier la semaine": a guichet's plages onto another guichet, with the impact on the latter. */
export async function copyWeek(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  fromGuichetId: number,
  toGuichetId: number,
  options: ImpactOptions,
): Promise<ImpactAnswer> {
  if (fromGuichetId === toGuichetId)
    throw new AppError('VALIDATION_FAILED', 'Choisissez un autre guichet que celui copié.', {
      errors: [{ field: 'toGuichetId', message: 'Un autre guichet.' }],
    });
  const service = await configurable(deps, agent, code);
  const { guichets } = await currentOffer(deps, service);
  const from = guichets.find((g) => g.id === fromGuichetId);
  if (!from) throw notFound('Le guichet à copier n’existe pas dans ce service.');
  return changePlages(deps, agent, code, toGuichetId, { plages: from.plages, ...options });
}
