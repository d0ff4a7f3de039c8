import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Deps } from '../../app/deps.ts';
import { AppError } from '../../app/errors.ts';
import { exportRdvs } from '../../app/rdv-export.ts';
import { listRdvs, searchAgentRdvs } from '../../app/rdv-lists.ts';
import { searchAgentServices } from '../../app/service-search.ts';
import { bookSimplified, simplifiedOffer, simplifiedSlots } from '../../app/simplified-booking.ts';
import { isNumeroFiscal, isSiren } from '../../domain/identifiers.ts';
import { isLocalDate } from '../../domain/index.ts';
import { AgendaRdvSchema, DashboardSchema } from '../agent-schemas.ts';
import type { AgentEnv } from '../agent-session.ts';
import {
  Instant,
  id,
  idParam,
  problemResponse,
  RdvTypeSchema,
  ServiceCode,
  UsagerSchema,
} from '../schemas.ts';
import { toUsager } from './usager.ts';

const LocalDay = z
  .string()
  .refine(isLocalDate, 'Date attendue au format AAAA-MM-JJ.')
  .openapi({ example: '2026-12-08' });
const State = z.enum(['confirme', 'annule', 'arrive', 'non-arrive'], {
  error: 'État attendu : confirme, annule, arrive ou non-arrive.',
});
const denied = {
  401: problemResponse('Pas de session'),
  403: problemResponse('Hors de votre zone de compétence, ou habilitation insuffisante'),
  422: problemResponse('Paramètres invalides'),
};

const ListItem = z
  .object({
    id: z.number().int(),
    code: z.string(),
    service: z.object({ code: z.string(), name: z.string() }),
    date: z.string(),
    start: z.string(),
    end: z.string(),
    horaires: z.string().openapi({ example: '09:20 - 09:40' }),
    usager: z.string().openapi({ example: 'REY CHRISTELLE' }),
    type: RdvTypeSchema,
    typeLabel: z.string(),
    guichet: z.string(),
    contreAppelDate: z.string().nullable(),
    status: z.enum(['confirme', 'annule']),
    etat: z.string(),
    arrived: z.boolean(),
    arrivalOpen: z.boolean(),
    canal: z.enum(['internet', 'agentExterieur', 'agentService']),
    timeZone: z.string(),
  })
  .openapi('LigneRdv');

const ListQuery = z.object({
  from: LocalDay,
  to: LocalDay,
  service: ServiceCode.optional(),
  state: State.optional(),
});

const listRoute = createRoute({
  method: 'get',
  path: '/agent/rdvs',
  summary: 'Liste des RDV des services du tableau de bord (ou d’un service), par pages',
  request: {
    query: ListQuery.extend({
      cursor: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(10),
    }),
  },
  responses: {
    200: {
      description: 'Une page, le total et le curseur de la suivante (absent sur la dernière)',
      content: {
        'application/json': {
          schema: z
            .object({ items: z.array(ListItem), total: z.number().int(), nextCursor: z.string().optional() })
            .openapi('ListeRdv'),
        },
      },
    },
    ...denied,
  },
});

const csvRoute = createRoute({
  method: 'get',
  path: '/agent/rdvs.csv',
  summary: 'Exporter la liste en csv (UTF-8 avec BOM, « ; »), toute la période',
  request: { query: ListQuery },
  responses: {
    200: { description: 'Le fichier CSV', content: { 'text/csv': { schema: z.string() } } },
    ...denied,
    503: problemResponse('L’export n’a pas pu être inscrit au journal d’audit (EXPORT_NOT_AUDITED)'),
  },
});

