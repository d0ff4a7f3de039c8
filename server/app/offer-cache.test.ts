import { describe, expect, it } from 'vitest';
import type { ServiceOffer } from '../store/offer.ts';
import { createOfferCache } from './offer-cache.ts';

const offer = (n: number) => ({ serviceId: n, serviceCode: '5800450' }) as unknown as ServiceOffer;

describe('offer cache', () => {
  it('serves its copy while fresh, loads again once it aged out', async () => {
    let t = 0;
    let loads = 0;
    const cache = createOfferCache({ ttlMs: 1000, now: () => t });
    const load = async () => offer(++loads);
    expect((await cache.get('5800450', load))?.serviceId).toBe(1);
    t = 999;
    expect((await cache.get('5800450', load))?.serviceId).toBe(1);
    t = 1000;
    expect((await cache.get('5800450', load))?.serviceId).toBe(2);
  });

  it('loads once for concurrent readers, and does not remember an unknown service', async () => {
    let loads = 0;
    const cache = createOfferCache({ now: () => 0 });
    const load = async () => offer(++loads);
    const [x, y] = await Promise.all([cache.get('1', load), cache.get('1', load)]);
    expect(x).toBe(y);
    expect(loads).toBe(1);
    let missing = 0;
    const none = async () => {
      missing++;
      return undefined;
    };
    await cache.get('2', none);
    await cache.get('2', none);
    expect(missing).toBe(2);
  });

  it('a load that began before an invalidation does not store what it read', async () => {
    const cache = createOfferCache({ now: () => 0 });
    let release: (o: ServiceOffer) => void = () => {};
    const slow = cache.get('1', () => new Promise<ServiceOffer>((r) => (release = r)));
    cache.invalidate('1');
    release(offer(1));
    expect((await slow)?.serviceId).toBe(1);
    expect((await cache.get('1', async () => offer(2)))?.serviceId).toBe(2);
    cache.clear();
    expect((await cache.get('1', async () => offer(3)))?.serviceId).toBe(3);
  });
});
