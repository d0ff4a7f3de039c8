import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  getContactReasons,
  getNationalServiceCard,
  needsAddress,
  SEARCH_KINDS,
  type SearchKind,
  searchServices,
} from '../../app/contact.ts';
import type { Deps } from '../../app/deps.ts';
import { AUDIENCES } from '../../domain/contact-reasons.ts';
import { rateLimited } from '../client.ts';
import { type Env, router } from '../router.ts';
import { problemResponse, ServiceCardSchema } from '../schemas.ts';

/*
 * The public "Contact" journey: the cascade of reasons, then the competent office for an address.
 * Mount this router before serviceRoutes: /services/dresg would otherwise be read as a code.
 */

const FaqSchema = z.object({
  question: z.string(),
  answer: z.string().optional(),
  url: z.string().optional(),
});
const OnlineProcedureSchema = z.object({ label: z.string(), url: z.string() });

type ReasonShape = {
  id: string;
  label: string;
  children: ReasonShape[];
  faq?: z.infer<typeof FaqSchema>[];
  onlineProcedure?: z.infer<typeof OnlineProcedureSchema> | null;
  serviceKinds?: string[];
  motifCode?: string | null;
  abroad?: boolean;
};

const ReasonSchema: z.ZodType<ReasonShape> = z
  .object({
    id: z.string().openapi({ example: 'part-dossier-calcul-ir' }),
    label: z.string().openapi({ example: 'Votre impôt sur le revenu/prélèvements sociaux' }),
    get children() {
      return z.array(ReasonSchema);
    },
    faq: z.array(FaqSchema).optional(),
    onlineProcedure: OnlineProcedureSchema.nullable().optional(),
    serviceKinds: z
      .array(z.string())
      .optional()
      .openapi({ example: ['SIP'] }),
    motifCode: z.string().nullable().optional().openapi({ example: 'SIP-IR' }),
    abroad: z.boolean().optional(),
  })
  .openapi('ContactReason');

const ContactReasonsSchema = z
  .object({
    audience: z.enum(AUDIENCES),
    levels: z
      .array(z.string())
      .openapi({ example: ['Votre demande concerne', 'Au sujet de', 'Plus précisément'] }),
    reasons: z.array(ReasonSchema),
  })
  .openapi('ContactReasons');

const contactReasonsRoute = createRoute({
  method: 'get',
  path: '/contact-reasons',
  summary: 'Motifs de contact en cascade, avec questions fréquentes et services compétents',
  request: {
    query: z.object({
      audience: z
        .enum(AUDIENCES, { error: 'Le public doit être « particulier » ou « professionnel ».' })
        .openapi({ example: 'particulier' }),
    }),
  },
  responses: {
    200: {
      content: { 'application/json': { schema: ContactReasonsSchema } },
      description: 'L’arbre des motifs',
    },
    422: problemResponse('Public invalide'),
  },
});

// The card of GET /services/:code, plus why this office answers.
const CompetentServiceSchema = ServiceCardSchema.extend({
  competences: z.array(z.string()).openapi({ example: ['SIP'] }),
  communes: z.array(z.string()).openapi({ example: ['Nevers'] }),
}).openapi('CompetentService');

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const KIND_LIST = 'Tous, SIP, SIP-CDIF, SIE, CDIF, TRESORERIE, DGE, DRESG';
const isSearchKind = (k: string): k is SearchKind => (SEARCH_KINDS as readonly string[]).includes(k);

const Kinds = z
  .string()
  .max(200, `Types de service attendus parmi : ${KIND_LIST}.`)
  // "Trésorerie", "sip, cdif": the form's words as well as the codes.
  .transform((s) =>
    s
      .split(',')
      .map((k) => k.normalize('NFD').replace(/\p{M}/gu, '').trim().toUpperCase())
      .filter((k) => k !== ''),
  )
  .refine((ks) => ks.every(isSearchKind), `Type de service inconnu ; valeurs possibles : ${KIND_LIST}.`)
  .transform((ks) => ks as SearchKind[])
  .openapi({ example: 'SIP', description: `Un ou plusieurs types séparés par des virgules : ${KIND_LIST}.` });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