const searchRoute = createRoute({
  method: 'get',
  path: '/agent/rdv-search',
  summary: 'Rechercher les RDV (zone de compétence ; ailleurs, le code et le nom ensemble)',
  request: {
    query: z.object({
      code: z
        .string()
        .regex(/^[A-Za-z]{6}$/, 'Le code du rendez-vous comporte 6 lettres.')
        .transform((v) => v.toUpperCase())
        .optional(),
      // Three characters at least, unless the code is given too (see searchAgentRdvs).
      nom: z.string().trim().min(1, 'Indiquez le nom de l’usager.').max(100).optional(),
      numeroFiscal: z.string().refine(isNumeroFiscal, 'Le numéro fiscal comporte 13 chiffres.').optional(),
      siren: z.string().refine(isSiren, 'SIREN invalide (9 chiffres, clé de contrôle).').optional(),
      from: LocalDay.optional(),
      to: LocalDay.optional(),
      state: State.optional(),
    }),
  },
  responses: {
    200: {
      description: 'Les rendez-vous trouvés (100 au plus, du plus récent au plus ancien)',
      content: {
        'application/json': {
          schema: z
            .object({
              items: z.array(
                ListItem.extend({
                  inZone: z.boolean(),
                  access: z.string().optional().openapi({
                    description:
                      'Jeton d’accès à ce seul rendez-vous, pour un agent extérieur (paramètre « acces »)',
                  }),
                }),
              ),
            })
            .openapi('RechercheRdv'),
        },
      },
    },
    ...denied,
    429: problemResponse('Trop de recherches par code et nom hors de la zone de compétence (RATE_LIMITED)'),
  },
});

const Types = z.enum(['TOUS', 'SIP', 'SIP-CDIF', 'SIE', 'CDIF', 'TRESORERIE'], {
  error: 'Types de service : TOUS, SIP, SIP-CDIF, SIE, CDIF ou TRESORERIE.',
});

const serviceSearchRoute = createRoute({
  method: 'get',
  path: '/agent/service-search',
  summary:
    'Rechercher les services : par adresse, DGE (mode=dge), DRESG (mode=dresg), SAGES ou CODIQUE (code)',
  request: {
    query: z.object({
      mode: z.enum(['adresse', 'dge', 'dresg']).optional(),
      voie: z.string().trim().max(200).optional(),
      postcode: z
        .string()
        .trim()
        .regex(/^\d{5}$/, 'Le code postal comporte 5 chiffres.')
        .optional(),
      city: z.string().trim().max(100).optional(),
      types: Types.default('TOUS'),
      siren: z.string().refine(isSiren, 'SIREN invalide (9 chiffres, clé de contrôle).').optional(),
      code: z
        .string()
        .trim()
        .regex(/^(\d{7}|\d{6})$/, 'Code SAGES (7 chiffres) ou CODIQUE (6 chiffres).')
        .optional(),
    }),
  },
  responses: {
    200: {
      description: 'Les services, le rappel des critères et les actions permises',
      content: {
        'application/json': {
          schema: DashboardSchema.extend({
            criteria: z.array(z.string()),
            message: z.string().optional(),
          }).openapi('RechercheServices'),
        },
      },
    },
    ...denied,
  },
});

const offerRoute = createRoute({
  method: 'get',
  path: '/agent/services/{code}/parcours',
  summary: 'Parcours simplifié : types, motifs et période offerts à cet agent',
  request: { params: z.object({ code: ServiceCode }) },
  responses: {
    200: {
      description: 'L’offre',
      content: {
        'application/json': {
          schema: z
            .object({
              service: z.object({
                code: z.string(),
                name: z.string(),
                timeZone: z.string(),
                durationMinutes: z.number().int(),
              }),
              canal: z.enum(['agentService', 'agentExterieur']),
              rattache: z.boolean(),
              types: z.array(RdvTypeSchema),
              motifs: z.array(
                z.object({
                  id: z.number().int(),
                  code: z.string(),
                  label: z.string(),
                  children: z.array(z.object({ id: z.number().int(), code: z.string(), label: z.string() })),
                }),
              ),
              window: z.object({ from: z.string(), to: z.string() }),
            })
            .openapi('ParcoursSimplifie'),
        },
      },
    },
    ...denied,
  },
});

const slotsRoute = createRoute({
  method: 'get',
  path: '/agent/services/{code}/parcours/slots',
  summary: 'Parcours simplifié : les créneaux libres pour un motif et un type',
  request: {
    params: z.object({ code: ServiceCode }),
    query: z.object({
      motif: idParam('Identifiant de motif attendu.'),
      type: RdvTypeSchema,
      from: LocalDay,
      to: LocalDay,
    }),
  },
  responses: {
    200: {
      description: 'Jours ayant au moins un créneau libre',
      content: {
        'application/json': {
          schema: z.object({
            days: z.array(
              z.object({
                date: z.string(),
                slots: z.array(z.object({ start: z.string(), end: z.string() })),
              }),
            ),
          }),
        },
      },
    },
    ...denied,
  },
});

