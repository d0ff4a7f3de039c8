import { randomUUID } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import type { Deps } from '../app/deps.ts';
import { requestContext } from '../infra/context.ts';
import { isDatabaseUnavailable } from '../infra/db.ts';
import { securityHeaders } from './headers.ts';
import { isCodedError, problem } from './problem.ts';
import { type Env, router } from './router.ts';
import { agentRoutes } from './routes/agent.ts';
import { authRoutes } from './routes/auth.ts';
import { bookingRoutes } from './routes/booking.ts';
import { contactRoutes } from './routes/contact.ts';
import { docsRoutes } from './routes/docs.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { selfServiceRoutes } from './routes/self-service.ts';
import { serviceRoutes } from './routes/services.ts';

const DOCUMENT_CONFIG = {
  openapi: '3.1.0',
  info: {
    title: 'Guichet — API publique',
    version: '1',
    description: 'Prise de rendez-vous des services publics.',
  },
};

/** The OpenAPI document of an API built by createApi: what /api/openapi.json serves. */
export function openApiDocument(app: OpenAPIHono<Env>) {
  return app.getOpenAPI31Document(DOCUMENT_CONFIG);
}

/** Builds the HTTP API. Routes only validate, call a use case and map its answer. */
export function createApi(deps: Deps): OpenAPIHono<Env> {
  const app = router();

  app.use('*', async (c, next) => {
    // An id of ours, or the caller's (a load balancer's) if it looks like one: never a free text.
    const given = c.req.header('x-request-id');
    const requestId = given && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    c.header('x-request-id', requestId);
    const started = performance.now();
    await requestContext.run({ requestId }, () => next());
    const seconds = (performance.now() - started) / 1000;
    // The route's pattern, not its path: one series per route, and no id or personal data in it.
    const route =
      c.req.routePath && c.req.routePath !== '/*' && c.req.routePath !== '*' ? c.req.routePath : 'autre';
    deps.metrics.httpDuration.observe({ method: c.req.method, route, status: String(c.res.status) }, seconds);
    // Path only: query strings may carry personal data (addresses in searches).
    deps.log.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
      },
      'requête',
    );
  });

  app.use('*', securityHeaders({ https: !!deps.config.publicUrl?.startsWith('https:') }));

  app.route('/', healthRoutes(deps));
  app.route('/', metricsRoutes(deps));
  app.route('/api/v1', contactRoutes(deps));
  app.route('/api/v1', serviceRoutes(deps));
  app.route('/api/v1', bookingRoutes(deps));
  app.route('/api', selfServiceRoutes(deps));
  app.route('/api/v1', authRoutes(deps));
  app.route('/api/v1', agentRoutes(deps));

  app.doc31('/api/openapi.json', DOCUMENT_CONFIG);
  app.route(
    '/',
    docsRoutes(() => openApiDocument(app) as never),
  );

  app.notFound((c) => problem(c, 'NOT_FOUND', `Aucune ressource à l’adresse ${c.req.path}.`));
  app.onError((err, c) => {
    if (isCodedError(err)) {
      const retryAfter = err.details?.retryAfter;
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      return problem(c, err.code, err.message, err.details ?? {});
    }
    if (err instanceof SyntaxError || (err instanceof HTTPException && err.status === 400)) {
      return problem(c, 'BAD_REQUEST', 'Le corps de la requête n’est pas un JSON valide.');
    }
    if (err instanceof HTTPException)
      return problem(c, 'BAD_REQUEST', err.message || 'Requête refusée.', {}, err.status as 400);
    if (isDatabaseUnavailable(err)) {
      deps.log.warn({ err }, 'base de données injoignable : requête refusée (503)');
      c.header('Retry-After', '5');
      return problem(
        c,
        'NOT_READY',
        'Le service est momentanément indisponible. Réessayez dans quelques secondes.',
        {},
        503,
      );
    }
    deps.log.error({ err, requestId: c.get('requestId') }, 'erreur inattendue');
    return problem(c, 'INTERNAL', 'Une erreur inattendue est survenue. Réessayez dans un instant.', {}, 500);
  });
  return app;
}
