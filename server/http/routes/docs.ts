import { Hono } from 'hono';
import { html, raw } from 'hono/html';

type Operation = {
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: unknown;
  responses?: Record<string, { description?: string }>;
};
type Document = {
  info: { title: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * /api/docs: the OpenAPI document rendered as a plain, accessible French page, served by us
 * (no third-party script). The document itself is generated from the validators.
 */
export function docsRoutes(document: () => Document): Hono {
  const app = new Hono();
  app.get('/api/docs', (c) => {
    const doc = document();
    const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => ({ path, method: m.toUpperCase(), op: item[m]! })),
    );
    return c.html(html`<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${doc.info.title} — documentation</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem; color: #161616; }
      code { background: #f6f6f6; padding: 0 .25rem; } section { border-top: 1px solid #ddd; padding: .5rem 0; }
      .m { font-weight: 700; display: inline-block; min-width: 4.5rem; }
    </style>
  </head>
  <body>
    <main>
      <h1>${doc.info.title}</h1>
      <p>${doc.info.description ?? ''} Document OpenAPI 3.1 : <a href="/api/openapi.json">/api/openapi.json</a>.</p>
      ${operations.map(
        ({ path, method, op }) => html`<section>
          <h2><span class="m">${method}</span> <code>${path}</code></h2>
          <p>${op.summary ?? ''}</p>
          ${
            op.parameters?.length
              ? html`<h3>Paramètres</h3><ul>${op.parameters.map((p) => html`<li><code>${p.name}</code> (${p.in}${p.required ? ', obligatoire' : ''})</li>`)}</ul>`
              : ''
          }
          ${op.requestBody ? html`<p>Corps JSON : voir le schéma dans le document OpenAPI.</p>` : ''}
          <h3>Réponses</h3>
          <ul>${Object.entries(op.responses ?? {}).map(([status, r]) => html`<li><code>${status}</code> ${r.description ?? ''}</li>`)}</ul>
        </section>`,
      )}
    </main>
  </body>
</html>${raw('')}`);
  });
  return app;
}
