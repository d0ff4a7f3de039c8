import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Deps } from '../../app/deps.ts';
import { serviceConfig } from '../../app/pilotage.ts';
import {
  addFermeture,
  changeGuichet,
  changePlages,
  changeSettings,
  copyWeek,
  createGuichet,
  previewGuichet,
  removeFermeture,
} from '../../app/pilotage-changes.ts';
import { HOLIDAY_CALENDARS, isLocalDate } from '../../domain/index.ts';
import type { AgentEnv } from '../agent-session.ts';
import { Instant, id, idParam, problemResponse, RdvTypeSchema, ServiceCode } from '../schemas.ts';

const Id = idParam();
const Canal = z.enum(['internet', 'agentExterieur', 'agentService']);
const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Heure attendue au format HH:MM.');
const Day = z.string().refine(isLocalDate, 'Date attendue au format AAAA-MM-JJ.');
const Decision = z.enum(['keep', 'replan', 'cancel'], { error: 'Décision : keep, replan ou cancel.' });

/** Every change may be previewed, and needs a decision for the rdvs it would leave outside the offer. */
const Impact = {
  preview: z
    .boolean()
    .optional()
    .openapi({ description: 'true : montre les rendez-vous touchés sans rien enregistrer' }),
  decision: Decision.optional().openapi({
    description: 'Pour les rendez-vous touchés (ceux de `affectedIds` quand il est donné)',
  }),
  decisions: z
    .record(z.string(), Decision)
    .optional()
    .openapi({ description: 'Par rendez-vous (id → décision)' }),
  affectedIds: z.array(z.number().int().positive()).max(10_000).optional().openapi({
    description:
      'Les rendez-vous que l’aperçu a montrés et que `decision` couvre : un autre rendez-vous touché (pris depuis) refuse le changement (DECISION_REQUIRED)',
  }),
};

const PlageSchema = z.object({
  weekday: z.number().int().min(1, '1 = lundi').max(7, '7 = dimanche'),
  start: Time,
  end: Time,
  validFrom: Day.nullish(),
  validTo: Day.nullish(),
});

const GuichetSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    open: z.boolean(),
    types: z.array(RdvTypeSchema),
    bookableBy: z.array(Canal),
    motifIds: z.array(z.number().int()),
    plages: z.array(
      z.object({
        weekday: z.number().int(),
        start: z.string(),
        end: z.string(),
        validFrom: z.string().nullish(),
        validTo: z.string().nullish(),
      }),
    ),
  })
  .openapi('GuichetConfig');

const Warning = z.object({ code: z.string(), message: z.string() });

const ImpactAnswerSchema = z
  .object({
    affected: z.array(
      z.object({
        id: z.number().int(),
        code: z.string(),
        start: z.string(),
        end: z.string(),
        guichetId: z.number().int(),
        usager: z.string(),
      }),
    ),
    saved: z.boolean(),
    warnings: z.array(Warning),
    outcome: z
      .object({
        kept: z.array(z.string()),
        replanned: z.array(z.string()),
        cancelled: z.array(z.string()),
        unplaced: z.array(z.string()),
      })
      .optional(),
    id: z.number().int().optional(),
  })
  .openapi('ImpactChangement');

const answers = (description: string) => ({
  200: { description, content: { 'application/json': { schema: ImpactAnswerSchema } } },
  401: problemResponse('Pas de session'),
  403: problemResponse('Réservé au chef de service ou à un administrateur'),
  404: problemResponse('Introuvable'),
  409: problemResponse(
    'Des rendez-vous sortiraient de l’offre : décision nécessaire (DECISION_REQUIRED, liste dans `affected`)',
  ),
  422: problemResponse('Configuration invalide'),
});

const json = <T extends z.ZodTypeAny>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
});
const params = z.object({ code: ServiceCode });
const guichetParams = z.object({ code: ServiceCode, id: Id });