// The refinements below run even when another field is invalid (`when`), so that every missing
// field is listed at once; they then see the raw kind, hence this.
function requestedKinds(kind: unknown): SearchKind[] {
  if (Array.isArray(kind)) return kind as SearchKind[];
  if (typeof kind !== 'string') return [];
  return kind
    .split(',')
    .map((k) => k.trim().toUpperCase())
    .filter(isSearchKind);
}

const SearchQuery = z
  .object({
    street: z.preprocess(
      blankToUndefined,
      z.string().trim().max(200, 'La voie comporte 200 caractères au plus.').optional(),
    ),
    postcode: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .regex(/^\d{5}$/, 'Le code postal comporte 5 chiffres (exemple : 58000).')
        .optional(),
    ),
    city: z.preprocess(
      blankToUndefined,
      z.string().trim().max(100, 'La localité comporte 100 caractères au plus.').optional(),
    ),
    kind: z.preprocess(blankToUndefined, Kinds.optional()),
  })
  .refine((q) => !needsAddress(requestedKinds(q.kind)) || q.postcode !== undefined, {
    path: ['postcode'],
    message: 'Le code postal est obligatoire.',
    when: (p) => isObject(p.value) && p.value.postcode === undefined,
  })
  .refine((q) => !needsAddress(requestedKinds(q.kind)) || q.street !== undefined, {
    path: ['street'],
    message: 'La voie (numéro, type, libellé) est obligatoire.',
    when: (p) => isObject(p.value) && p.value.street === undefined,
  });

const searchRoute = createRoute({
  method: 'get',
  path: '/services',
  summary: 'Services compétents pour une adresse en France (et services nationaux DGE, DRESG)',
  description:
    'Sans `kind` ou avec `Tous` : les services à compétence fiscale (SIP, SIE, CDIF, trésorerie), jamais les ' +
    'trésoreries SPL ou amendes. La voie et le code postal sont obligatoires, sauf si seuls DGE ou DRESG sont ' +
    'demandés. Un code postal inconnu répond 200 avec une liste vide et un `message`.',
  request: { query: SearchQuery },
  responses: {
    200: {
      content: {
        'application/json': {
          schema: z
            .object({ services: z.array(CompetentServiceSchema), message: z.string().optional() })
            .openapi('ServiceSearch'),
        },
      },
      description: 'Les services compétents, un par service',
    },
    422: problemResponse('Adresse ou type de service invalide'),
  },
});

const nationalRoute = (path: '/services/dresg' | '/services/dge', summary: string) =>
  createRoute({
    method: 'get',
    path,
    summary,
    responses: {
      200: {
        content: { 'application/json': { schema: CompetentServiceSchema } },
        description: 'La fiche du service',
      },
      404: problemResponse('Service absent du référentiel'),
    },
  });

export function contactRoutes(deps: Deps): OpenAPIHono<Env> {
  const app = router();
  // Address searches are what a scraper would hammer: limited per client address.
  app.on('GET', '/services', rateLimited(deps.limits.search, deps.config.trustProxy));
  app.openapi(contactReasonsRoute, async (c) =>
    c.json(await getContactReasons(deps, c.req.valid('query').audience), 200),
  );
  app.openapi(searchRoute, async (c) => {
    const q = c.req.valid('query');
    return c.json(
      await searchServices(deps, {
        postcode: q.postcode,
        street: q.street,
        city: q.city,
        kinds: q.kind ?? [],
      }),
      200,
    );
  });
  app.openapi(
    nationalRoute(
      '/services/dresg',
      'Service des résidents à l’étranger (« Vous êtes domicilié hors de France ? »)',
    ),
    async (c) => c.json(await getNationalServiceCard(deps, 'DRESG'), 200),
  );
  app.openapi(nationalRoute('/services/dge', 'Direction des grandes entreprises'), async (c) =>
    c.json(await getNationalServiceCard(deps, 'DGE'), 200),
  );
  return app;
}
