import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestServer } from './app.ts';
import { type ServiceFixture, usager } from './fixtures.ts';

// The citizen's booking calls (slots, holds, rdvs) as the booking suites make them. The server is
// read through a getter: the suites start it in beforeAll, after these calls were built.

export const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** The owner cookie a hold's answer set: only that browser may release the hold. */
export const ownerOf = (res: Response) => res.headers.get('set-cookie')?.split(';')[0] ?? '';

export function publicBooking(serverOf: () => TestServer) {
  async function slots(s: ServiceFixture, from: string, to: string, type = 'physique') {
    const res = await serverOf().api.request(
      `/api/v1/services/${s.code}/slots?motif=${s.motifId}&type=${type}&from=${from}&to=${to}`,
    );
    expect(res.status).toBe(200);
    return (await res.json()) as { days: { date: string; slots: { start: string; end: string }[] }[] };
  }

  async function hold(s: ServiceFixture, start: string, type = 'physique', cookie?: string) {
    return serverOf().api.request(
      '/api/v1/holds',
      json({ serviceCode: s.code, motifId: s.motifId, type, start }, cookie ? { cookie } : {}),
    );
  }

  const release = (holdId: string, cookie: string) =>
    serverOf().api.request(`/api/v1/holds/${holdId}`, {
      method: 'DELETE',
      headers: cookie ? { cookie } : {},
    });

  async function book(holdId: string, n: number, key = randomUUID(), extra: Record<string, unknown> = {}) {
    return serverOf().api.request(
      '/api/v1/rdvs',
      json(
        { holdId, usager: usager(n), precisions: 'Question sur ma déclaration', ...extra },
        { 'idempotency-key': key },
      ),
    );
  }

  return { slots, hold, release, book };
}
