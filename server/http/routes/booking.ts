import { randomUUID } from 'node:crypto';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { getCookie, setCookie } from 'hono/cookie';
import { bookRdv } from '../../app/booking.ts';
import type { Deps } from '../../app/deps.ts';
import { placeHold, releaseHold } from '../../app/holds.ts';
import { listSlotsJson } from '../../app/slots.ts';
import { isLocalDate } from '../../domain/index.ts';
import { rateLimited } from '../client.ts';
import { type Env, router } from '../router.ts';
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

const MotifId = idParam('Identifiant de motif attendu.').openapi({ example: 1 });

const slotsRoute = createRoute({
  method: 'get',
  path: '/services/{code}/slots',
  summary: 'Créneaux libres d’un service pour un motif et un type, agrégés sur ses guichets',
  request: {
    params: z.object({ code: ServiceCode }),
    query: z.object({ motif: MotifId, type: RdvTypeSchema, from: LocalDay, to: LocalDay }),
  },
  responses: {
    200: {
      description: 'Jours ayant au moins un créneau libre, dans la période de prise de rendez-vous',
      content: {
        'application/json': {
          schema: z
            .object({
              days: z.array(
                z.object({
                  date: z.string(),
                  slots: z.array(z.object({ start: z.string(), end: z.string() })),
                }),
              ),
            })
            .openapi('Slots'),
        },
      },
    },
    404: problemResponse('Service inconnu'),
    422: problemResponse('Paramètres invalides'),
  },
});

const HoldBody = z
  .object({
    serviceCode: ServiceCode,
    motifId: id('Identifiant de motif attendu.'),
    type: RdvTypeSchema,
    start: Instant,
  })
  .openapi('HoldRequest');

const holdRoute = createRoute({
  method: 'post',
  path: '/holds',
  summary: 'Réserve temporairement un créneau pendant la saisie du formulaire',
  request: { body: { content: { 'application/json': { schema: HoldBody } }, required: true } },
  responses: {
    201: {
      description: 'Créneau réservé temporairement',
      content: {
        'application/json': {
          schema: z
            .object({ holdId: z.string(), start: z.string(), end: z.string(), expiresAt: z.string() })
            .openapi('Hold'),
        },
      },
    },
    404: problemResponse('Service inconnu'),
    409: problemResponse('Créneau indisponible (SLOT_UNAVAILABLE)'),
    422: problemResponse('Requête invalide'),
  },
});

const releaseRoute = createRoute({
  method: 'delete',
  path: '/holds/{holdId}',
  summary: 'Libère une réservation temporaire',
  request: { params: z.object({ holdId: z.uuid('Identifiant de réservation invalide.') }) },
  responses: { 204: { description: 'Libérée' }, 404: problemResponse('Réservation inconnue') },
});

const RdvBody = z
  .object({
    holdId: z.uuid('Identifiant de réservation invalide.'),
    usager: UsagerSchema,
    precisions: z
      .string({ error: 'Précisez l’objet de votre demande.' })
      .trim()
      .min(1, 'Précisez l’objet de votre demande.')
      .max(2000, '2 000 caractères au plus.'),
    captcha: z.string().max(10_000).optional().openapi({
      description: 'Charge utile ALTCHA (base64) du widget, obligatoire sauf CAPTCHA_REQUIRED=false',
    }),
  })
  .openapi('RdvRequest');

