/*
 * The bench's load, in a process of its own: `npm run bench` starts it for each measure, writes
 * the scenario as JSON on its stdin and reads the result as JSON on its stdout. Run apart, the
 * generator's own work (building requests, parsing answers) does not share the event loop of the
 * server it measures, and the product and its baselines are loaded the same way.
 *
 * Scenarios:
 *   get     — `amount` GETs of `url` (cookie optional), `connections` in flight;
 *   post    — `amount` POSTs of `body` to `url`;
 *   booking — per booking, a hold on `starts[⌊i / perStart⌋]` then the booking of that hold, each
 *             with its own usager, browser (owner cookie) and Idempotency-Key: `count` bookings;
 *   race    — `count` bookings of one hold at once from the browser that placed it (`cookie`;
 *             fetch, all sent together): the time until every one has its answer;
 *   burst   — `count` POSTs of `body` to `url` at once, the same way (the race's baseline).
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { usager } from '../tests/helpers/fixtures.ts';

export type Scenario =
  | { kind: 'get'; url: string; amount: number; connections: number; cookie?: string }
  | { kind: 'post'; url: string; amount: number; connections: number; body: unknown }
  | {
      kind: 'booking';
      origin: string;
      serviceCode: string;
      motifId: number;
      starts: string[];
      perStart: number;
      count: number;
      connections: number;
    }
  | { kind: 'race'; origin: string; holdId: string; cookie: string; count: number }
  | { kind: 'burst'; url: string; body: unknown; count: number };

export type LoadResult = {
  /** Completed requests (or bookings, for `booking`) per second. */
  perSecond: number;
  p50: number;
  p99: number;
  ms: number;
  statuses: Record<string, number>;
  errors: number;
};

type Request = NonNullable<autocannon.Options['requests']>[number];

function requestsOf(s: Scenario): { url: string; amount: number; connections: number; requests: Request[] } {
  const json = { 'content-type': 'application/json' };
  switch (s.kind) {
    case 'get':
      return {
        url: s.url,
        amount: s.amount,
        connections: s.connections,
        requests: [{ method: 'GET', ...(s.cookie ? { headers: { cookie: s.cookie } } : {}) }],
      };
    case 'post':
      return {
        url: s.url,
        amount: s.amount,
        connections: s.connections,
        requests: [{ method: 'POST', headers: json, body: JSON.stringify(s.body) }],
      };
    case 'booking': {
      let next = 0;
      return {
        url: s.origin,
        amount: s.count * 2,
        connections: s.connections,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/holds',
            setupRequest: (req, context) => {
              const i = next++;
              context.i = i;
              // A browser per usager: its owner cookie places the hold and books with it.
              context.cookie = `guichet_titulaire=${randomUUID()}`;
              req.headers = { ...json, cookie: context.cookie as string };
              req.body = JSON.stringify({
                serviceCode: s.serviceCode,
                motifId: s.motifId,
                type: 'physique',
                start: s.starts[Math.floor(i / s.perStart) % s.starts.length],
              });
              return req;
            },
            onResponse: (_status, body, context) => {
              context.holdId = (JSON.parse(body) as { holdId?: string }).holdId;
            },
          },
          {
            method: 'POST',
            path: '/api/v1/rdvs',
            setupRequest: (req, context) => {
              req.headers = { ...json, 'idempotency-key': randomUUID(), cookie: context.cookie as string };
              req.body = JSON.stringify({
                holdId: context.holdId,
                usager: usager(context.i as number),
                precisions: 'banc d’essai',
              });
              return req;
            },
          },
        ],
      };
    }
    default:
      throw new Error(`scénario ${s.kind} : pas pour autocannon`);
  }
}

/** `count` requests sent together; the time until the last answer. */
async function together(count: number, send: (i: number) => Promise<Response>): Promise<LoadResult> {
  const started = performance.now();
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const t = performance.now();
      try {
        const res = await send(i);
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }),
  );
  const ms = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(count - 1, Math.floor((p / 100) * count))] ?? 0;
  return { perSecond: count / (ms / 1000), p50: pct(50), p99: pct(99), ms, statuses, errors };
}

export async function generate(s: Scenario): Promise<LoadResult> {
  const json = { 'content-type': 'application/json' };
  if (s.kind === 'race') {
    // Every body is built before the first is sent: they leave together.
    const bodies = Array.from({ length: s.count }, (_, i) =>
      JSON.stringify({ holdId: s.holdId, usager: usager(10_000 + i), precisions: 'course' }),
    );
    return together(s.count, (i) =>
      fetch(`${s.origin}/api/v1/rdvs`, {
        method: 'POST',
        headers: { ...json, 'idempotency-key': randomUUID(), cookie: s.cookie },
        body: bodies[i]!,
      }),
    );
  }
  if (s.kind === 'burst') {
    const body = JSON.stringify(s.body);
    return together(s.count, () => fetch(s.url, { method: 'POST', headers: json, body }));
  }
  const { url, amount, connections, requests } = requestsOf(s);
  // Sampled every 10 ms: autocannon notes the end of a run at its next sample only.
  const result = await autocannon({ url, amount, connections, requests, timeout: 60, sampleInt: 10 });
  const ms = result.finish.getTime() - result.start.getTime();
  const statuses: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {}))
    statuses[code] = Number(count);
  const done = s.kind === 'booking' ? s.count : result.requests.total;
  return {
    perSecond: done / (ms / 1000),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ms,
    statuses,
    errors: result.errors,
  };
}

// Run as a child: one scenario in, one result out.
if (import.meta.main) {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const result = await generate(JSON.parse(input) as Scenario);
  process.stdout.write(JSON.stringify(result));
}