const getConfig = createRoute({
  method: 'get',
  path: '/agent/services/{code}/config',
  summary: 'Configurer le service : réglages, guichets, plages et fermetures',
  request: { params },
  responses: {
    200: {
      description: 'La configuration',
      content: {
        'application/json': {
          schema: z
            .object({
              code: z.string(),
              name: z.string(),
              kind: z.string(),
              timeZone: z.string(),
              active: z.boolean(),
              durationMinutes: z.number().int(),
              holidayCalendar: z.enum(HOLIDAY_CALENDARS as [string, ...string[]]),
              selfCancellation: z.boolean(),
              guichets: z.array(GuichetSchema),
              fermetures: z.array(
                z.object({
                  id: z.number().int(),
                  guichetId: z.number().int().nullable(),
                  start: z.string(),
                  end: z.string(),
                  reason: z.string(),
                }),
              ),
              motifs: z
                .array(
                  z.object({ id: z.number().int(), label: z.string(), parentLabel: z.string().nullable() }),
                )
                .openapi({
                  description: 'Les motifs de la liste nationale qu’un guichet de ce service peut offrir',
                }),
              warnings: z.array(Warning),
            })
            .openapi('ConfigService'),
        },
      },
    },
    401: problemResponse('Pas de session'),
    403: problemResponse('Réservé au chef de service ou à un administrateur'),
  },
});

const putConfig = createRoute({
  method: 'put',
  path: '/agent/services/{code}/config',
  summary: 'Réglages du service : activation, durée, calendrier des jours fériés, annulation par l’usager',
  request: {
    params,
    body: json(
      z.object({
        active: z.boolean(),
        durationMinutes: z.number().int().min(5, '5 minutes au moins').max(240, '4 heures au plus'),
        holidayCalendar: z.enum(HOLIDAY_CALENDARS as [string, ...string[]], { error: 'Calendrier inconnu.' }),
        selfCancellation: z.boolean(),
        ...Impact,
      }),
    ),
  },
  responses: answers('Réglages enregistrés (ou aperçu)'),
});

const GuichetFields = z.object({
  name: z.string().trim().max(100),
  open: z.boolean(),
  types: z.array(RdvTypeSchema).max(2),
  bookableBy: z.array(Canal).max(3),
  motifIds: z.array(id()).max(500),
});
/** A new guichet: open and without motifs unless said; `preview` answers without creating it. */
const GuichetBody = GuichetFields.extend({
  open: GuichetFields.shape.open.default(true),
  motifIds: GuichetFields.shape.motifIds.default([]),
  preview: Impact.preview,
});
/** A change: only the fields sent (no defaults, or `{open: false}` would also drop the motifs). */
const GuichetPatch = GuichetFields.partial().extend(Impact);

const postGuichet = createRoute({
  method: 'post',
  path: '/agent/services/{code}/guichets',
  summary: 'Créer un guichet',
  request: { params, body: json(GuichetBody) },
  responses: {
    200: {
      description: 'Aperçu (`preview`) : rien n’est créé',
      content: { 'application/json': { schema: ImpactAnswerSchema } },
    },
    201: {
      description: 'Guichet créé',
      content: { 'application/json': { schema: GuichetSchema.extend({ warnings: z.array(Warning) }) } },
    },
    401: problemResponse('Pas de session'),
    403: problemResponse('Réservé au chef de service'),
    422: problemResponse('Guichet invalide'),
  },
});

const patchGuichet = createRoute({
  method: 'patch',
  path: '/agent/services/{code}/guichets/{id}',
  summary: 'Modifier un guichet : nom, ouverture, types, qui peut réserver, motifs',
  request: { params: guichetParams, body: json(GuichetPatch) },
  responses: answers('Guichet modifié (ou aperçu)'),
});

const putPlages = createRoute({
  method: 'put',
  path: '/agent/services/{code}/guichets/{id}/plages',
  summary: 'Plages hebdomadaires d’un guichet',
  request: {
    params: guichetParams,
    body: json(z.object({ plages: z.array(PlageSchema).max(100), ...Impact })),
  },
  responses: answers('Plages enregistrées (ou aperçu)'),
});

