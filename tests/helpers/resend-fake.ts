import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ResendRequest = {
  headers: IncomingHttpHeaders;
  /** The API key it came with: tells the nodes apart when each has its own. */
  apiKey: string;
  body: {
    from: string;
    to: string[];
    subject: string;
    text?: string;
    html?: string;
    attachments?: { filename: string; content: string; content_type?: string }[];
  };
};

export type ResendFake = {
  /** For RESEND_API_URL. */
  url: string;
  /** Every POST /emails received, accepted or not. */
  requests: ResendRequest[];
  /** Emails that Resend would have delivered: one per idempotency key, as Resend promises. */
  delivered: ResendRequest[];
  /** The next `count` requests get this status (e.g. 500, 429), as a Resend error body. */
  failNext(count: number, status: number): void;
  /** Every request fails with this status until `failing(null)`: an outage of the provider. */
  failing(status: number | null): void;
  /** Requests are received but not answered until `resume()`: a provider that hangs. */
  pause(): void;
  resume(): void;
  /** Requests received and not answered yet (paused). */
  pending(): ResendRequest[];
  close(): Promise<void>;
};

/**
 * A local HTTP server speaking the part of Resend's API that Guichet uses: POST /emails with a
 * Bearer key, answering {id}; a repeated Idempotency-Key answers the first id and delivers nothing.
 */
export async function startResendFake(apiKeys: string | string[]): Promise<ResendFake> {
  const keys = new Set([apiKeys].flat());
  const requests: ResendRequest[] = [];
  const delivered: ResendRequest[] = [];
  const byKey = new Map<string, string>();
  let failures: number[] = [];
  let outage: number | null = null;
  let held: { request: ResendRequest; answer: () => void }[] | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/emails')
        return send(404, { statusCode: 404, name: 'not_found', message: 'Not found' });
      const apiKey = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (!keys.has(apiKey)) {
        return send(401, {
          statusCode: 401,
          name: 'missing_api_key',
          message: 'Missing API key in the authorization header.',
        });
      }
      let body: ResendRequest['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return send(422, { statusCode: 422, name: 'validation_error', message: 'Invalid JSON' });
      }
      const request = { headers: req.headers, apiKey, body };
      requests.push(request);
      if (held) {
        held.push({ request, answer: () => respond(request, send) });
        return;
      }
      respond(request, send);
    });
  });
  const respond = (request: ResendRequest, send: (status: number, body: unknown) => void) => {
    const { body, headers } = request;
    const status = failures.shift() ?? outage;
    if (status)
      return send(status, { statusCode: status, name: 'application_error', message: 'Erreur simulée' });
    if (!body.from || !Array.isArray(body.to) || !body.subject) {
      return send(422, { statusCode: 422, name: 'validation_error', message: 'Missing required field' });
    }
    const key = headers['idempotency-key'];
    const known = typeof key === 'string' ? byKey.get(key) : undefined;
    if (known) return send(200, { id: known });
    const id = randomUUID();
    if (typeof key === 'string') byKey.set(key, id);
    delivered.push(request);
    return send(200, { id });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    failNext(count, status) {
      failures = failures.concat(Array.from({ length: count }, () => status));
    },
    failing(status) {
      outage = status;
    },
    pause() {
      held ??= [];
    },
    resume() {
      const waiting = held ?? [];
      held = null;
      for (const w of waiting) w.answer();
    },
    pending: () => (held ?? []).map((w) => w.request),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
