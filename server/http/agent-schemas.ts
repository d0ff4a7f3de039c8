import { z } from '@hono/zod-openapi';

/** The shapes of the agents' API (server/http/routes/agent.ts), as OpenAPI documents them. */

const Type = z.enum(['physique', 'telephone']);
const Canal = z.enum(['internet', 'agentExterieur', 'agentService']);

export const UsagerViewSchema = z
  .object({
    type: z.enum(['particulier', 'professionnel']),
    civilite: z.enum(['M', 'MME']),
    nomUsage: z.string(),
    nomNaissance: z.string().nullable(),
    prenoms: z.string(),
    dateNaissance: z.string().nullable(),
    numeroFiscal: z.string().nullable(),
    siren: z.string().nullable(),
    raisonSociale: z.string().nullable(),
    telephones: z.array(z.string()),
    rappel: z.array(z.string()),
    email: z.string().nullable(),
  })
  .openapi('UsagerVu');

export const AgendaRdvSchema = z
  .object({
    id: z.number().int(),
    code: z.string().openapi({ example: 'XOWVVO' }),
    start: z.string().openapi({ example: '2026-12-08T09:20:00+01:00' }),
    end: z.string(),
    type: Type,
    status: z.enum(['confirme', 'annule']),
    guichetId: z.number().int(),
    motif: z.object({ id: z.number().int(), label: z.string(), parent: z.string().nullable() }),
    canal: Canal,
    arrived: z.boolean(),
    arrivedAt: z.string().nullable(),
    contreAppel: z.object({ date: z.string(), cancel: z.boolean() }).nullable(),
    cancelReason: z.string().nullable(),
    usager: UsagerViewSchema,
  })
  .openapi('AgendaRdv');

const Action = z.enum([
  'agenda.read',
  'rdv.read',
  'rdv.create',
  'rdv.book',
  'rdv.arrival',
  'rdv.contreAppel',
  'rdv.replan',
  'rdv.cancel',
  'service.configure',
  'service.organise',
  'service.stats',
]);

export const DashboardSchema = z
  .object({
    services: z.array(
      z.object({
        code: z.string(),
        codeAssocie: z.string().nullable(),
        name: z.string(),
        kind: z.string(),
        postcode: z.string(),
        city: z.string(),
        active: z.boolean(),
        actions: z.array(Action),
      }),
    ),
  })
  .openapi('TableauDeBord');

export const AgendaSchema = z
  .object({
    service: z.object({
      code: z.string(),
      name: z.string(),
      timeZone: z.string(),
      durationMinutes: z.number().int(),
      active: z.boolean(),
    }),
    from: z.string(),
    to: z.string(),
    today: z.string(),
    guichets: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        open: z.boolean(),
        types: z.array(Type),
        bookableBy: z.array(Canal),
        motifIds: z.array(z.number().int()),
      }),
    ),
    plages: z.array(z.object({ guichetId: z.number().int(), start: z.string(), end: z.string() })),
    fermetures: z.array(
      z.object({
        id: z.number().int(),
        guichetId: z.number().int().nullable(),
        start: z.string(),
        end: z.string(),
        reason: z.string(),
      }),
    ),
    rdvs: z.array(AgendaRdvSchema),
    holds: z.array(
      z.object({
        holdId: z.string(),
        guichetId: z.number().int(),
        start: z.string(),
        end: z.string(),
        type: Type,
      }),
    ),
    motifs: z.array(
      z.object({ id: z.number().int(), label: z.string(), parentLabel: z.string().nullable() }),
    ),
    can: z.object({
      create: z.boolean(),
      arrival: z.boolean(),
      contreAppel: z.boolean(),
      replan: z.boolean(),
      cancel: z.boolean(),
    }),
  })
  .openapi('Agenda');

export const FicheSchema = AgendaRdvSchema.extend({
  service: z.object({ code: z.string(), name: z.string(), timeZone: z.string() }),
  guichet: z.object({ id: z.number().int(), name: z.string() }),
  precisions: z.string(),
  contreAppel: z.object({ date: z.string(), cancel: z.boolean(), comment: z.string().nullable() }).nullable(),
  cancelledAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  arrival: z.enum(['open', 'tooEarly', 'frozen']),
  history: z.array(
    z.object({
      at: z.string(),
      action: z.string(),
      by: z.string(),
      before: z.record(z.string(), z.unknown()).nullable(),
      after: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  can: z.object({ arrival: z.boolean(), contreAppel: z.boolean(), replan: z.boolean(), cancel: z.boolean() }),
}).openapi('FicheRdv');

export const WarningsProblem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('ProblemeAvecAvertissements');
