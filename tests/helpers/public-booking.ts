import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestServer } from './app.ts';
import { ownerOf, type ServiceFixture, usager } from './fixtures.ts';

export { ownerOf };

// The citizen's booking calls (slots, holds, rdvs) as the booking suites make them. The server is
// read through a getter: the suites start it in beforeAll, after these calls were built.

export const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export function publicBooking(serverOf: () => TestServer) {
  // The owner cookie of each hold placed here: `book` sends it, as the browser that held the slot.
  const owners = new Map<string, string>();

  async function slots(s: ServiceFixture, from: string, to: string, type = 'physique') {
    const res = await serverOf().api.request(
      `/api/v1/services/${s.code}/slots?motif=${s.motifId}&type=${type}&from=${from}&to=${to}`,
    );
    expect(res.status).toBe(200);
    return (await res.json()) as { days: { date: string; slots: { start: string; end: string }[] }[] };
  }

  async function hold(s: ServiceFixture, start: string, type = 'physique', cookie?: string) {
    const res = await serverOf().api.request(
      '/api/v1/holds',
      json({ serviceCode: s.code, motifId: s.motifId, type, start }, cookie ? { cookie } : {}),
    );
    if (res.status === 201)
      owners.set(((await res.clone().json()) as { holdId: string }).holdId, ownerOf(res));
    return res;
  }

  const release = (holdId: string, cookie: string) =>
    serverOf().api.request(`/api/v1/holds/${holdId}`, {
      method: 'DELETE',
      headers: cookie ? { cookie } : {},
    });

  /** Books `holdId` from the browser that placed it, or from the one whose `cookie` is given. */
  async function book(
    holdId: string,
    n: number,
    key = randomUUID(),
    extra: Record<string, unknown> = {},
    cookie = owners.get(holdId) ?? '',
  ) {
    return serverOf().api.request(
      '/api/v1/rdvs',
      json(
        { holdId, usager: usager(n), precisions: 'Question sur ma déclaration', ...extra },
        { 'idempotency-key': key, ...(cookie ? { cookie } : {}) },
      ),
    );
  }

  return { slots, hold, release, book, ownerOfHold: (holdId: string) => owners.get(holdId) ?? '' };
}
