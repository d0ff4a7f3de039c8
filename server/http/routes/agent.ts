import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { agendaOf, dashboard, knownUsager, rdvFiche } from '../../app/agenda.ts';
import { accessProof } from '../../app/agent-access.ts';
import { bookForUsager, replanRdv } from '../../app/agent-booking.ts';
import type { SignedInAgent } from '../../app/auth.ts';
import type { Deps } from '../../app/deps.ts';
import { cancelByAgent, flagArrival, recordCallBack } from '../../app/rdv-changes.ts';
import { isNumeroFiscal, isSiren } from '../../domain/identifiers.ts';
import { isLocalDate } from '../../domain/index.ts';
import {
  AgendaRdvSchema,
  AgendaSchema,
  DashboardSchema,
  FicheSchema,
  UsagerViewSchema,
  WarningsProblem,
} from '../agent-schemas.ts';
import { type AgentEnv, passwordChanged, requireAgent, sameOrigin } from '../agent-session.ts';
import { router } from '../router.ts';
import {
  Instant,
  id,
  idParam,
  problemResponse,
  RdvTypeSchema,
  ServiceCode,
  UsagerSchema,
} from '../schemas.ts';
import { registerAgentLists } from './agent-lists.ts';
import { registerOrganisation } from './organisation.ts';
import { registerPilotage } from './pilotage.ts';
import { registerStats } from './stats.ts';
import { toUsager } from './usager.ts';

const LocalDay = z
  .string()
  .refine(isLocalDate, 'Date attendue au format AAAA-MM-JJ.')
  .openapi({ example: '2026-12-08' });
const RdvId = idParam('Identifiant de rendez-vous attendu.');
const Id = id();
/** The access token an agent extérieur got from "Rechercher les RDV" (code and name together). */
const Access = z.string().max(200).optional().openapi({ description: 'Jeton d’accès d’un agent extérieur' });
const Acknowledge = z
  .array(z.string().max(60))
  .max(10)
  .default([])
  .openapi({ description: 'Codes des avertissements confirmés par l’agent (« Enregistrer quand même »)' });

const denied = {
  401: problemResponse('Pas de session'),
  403: problemResponse('Habilitation insuffisante, ou demande venue d’une autre origine'),
  404: problemResponse('Introuvable (ou hors de votre zone de compétence)'),
};
const rdvAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: AgendaRdvSchema } },
});

const servicesRoute = createRoute({
  method: 'get',
  path: '/agent/services',
  summary: 'Tableau de bord : les services de la zone de compétence et les actions permises',
  responses: {
    200: { description: 'Services', content: { 'application/json': { schema: DashboardSchema } } },
    ...denied,
  },
});

const agendaRoute = createRoute({
  method: 'get',
  path: '/agent/services/{code}/agenda',
  summary: 'Agenda d’un service : guichets, plages, fermetures, rendez-vous et réservations en cours',
  request: { params: z.object({ code: ServiceCode }), query: z.object({ from: LocalDay, to: LocalDay }) },
  responses: {
    200: { description: 'L’agenda', content: { 'application/json': { schema: AgendaSchema } } },
    ...denied,
    422: problemResponse('Période invalide'),
  },
});

const CreateBody = z
  .object({
    guichetId: Id,
    motifId: Id,
    type: RdvTypeSchema,
    start: Instant,
    end: Instant,
    usager: UsagerSchema,
    precisions: z
      .string({ error: 'Précisez l’objet du rendez-vous.' })
      .trim()
      .min(1, 'Précisez l’objet du rendez-vous.')
      .max(2000, '2 000 caractères au plus.'),
    acknowledge: Acknowledge,
  })
  .openapi('RdvAgentRequest');

const createRoute_ = createRoute({
  method: 'post',
  path: '/agent/services/{code}/rdvs',
  summary: 'Créer un RDV depuis l’agenda (agent rattaché), avec confirmation des avertissements',
  request: {
    params: z.object({ code: ServiceCode }),
    body: { content: { 'application/json': { schema: CreateBody } }, required: true },
  },
  responses: {
    201: rdvAnswer('Rendez-vous créé'),
    ...denied,
    409: problemResponse('Chevauchement avec un autre rendez-vous (SLOT_TAKEN)'),
    422: {
      description:
        'Erreur bloquante, ou avertissements à confirmer (ACKNOWLEDGEMENT_REQUIRED, liste dans `warnings`)',
      content: { 'application/problem+json': { schema: WarningsProblem } },
    },
  },
});

const ficheRoute = createRoute({
  method: 'get',
  path: '/agent/rdvs/{id}',
  summary: 'Fiche RDV : détail et historique',
  request: { params: z.object({ id: RdvId }), query: z.object({ acces: Access }) },
  responses: {
    200: { description: 'La fiche', content: { 'application/json': { schema: FicheSchema } } },
    ...denied,
  },
});

const arrivalRoute = createRoute({
  method: 'post',
  path: '/agent/rdvs/{id}/arrival',
  summary: 'Arrivé / Non arrivé (le jour du rendez-vous seulement)',
  request: {
    params: z.object({ id: RdvId }),
    body: {
      content: {
        'application/json': {
          schema: z.object({ arrived: z.boolean({ error: 'arrived : vrai ou faux.' }) }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: rdvAnswer('Arrivée annotée'),
    ...denied,
    409: problemResponse('Rendez-vous annulé'),
    422: problemResponse('Pas le jour du rendez-vous (ARRIVAL_TOO_EARLY, ARRIVAL_FROZEN)'),
  },
});

const contreAppelRoute = createRoute({
  method: 'post',
  path: '/agent/rdvs/{id}/contre-appels',
  summary: 'Enregistrer un contre-appel (et, si besoin, annuler le RDV)',
  request: {
    params: z.object({ id: RdvId }),
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              date: LocalDay,
              comment: z.string({ error: 'Le commentaire est obligatoire.' }).max(4000),
              cancel: z.boolean().default(false),
            })
            .openapi('ContreAppelRequest'),
        },
      },
      required: true,
    },
  },
  responses: {
    200: rdvAnswer('Contre-appel enregistré'),
    ...denied,
    409: problemResponse('Rendez-vous annulé'),
    422: problemResponse('Commentaire manquant, date invalide'),
  },
});