const rdvRoute = createRoute({
  method: 'post',
  path: '/rdvs',
  summary: 'Prend le rendez-vous sur le créneau réservé',
  description:
    'Seul le navigateur qui a posé la réservation temporaire (son cookie `guichet_titulaire`) peut réserver avec elle ; pour tout autre, elle est inconnue (410).',
  request: {
    headers: z.object({
      'idempotency-key': z
        .string({ error: 'L’en-tête Idempotency-Key est obligatoire (un identifiant unique par demande).' })
        .min(8, 'Idempotency-Key : 8 caractères au moins.')
        .max(200),
    }),
    body: { content: { 'application/json': { schema: RdvBody } }, required: true },
  },
  responses: {
    201: {
      description: 'Rendez-vous enregistré',
      content: {
        'application/json': {
          schema: z
            .object({
              code: z.string(),
              start: z.string(),
              end: z.string(),
              durationMinutes: z.number().int(),
              type: RdvTypeSchema,
              service: z.object({
                code: z.string(),
                name: z.string(),
                address: z.object({ street: z.string(), postcode: z.string(), city: z.string() }),
                phone: z.string().nullable(),
                email: z.string().nullable(),
              }),
              motif: z.object({ id: z.number().int(), label: z.string(), parent: z.string().nullable() }),
              documents: z.string(),
              timeZone: z.string().openapi({ example: 'Europe/Paris' }),
              calendarUrl: z.string().openapi({
                description:
                  'Le fichier .ics du serveur pour ce rendez-vous (même UID que la pièce jointe du courriel)',
              }),
            })
            .openapi('Rdv'),
        },
      },
    },
    409: problemResponse('Créneau pris entre-temps (SLOT_TAKEN)'),
    410: problemResponse(
      'Réservation temporaire inconnue, expirée depuis longtemps ou d’un autre navigateur (HOLD_EXPIRED), ou rendue (HOLD_RELEASED)',
    ),
    422: problemResponse('Champs invalides, listés dans `errors`'),
  },
});

const captchaRoute = createRoute({
  method: 'get',
  path: '/captcha',
  summary: 'Défi ALTCHA (preuve de travail) à résoudre avant de prendre rendez-vous',
  responses: {
    200: {
      description: 'Défi signé',
      content: { 'application/json': { schema: z.object({}).passthrough().openapi('CaptchaChallenge') } },
    },
  },
});

// One active hold per browser: an opaque id in an httpOnly cookie names its owner, who alone may
// release the hold or book with it.
const OWNER_COOKIE = 'guichet_titulaire';

export function bookingRoutes(deps: Deps): OpenAPIHono<Env> {
  const app = router();
  const { trustProxy } = deps.config;
  app.use('/services/:code/slots', rateLimited(deps.limits.slots, trustProxy));
  app.use('/holds', rateLimited(deps.limits.holds, trustProxy));
  app.use('/rdvs', rateLimited(deps.limits.bookings, trustProxy));
  app.openapi(captchaRoute, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(await deps.captcha.challenge(), 200);
  });
  app.openapi(slotsRoute, async (c) => {
    const { code } = c.req.valid('param');
    const q = c.req.valid('query');
    // Serialised by the use case (the answer's largest cost); the schema above still describes it.
    const json = await listSlotsJson(deps, {
      serviceCode: code,
      motifId: q.motif,
      type: q.type,
      from: q.from,
      to: q.to,
    });
    return c.body(json, 200, { 'content-type': 'application/json' }) as never;
  });
  app.openapi(holdRoute, async (c) => {
    const body = c.req.valid('json');
    let owner = getCookie(c, OWNER_COOKIE);
    if (!owner || !/^[0-9a-f-]{36}$/.test(owner)) owner = randomUUID();
    // Sent with every hold, so that the cookie outlives the hold: booking needs it too.
    setCookie(c, OWNER_COOKIE, owner, {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/api/v1',
      maxAge: 86_400,
      secure: !!deps.config.publicUrl?.startsWith('https:'),
    });
    const hold = await placeHold(deps, { ...body, start: Date.parse(body.start), owner });
    return c.json(hold, 201);
  });
  app.openapi(releaseRoute, async (c) => {
    await releaseHold(deps, c.req.valid('param').holdId, getCookie(c, OWNER_COOKIE));
    return c.body(null, 204);
  });
  app.openapi(rdvRoute, async (c) => {
    const body = c.req.valid('json');
    const rdv = await bookRdv(
      deps,
      {
        holdId: body.holdId,
        precisions: body.precisions,
        captcha: body.captcha,
        usager: toUsager(body.usager),
      },
      c.req.valid('header')['idempotency-key'],
      getCookie(c, OWNER_COOKIE),
    );
    return c.json(rdv, 201);
  });
  return app;
}
