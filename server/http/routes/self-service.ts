import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import type { Deps } from '../../app/deps.ts';
import { listDevMails } from '../../app/dev-mailbox.ts';
import { calendarByLink, cancelRdvByLink, viewRdvByLink } from '../../app/self-service.ts';
import { SESSION_COOKIE } from '../agent-session.ts';
import { clientIp, isLoopback } from '../client.ts';
import { type Env, router } from '../router.ts';
import { problemResponse, RdvTypeSchema } from '../schemas.ts';

const RdvCode = z
  .string({ error: 'Code de rendez-vous attendu.' })
  .regex(/^[A-Za-z]{6}$/, 'Le code du rendez-vous comporte 6 lettres.')
  .transform((v) => v.toUpperCase())
  .openapi({ example: 'XOWVVO' });

// Any string: a wrong token is a refused link (403), not a badly formed request.
const Token = z
  .string({ error: 'Jeton du lien attendu.' })
  .min(1, 'Jeton du lien attendu.')
  .max(200)
  .openapi({ example: 'k3J…' });

const SelfServiceRdv = z
  .object({
    code: z.string(),
    start: z.string(),
    end: z.string(),
    type: RdvTypeSchema,
    status: z.enum(['confirme', 'annule']),
    cancellable: z.boolean(),
    service: z.object({
      name: z.string(),
      street: z.string(),
      postcode: z.string(),
      city: z.string(),
      phone: z.string().nullable(),
      selfCancellation: z.boolean(),
    }),
    motif: z.object({ label: z.string() }),
    timeZone: z.string().openapi({ example: 'Europe/Paris' }),
  })
  .openapi('SelfServiceRdv');

const viewRoute = createRoute({
  method: 'get',
  path: '/v1/rdvs/self-service',
  summary: 'Rendez-vous désigné par le lien signé reçu par courriel',
  request: { query: z.object({ code: RdvCode, token: Token }) },
  responses: {
    200: { description: 'Le rendez-vous', content: { 'application/json': { schema: SelfServiceRdv } } },
    403: problemResponse('Lien invalide (reason INVALID_LINK)'),
    422: problemResponse('Paramètres invalides'),
  },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/v1/rdvs/self-service/cancel',
  summary: 'Annulation du rendez-vous par l’usager, depuis le lien signé',
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({ code: RdvCode, token: Token }).openapi('SelfCancelRequest'),
        },
      },
      required: true,
    },
  },
  responses: {
    200: { description: 'Rendez-vous annulé', content: { 'application/json': { schema: SelfServiceRdv } } },
    403: problemResponse(
      'Lien invalide (INVALID_LINK) ou annulation en ligne désactivée par le service (SELF_CANCELLATION_DISABLED)',
    ),
    409: problemResponse('Déjà annulé (RDV_CANCELLED)'),
    422: problemResponse('Rendez-vous déjà commencé (RDV_STARTED) ou paramètres invalides'),
  },
});

const icsRoute = createRoute({
  method: 'get',
  path: '/v1/rdvs/self-service/ics',
  summary: 'Le rendez-vous au format iCalendar, pour l’ajouter à un agenda',
  request: { query: z.object({ code: RdvCode, token: Token }) },
  responses: {
    200: { description: 'Fichier .ics', content: { 'text/calendar': { schema: z.string() } } },
    403: problemResponse('Lien invalide'),
  },
});

const devMailsRoute = createRoute({
  method: 'get',
  path: '/dev/mails',
  summary: 'Courriels conservés par la démonstration (mode démonstration seulement)',
  description: 'Une aide de démonstration : hors mode démonstration, la route répond 404.',
  responses: {
    200: {
      description: 'Les derniers courriels, sans ordre garanti',
      content: {
        'application/json': {
          schema: z
            .object({
              mails: z.array(
                z
                  .object({
                    id: z.number().int(),
                    to: z.string(),
                    subject: z.string(),
                    text: z.string(),
                    html: z.string(),
                    sentAt: z.string().openapi({ example: '2026-12-08T09:20:00.000Z' }),
                  })
                  .openapi('DevMail'),
              ),
            })
            .openapi('DevMails'),
        },
      },
    },
    404: problemResponse('Hors mode démonstration'),
  },
});

/** Self-service links of the emails, and the demo's mailbox. Mounted under /api. */
export function selfServiceRoutes(deps: Deps): OpenAPIHono<Env> {
  const app = router();
  app.openapi(viewRoute, async (c) => {
    const { code, token } = c.req.valid('query');
    return c.json(await viewRdvByLink(deps, code, token), 200);
  });
  app.openapi(cancelRoute, async (c) => {
    const { code, token } = c.req.valid('json');
    return c.json(await cancelRdvByLink(deps, code, token), 200);
  });
  app.openapi(icsRoute, async (c) => {
    const { code, token } = c.req.valid('query');
    const { filename, content } = await calendarByLink(deps, code, token);
    return c.body(content, 200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      // The URL carries a credential: keep it out of shared caches.
      'cache-control': 'private, no-store',
    });
  });
  // A demo aid: its emails hold working cancel links and personal data, so it exists only in
  // demo mode, and only for a browser on this very machine or a signed-in administrateur.
  app.openapi(devMailsRoute, async (c) => {
    const fromThisMachine = isLoopback(clientIp(c, deps.config.trustProxy));
    const sessionToken = fromThisMachine ? '' : (getCookie(c, SESSION_COOKIE) ?? '');
    return c.json(await listDevMails(deps, { fromThisMachine, sessionToken }), 200);
  });
  return app;
}