const replanRoute = createRoute({
  method: 'post',
  path: '/agent/rdvs/{id}/replan',
  summary: 'Replanifier : motif, date, heure, type',
  request: {
    params: z.object({ id: RdvId }),
    query: z.object({ acces: Access }),
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              start: Instant,
              end: Instant.optional(),
              guichetId: Id.optional(),
              motifId: Id.optional(),
              type: RdvTypeSchema.optional(),
              acknowledge: Acknowledge,
            })
            .openapi('ReplanRequest'),
        },
      },
      required: true,
    },
  },
  responses: {
    200: rdvAnswer('Rendez-vous déplacé'),
    ...denied,
    409: problemResponse('Rendez-vous annulé, ou chevauchement'),
    422: {
      description: 'Erreur bloquante ou avertissements à confirmer',
      content: { 'application/problem+json': { schema: WarningsProblem } },
    },
  },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/agent/rdvs/{id}/cancel',
  summary: 'Annuler le rendez-vous (irréversible ; l’usager est prévenu)',
  request: { params: z.object({ id: RdvId }), query: z.object({ acces: Access }) },
  responses: {
    200: rdvAnswer('Rendez-vous annulé'),
    ...denied,
    409: problemResponse('Déjà annulé (RDV_CANCELLED)'),
  },
});

const usagerRoute = createRoute({
  method: 'get',
  path: '/agent/usagers',
  summary: 'Rechercher l’utilisateur par son identifiant (numéro fiscal ou SIREN) dans sa zone',
  request: {
    query: z
      .object({
        numeroFiscal: z.string().refine(isNumeroFiscal, 'Le numéro fiscal comporte 13 chiffres.').optional(),
        siren: z.string().refine(isSiren, 'SIREN invalide (9 chiffres, clé de contrôle).').optional(),
      })
      .refine((q) => !!q.numeroFiscal !== !!q.siren, 'Donnez le numéro fiscal ou le SIREN.'),
  },
  responses: {
    200: { description: 'L’usager connu', content: { 'application/json': { schema: UsagerViewSchema } } },
    ...denied,
    422: problemResponse('Identifiant invalide'),
  },
});

/** The agents' space API (mounted under /api/v1): every route signed in, every write same-origin. */
export function agentRoutes(deps: Deps): OpenAPIHono<AgentEnv> {
  const app = router<AgentEnv>();
  app.use('/agent/*', sameOrigin(deps), requireAgent(deps), passwordChanged());
  app.openapi(servicesRoute, async (c) => c.json({ services: await dashboard(deps, c.get('agent')) }, 200));
  app.openapi(agendaRoute, async (c) =>
    c.json(await agendaOf(deps, c.get('agent'), c.req.valid('param').code, c.req.valid('query')), 200),
  );
  app.openapi(createRoute_, async (c) => {
    const body = c.req.valid('json');
    const rdv = await bookForUsager(deps, c.get('agent'), c.req.valid('param').code, {
      guichetId: body.guichetId,
      motifId: body.motifId,
      type: body.type,
      start: Date.parse(body.start),
      end: Date.parse(body.end),
      usager: toUsager(body.usager),
      precisions: body.precisions,
      acknowledge: body.acknowledge,
    });
    return c.json(rdv, 201);
  });
  const proof = (c: { get(key: 'agent'): SignedInAgent }, id: number, token: string | undefined) =>
    accessProof(deps, c.get('agent'), id, token);
  app.openapi(ficheRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await rdvFiche(deps, c.get('agent'), id, proof(c, id, c.req.valid('query').acces)), 200);
  });
  app.openapi(arrivalRoute, async (c) =>
    c.json(
      await flagArrival(deps, c.get('agent'), c.req.valid('param').id, c.req.valid('json').arrived),
      200,
    ),
  );
  app.openapi(contreAppelRoute, async (c) =>
    c.json(await recordCallBack(deps, c.get('agent'), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(replanRoute, async (c) => {
    const b = c.req.valid('json');
    const { id } = c.req.valid('param');
    const rdv = await replanRdv(
      deps,
      c.get('agent'),
      id,
      {
        start: Date.parse(b.start),
        end: b.end ? Date.parse(b.end) : undefined,
        guichetId: b.guichetId,
        motifId: b.motifId,
        type: b.type,
        acknowledge: b.acknowledge,
      },
      proof(c, id, c.req.valid('query').acces),
    );
    return c.json(rdv, 200);
  });
  app.openapi(cancelRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(
      await cancelByAgent(deps, c.get('agent'), id, proof(c, id, c.req.valid('query').acces)),
      200,
    );
  });
  app.openapi(usagerRoute, async (c) =>
    c.json(await knownUsager(deps, c.get('agent'), c.req.valid('query')), 200),
  );
  registerAgentLists(app, deps);
  registerPilotage(app, deps);
  registerOrganisation(app, deps);
  registerStats(app, deps);
  return app;
}