const bookRoute = createRoute({
  method: 'post',
  path: '/agent/services/{code}/parcours/rdvs',
  summary: 'Parcours simplifié : prendre le rendez-vous sur un créneau offert',
  request: {
    params: z.object({ code: ServiceCode }),
    body: {
      content: {
        'application/json': {
          // Strict: the parcours forces nothing, so the agenda's forcing fields (guichetId, end,
          // acknowledge…) are refused rather than silently dropped.
          schema: z
            .strictObject(
              {
                motifId: id('Identifiant de motif attendu.'),
                type: RdvTypeSchema,
                start: Instant,
                usager: UsagerSchema,
                precisions: z
                  .string({ error: 'Précisez l’objet du rendez-vous.' })
                  .trim()
                  .min(1, 'Précisez l’objet du rendez-vous.')
                  .max(2000),
              },
              {
                error: (issue) =>
                  issue.code === 'unrecognized_keys'
                    ? `Le parcours simplifié ne permet pas de forcer les paramètres du service : ${issue.keys.join(', ')} refusé(s). Seuls les créneaux proposés peuvent être pris.`
                    : undefined,
              },
            )
            .openapi('ParcoursRdvRequest'),
        },
      },
      required: true,
    },
  },
  responses: {
    201: { description: 'Rendez-vous pris', content: { 'application/json': { schema: AgendaRdvSchema } } },
    ...denied,
    409: problemResponse('Le créneau n’est plus offert (SLOT_UNAVAILABLE) ou vient d’être pris'),
  },
});

/** Liste des RDV, its CSV, the searches and the parcours simplifié, on the agents' router. */
export function registerAgentLists(app: OpenAPIHono<AgentEnv>, deps: Deps): void {
  app.openapi(listRoute, async (c) =>
    c.json(await listRdvs(deps, c.get('agent'), c.req.valid('query')), 200),
  );
  app.openapi(csvRoute, async (c) => {
    const { filename, body } = await exportRdvs(deps, c.get('agent'), c.req.valid('query'));
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
    }) as never;
  });
  app.openapi(searchRoute, async (c) =>
    c.json(await searchAgentRdvs(deps, c.get('agent'), c.req.valid('query')), 200),
  );
  app.openapi(serviceSearchRoute, async (c) => {
    const q = c.req.valid('query');
    const agent = c.get('agent');
    if (q.code) return c.json(await searchAgentServices(deps, agent, { mode: 'code', code: q.code }), 200);
    if (q.mode === 'dresg') return c.json(await searchAgentServices(deps, agent, { mode: 'dresg' }), 200);
    if (q.mode === 'dge') {
      if (!q.siren)
        throw new AppError('VALIDATION_FAILED', 'Indiquez le SIREN de l’entreprise.', {
          errors: [{ field: 'siren', message: 'Le SIREN est obligatoire.' }],
        });
      return c.json(await searchAgentServices(deps, agent, { mode: 'dge', siren: q.siren }), 200);
    }
    if (!q.voie || !q.postcode) {
      throw new AppError('VALIDATION_FAILED', 'La voie et le code postal sont obligatoires.', {
        errors: [
          ...(q.voie ? [] : [{ field: 'voie', message: 'La voie est obligatoire.' }]),
          ...(q.postcode ? [] : [{ field: 'postcode', message: 'Le code postal est obligatoire.' }]),
        ],
      });
    }
    return c.json(
      await searchAgentServices(deps, agent, {
        mode: 'adresse',
        voie: q.voie,
        postcode: q.postcode,
        city: q.city,
        types: q.types,
      }),
      200,
    );
  });
  app.openapi(offerRoute, async (c) =>
    c.json(await simplifiedOffer(deps, c.get('agent'), c.req.valid('param').code), 200),
  );
  app.openapi(slotsRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(
      await simplifiedSlots(deps, c.get('agent'), c.req.valid('param').code, {
        motifId: q.motif,
        type: q.type,
        from: q.from,
        to: q.to,
      }),
      200,
    );
  });
  app.openapi(bookRoute, async (c) => {
    const b = c.req.valid('json');
    const rdv = await bookSimplified(deps, c.get('agent'), c.req.valid('param').code, {
      motifId: b.motifId,
      type: b.type,
      start: Date.parse(b.start),
      usager: toUsager(b.usager),
      precisions: b.precisions,
    });
    return c.json(rdv, 201);
  });
}
