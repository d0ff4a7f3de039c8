import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../server/infra/clock.ts';
import { startTestServer, type TestServer } from '../helpers/app.ts';
import { overlaps, pool } from '../helpers/contention.ts';
import { createService, type ServiceFixture } from '../helpers/fixtures.ts';
import { freePort } from '../helpers/process.ts';
import { checkRedis } from '../helpers/redis.ts';
import { activeRdvs, attempt, offeredStarts } from '../helpers/storm.ts';

/**
 * A real Redis of our own (so stopping it disturbs no other suite), two API nodes sharing it and
 * PostgreSQL. Redis dies in the middle of the run: bookings go on (holds degrade to each node's
 * memory) and the exclusion constraint still refuses every overlap.
 */
const clock = fixedClock(new Date('2027-04-05T08:00:00+02:00'));
let redisProcess: ChildProcess;
let nodes: TestServer[] = [];
let svc: ServiceFixture;

beforeAll(async () => {
  const port = await freePort();
  redisProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await checkRedis(url)); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await checkRedis(url)).toBe(true);
  nodes = [await startTestServer({ clock, redisUrl: url }), await startTestServer({ clock, redisUrl: url })];
  svc = await createService(nodes[0]!.deps.sql, {
    code: '9940001',
    guichets: [
      {
        name: 'Unique',
        plages: [1, 2, 3, 4, 5].map((d) => [d, '09:00', '12:00'] as [number, string, string]),
      },
    ],
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  if (redisProcess.exitCode === null) redisProcess.kill('SIGKILL');
});

describe('Redis stopped mid-run', () => {
  it('bookings go on and never overlap', async () => {
    const starts = await offeredStarts(nodes[0]!, svc, '2027-04-05', '2027-04-30');
    expect(starts.length).toBeGreaterThan(100);
    const before = await pool(60, 6, (i) => attempt(nodes[i % 2]!, svc, starts[i % 40]!, i));
    const exited = new Promise<void>((resolve) => redisProcess.once('exit', () => resolve()));
    redisProcess.kill('SIGKILL');
    await exited;
    const after = await pool(240, 8, (i) =>
      attempt(nodes[i % 2]!, svc, starts[(i * 7) % starts.length]!, 1000 + i),
    );
    const all = [...before, ...after];
    expect(
      all.every((r) => [201, 409].includes(r.hold) && (r.book === undefined || [201, 409].includes(r.book))),
    ).toBe(true);
    expect(after.filter((r) => r.book === 201).length).toBeGreaterThan(0);
    const booked = all.filter((r) => r.book === 201).length;
    expect(await activeRdvs(nodes[0]!.deps.sql, svc.serviceId)).toBe(booked);
    expect(await overlaps(nodes[0]!.deps.sql, svc.serviceId)).toBe(0);
    // Still ready (it books), and says it runs without Redis.
    const ready = await nodes[1]!.api.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { redis: 'ko' } });
  }, 120_000);
});
