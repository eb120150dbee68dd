import { describe, expect, it } from 'vitest';
import { createBoundedCache, LookupTimeout, TTL_MS } from './bounded-cache.js';

const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('bounded cache for Slack lookups', () => {
  it('shares one call between concurrent callers', async () => {
    const cache = createBoundedCache<string>(Date.now);
    let calls = 0;
    const load = () => {
      calls += 1;
      return later(20, 'members');
    };
    expect(await Promise.all([cache.get('C1', 500, load), cache.get('C1', 500, load)])).toEqual([
      'members',
      'members',
    ]);
    expect(calls).toBe(1);
  });

  it('gives up after its budget when nothing is known, and the late answer fills the cache', async () => {
    const cache = createBoundedCache<string>(Date.now);
    const started = Date.now();
    await expect(cache.get('C1', 30, () => later(150, 'late'))).rejects.toBeInstanceOf(LookupTimeout);
    expect(Date.now() - started).toBeLessThan(140);
    await later(200, undefined);
    expect(await cache.get('C1', 30, () => Promise.reject(new Error('not called')))).toBe('late');
  });

  it('answers from an expired value when Slack is slow or failing', async () => {
    let clock = 0;
    const cache = createBoundedCache<string>(() => clock);
    await cache.get('U1', 100, async () => 'active');
    clock += TTL_MS + 1;
    expect(await cache.get('U1', 20, () => later(500, 'away'))).toBe('active');
    clock += TTL_MS + 1;
    expect(await cache.get('U1', 20, () => Promise.reject(new Error('ratelimited')))).toBe('active');
  });
});
