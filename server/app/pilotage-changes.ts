import type { Canal, HolidayCalendar, Plage, RdvType } from '../domain/index.ts';
import { serviceWarnings, validateGuichet, validatePlages } from '../domain/offer-changes.ts';
import type { AgentService } from '../store/agenda.ts';
import {
  deleteFermeture,
  fermetureExists,
  type GuichetConfig,
  insertFermeture,
  insertGuichet,
  loadGuichetConfigs,
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
  type ImpactAnswer,
  type ImpactOptions,
  invalid,
  offerOf,
  rulesOf,
} from './pilotage.ts';

type Warning = { code: string; message: string };

/* The changes a head of office makes to the offer, each through `changeWithImpact`. */

export type SettingsInput = {
  active: boolean;
  durationMinutes: number;
  holidayCalendar: HolidayCalendar;
  selfCancellation: boolean;
};

/**
 * PUT /config: activation, duration (20 minutes recommended), holiday calendar, self-cancellation.
 * A new duration, or a calendar with other public holidays (26 December and Good Friday close in
 * Alsace-Moselle), pushes future rdvs out of the offer like any other change.
 */
export async function changeSettings(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  input: SettingsInput & ImpactOptions,
): Promise<ImpactAnswer> {
  const service = await configurable(deps, agent, code);
  const settings: SettingsInput = {
    active: input.active,
    durationMinutes: input.durationMinutes,
    holidayCalendar: input.holidayCalendar,
    selfCancellation: input.selfCancellation,
  };
  return changeWithImpact(deps, agent, service, input, (offer) => {
    const guichets = offer.guichets.map(asDomain);
    return {
      action: 'config.service',
      next: {
        ...offerOf(offer),
        rules: rulesOf({ ...offer.settings, ...settings }),
      },
      before: {
        active: offer.settings.active,
        durationMinutes: offer.settings.durationMinutes,
        holidayCalendar: offer.settings.holidayCalendar,
      },
      after: settings,
      warnings: serviceWarnings({ active: input.active, durationMinutes: input.durationMinutes, guichets }),
      save: (tx) => updateServiceSettings(tx, service.id, settings),
    };
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

/** A new guichet's fields, checked. */
async function newGuichet(deps: Deps, service: AgentService, input: GuichetInput): Promise<GuichetInput> {
  const fields: GuichetInput = {
    name: input.name,
    open: input.open,
    types: input.types,
    bookableBy: input.bookableBy,
    motifIds: input.motifIds,
  };
  const errors = validateGuichet(fields);
  if (errors.length) throw invalid(errors);
  await assertMotifsOfKind(deps, service.kind, fields.motifIds);
  return fields;
}

/** POST /guichets with `preview`: what creating it would say (it adds to the offer: nothing affected). */
export async function previewGuichet(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  input: GuichetInput,
): Promise<ImpactAnswer> {
  const service = await configurable(deps, agent, code);
  const fields = await newGuichet(deps, service, input);
  const guichets = await loadGuichetConfigs(deps.sql, service.id);
  return {
    affected: [],
    saved: false,
    warnings: warningsOf(service, [...guichets, { id: 0, ...fields, plages: [] }]),
  };
}

/** POST /guichets: a new guichet (it adds to the offer, so nothing is affected). */
export async function createGuichet(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  input: GuichetInput,
): Promise<GuichetConfig & { warnings: Warning[] }> {
  const service = await configurable(deps, agent, code);
  const fields = await newGuichet(deps, service, input);
  const id = await deps.sql
    .begin(async (tx) => {
      const id = await insertGuichet(tx, service.id, fields);
      await insertAudit(tx, {
        actor: 'agent',
        agentId: agent.context.agentId,
        action: 'config.guichet-cree',
        serviceId: service.id,
        after: { id, ...fields },
      });
      return id;
    })
    .catch((err: { code?: string }) => {
      if (err.code === '23505')
        throw invalid([{ field: 'name', message: 'Un guichet de ce service porte déjà ce nom.' }]);
      throw err;
    });
  await deps.events.configChanged({ serviceCode: service.codePrincipal });
  const guichets = await loadGuichetConfigs(deps.sql, service.id);
  return { ...guichets.find((g) => g.id === id)!, warnings: warningsOf(service, guichets) };
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
  if (input.motifIds !== undefined) await assertMotifsOfKind(deps, service.kind, input.motifIds);
  return changeWithImpact(deps, agent, service, input, (offer) => {
    const current = offer.guichets.find((g) => g.id === guichetId);
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
    const guichets = offer.guichets.map((g) => asDomain(g.id === guichetId ? next : g));
    return {
      action: 'config.guichet',
      next: { ...offerOf(offer), guichets },
      before: { ...current, plages: undefined },
      after: { ...next, plages: undefined },
      warnings: serviceWarnings({
        active: offer.settings.active,
        durationMinutes: offer.settings.durationMinutes,
        guichets,
      }),
      save: (tx) => updateGuichet(tx, guichetId, next),
    };
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
  return changeWithImpact(deps, agent, service, input, (offer) => {
    const current = offer.guichets.find((g) => g.id === guichetId);
    if (!current) throw notFound('Ce guichet n’existe pas dans ce service.');
    const guichets = offer.guichets.map((g) =>
      asDomain(g.id === guichetId ? { ...g, plages: input.plages } : g),
    );
    return {
      action: 'config.plages',
      next: { ...offerOf(offer), guichets },
      before: { guichetId, plages: current.plages },
      after: { guichetId, plages: input.plages },
      warnings: serviceWarnings({
        active: offer.settings.active,
        durationMinutes: offer.settings.durationMinutes,
        guichets,
      }),
      save: (tx) => replacePlages(tx, guichetId, input.plages),
    };
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
  const fermeture = { guichetId: input.guichetId, start: input.start, end: input.end };
  let id: number | undefined;
  const answer = await changeWithImpact(deps, agent, service, input, (offer) => {
    if (input.guichetId !== null && !offer.guichets.some((g) => g.id === input.guichetId))
      throw notFound('Ce guichet n’existe pas dans ce service.');
    const current = offerOf(offer);
    return {
      action: 'config.fermeture-ajoutee',
      next: { ...current, fermetures: [...current.fermetures, fermeture] },
      after: fermeture,
      warnings: warningsOf(service, offer.guichets),
      save: async (tx) => {
        id = await insertFermeture(tx, { serviceId: service.id, ...fermeture, reason: input.reason.trim() });
      },
    };
  });
  return id === undefined ? answer : { ...answer, id };
}

/**
 * DELETE /fermetures/:id: the service opens again then (it adds to the offer, so nothing is
 * affected). `preview` answers what it would say without deleting.
 */
export async function removeFermeture(
  deps: Deps,
  agent: SignedInAgent,
  code: string,
  id: number,
  options: { preview?: boolean | undefined } = {},
): Promise<ImpactAnswer> {
  const service = await configurable(deps, agent, code);
  const warnings = warningsOf(service, await loadGuichetConfigs(deps.sql, service.id));
  if (options.preview) {
    if (!(await fermetureExists(deps.sql, service.id, id))) throw notFound('Cette fermeture n’existe pas.');
    return { affected: [], saved: false, warnings };
  }
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
  return { affected: [], saved: true, warnings };
}

/** The service's warnings with these guichets and its settings unchanged. */
const warningsOf = (service: AgentService, guichets: readonly GuichetConfig[]) =>
  serviceWarnings({
    active: service.active,
    durationMinutes: service.rdvDurationMinutes,
    guichets: guichets.map(asDomain),
  });

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
  const guichets = await loadGuichetConfigs(deps.sql, service.id);
  const from = guichets.find((g) => g.id === fromGuichetId);
  if (!from) throw notFound('Le guichet à copier n’existe pas dans ce service.');
  return changePlages(deps, agent, code, toGuichetId, { plages: from.plages, ...options });
}