const postCopyWeek = createRoute({
  method: 'post',
  path: '/agent/services/{code}/guichets/{id}/copy-week',
  summary: 'Copier la semaine de ce guichet sur un autre',
  request: {
    params: guichetParams,
    body: json(z.object({ toGuichetId: id(), ...Impact })),
  },
  responses: answers('Semaine copiée (ou aperçu)'),
});

const postFermeture = createRoute({
  method: 'post',
  path: '/agent/services/{code}/fermetures',
  summary: 'Fermeture exceptionnelle du service ou d’un guichet',
  request: {
    params,
    body: json(
      z.object({
        guichetId: id().nullable().default(null),
        start: Instant,
        end: Instant,
        reason: z.string().trim().max(200),
        ...Impact,
      }),
    ),
  },
  responses: answers('Fermeture enregistrée (ou aperçu)'),
});

const deleteFermetureRoute = createRoute({
  method: 'delete',
  path: '/agent/services/{code}/fermetures/{id}',
  summary: 'Supprimer une fermeture',
  request: {
    params: guichetParams,
    query: z.object({
      preview: z
        .enum(['true', 'false'])
        .optional()
        .openapi({ description: 'true : répond comme un changement, sans rien supprimer' }),
    }),
  },
  responses: {
    200: {
      description: 'Aperçu (`preview=true`) : rien n’est supprimé',
      content: { 'application/json': { schema: ImpactAnswerSchema } },
    },
    204: { description: 'Supprimée' },
    401: problemResponse('Pas de session'),
    403: problemResponse('Réservé au chef de service'),
    404: problemResponse('Introuvable'),
  },
});

/** "Configurer le service", on the agents' router. */
export function registerPilotage(app: OpenAPIHono<AgentEnv>, deps: Deps): void {
  app.openapi(
    getConfig,
    async (c) => c.json(await serviceConfig(deps, c.get('agent'), c.req.valid('param').code), 200) as never,
  );
  app.openapi(putConfig, async (c) => {
    const b = c.req.valid('json');
    return c.json(
      await changeSettings(deps, c.get('agent'), c.req.valid('param').code, {
        ...b,
        holidayCalendar: b.holidayCalendar as never,
      }),
      200,
    );
  });
  app.openapi(postGuichet, async (c) => {
    const { preview, ...b } = c.req.valid('json');
    const code = c.req.valid('param').code;
    if (preview) return c.json(await previewGuichet(deps, c.get('agent'), code, b), 200);
    return c.json(await createGuichet(deps, c.get('agent'), code, b), 201);
  });
  app.openapi(patchGuichet, async (c) => {
    const { code, id } = c.req.valid('param');
    return c.json(await changeGuichet(deps, c.get('agent'), code, id, c.req.valid('json')), 200);
  });
  app.openapi(putPlages, async (c) => {
    const { code, id } = c.req.valid('param');
    const b = c.req.valid('json');
    const plages = b.plages.map((p) => ({
      ...p,
      weekday: p.weekday as never,
      validFrom: p.validFrom ?? null,
      validTo: p.validTo ?? null,
    }));
    return c.json(await changePlages(deps, c.get('agent'), code, id, { ...b, plages }), 200);
  });
  app.openapi(postCopyWeek, async (c) => {
    const { code, id } = c.req.valid('param');
    const b = c.req.valid('json');
    return c.json(await copyWeek(deps, c.get('agent'), code, id, b.toGuichetId, b), 200);
  });
  app.openapi(postFermeture, async (c) => {
    const b = c.req.valid('json');
    return c.json(
      await addFermeture(deps, c.get('agent'), c.req.valid('param').code, {
        ...b,
        start: Date.parse(b.start),
        end: Date.parse(b.end),
      }),
      200,
    );
  });
  app.openapi(deleteFermetureRoute, async (c) => {
    const { code, id } = c.req.valid('param');
    const preview = c.req.valid('query').preview === 'true';
    const answer = await removeFermeture(deps, c.get('agent'), code, id, { preview });
    return preview ? c.json(answer, 200) : c.body(null, 204);
  });
}
