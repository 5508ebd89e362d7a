import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../backends/memory.js';
import { crawlPage, crawler, fetchPage, pageLinks } from '../../scenarios/crawler.js';
import { Workload } from '../../scenarios/workload.js';

describe('crawler scenario', () => {
  it('builds a deterministic link graph within the page range', () => {
    expect(pageLinks(42, 5_000)).toEqual(pageLinks(42, 5_000));
    for (const link of pageLinks(7, 100)) expect(link >= 0 && link < 100).toBe(true);
    const html = fetchPage(3, 1_000);
    expect(html.length).toBeGreaterThan(2_000);
    for (const link of pageLinks(3, 1_000)) expect(html).toContain(`href="/page/${link}"`);
  });

  it('fetches on a miss, answers from the cache after, and claims each link once', async () => {
    const backend = new MemoryBackend();
    const first = await crawlPage(backend, '3', 1_000);
    expect(first.hit).toBe(false);
    expect(first.claimed.sort()).toEqual([...new Set(pageLinks(3, 1_000))].sort());
    const again = await crawlPage(backend, '3', 1_000);
    expect(again.hit).toBe(true);
    expect(again.claimed).toEqual([]);
  });

  it('follows the frontier fed by discover()', () => {
    const workload = new Workload({ ...crawler, revisitFraction: 0 }, 1, 0, 1);
    expect(workload.next().key).toBe('0');
    workload.discover([11, 12]);
    expect(workload.next().key).toBe('12');
    expect(workload.next().key).toBe('11');
  });
});
