import type { Backend, Value } from '../backends/backend.js';
import type { ActionDefinition } from './action.js';
import { fnv1a32Uint32 } from '../shared/fnv1a32.js';
import type { Scenario } from './scenario.js';

/**
 * The talk's "baby web crawler": processes share a cache of fetched pages and
 * a visited set over a synthetic link graph generated in-process (no network).
 * A `crawl` operation takes the next URL from the worker's frontier (or, when
 * it runs dry, a popular page to re-check), looks the page up in the cache,
 * "fetches" it on a miss (builds its HTML and stores it), and claims its
 * unseen links with `add` on the visited set. Run it with 1 … N processes
 * (`--procs` or `cachebench sweep`) to see pages/s and the hit ratio grow as
 * processes share what others fetched.
 */
export const crawler: Scenario = {
  name: 'crawler',
  description: 'baby web crawler: shared page cache + visited set over a synthetic link graph; pages/s and hit ratio',
  capabilities: ['add'],
  keys: { count: 5_000, prefix: '', distribution: { kind: 'zipfian', theta: 0.99 } },
  values: { kind: 'counter-repeat', minRepeat: 1, maxRepeat: 1 },
  mix: { crawl: 1 },
  revisitFraction: 0.3,
  preload: false,
  sizes: { procs: 8, opsPerProcess: 20_000, warmupOps: 0 },
  quick: { procs: 4, opsPerProcess: 2_000, warmupOps: 0 },
  notes: '--param keys=N (pages in the graph), revisit=F (share of re-checks); metrics: pagesPerSecond, cacheHitRatio',
};

const LINKS_PER_PAGE = 8;

/** Page p's outgoing links: deterministic, skewed towards popular pages like a real site's navigation. */
export function pageLinks(page: number, pages: number): number[] {
  const links: number[] = [];
  for (let i = 0; i < LINKS_PER_PAGE; i++) {
    const h = fnv1a32Uint32(page * LINKS_PER_PAGE + i);
    // Half the links go to a small "navigation" set, half anywhere.
    links.push(i % 2 === 0 ? h % Math.max(1, Math.ceil(pages / 50)) : h % pages);
  }
  return links;
}

/** The synthetic "download": HTML naming the page's links, 2–20 KB. */
export function fetchPage(page: number, pages: number): string {
  const links = pageLinks(page, pages)
    .map((l) => `<a href="/page/${l}">page ${l}</a>`)
    .join('\n');
  const filler = 'lorem ipsum dolor sit amet '.repeat(80 + (fnv1a32Uint32(page) % 680));
  return `<html><title>page ${page}</title><body>${links}<p>${filler}</p></body></html>`;
}

export interface CrawlOutcome {
  hit: boolean;
  /** Links this crawl claimed in the visited set (the worker's frontier grows by these). */
  claimed: number[];
}

const LINK_PATTERN = /href="\/page\/(\d+)"/g;

/** One crawl step against a backend; see the scenario comment. */
export async function crawlPage(backend: Backend, key: string, pages: number): Promise<CrawlOutcome> {
  const page = Number(key);
  let html: Value | undefined = await backend.get(`page:${page}`);
  const hit = html !== undefined;
  if (!hit) {
    html = fetchPage(page, pages);
    await backend.set(`page:${page}`, html);
  }
  const text = typeof html === 'string' ? html : Buffer.from(html!).toString('utf8');
  const claimed: number[] = [];
  for (const match of text.matchAll(LINK_PATTERN)) {
    const link = Number(match[1]);
    if (await backend.add!(`visited:${link}`, '1')) claimed.push(link);
  }
  return { hit, claimed };
}

/**
 * The `crawl` action: one crawl step is timed as one operation. A crawl that
 * found its page in the cache is a hit; a fetch is the miss. The links it
 * claimed join the worker's frontier.
 */
export const crawlAction: ActionDefinition = {
  perform: (backend, op) => crawlPage(backend, op.key, op.graphSize),
  isMiss: (result) => !(result as CrawlOutcome).hit,
  after: (result, { workload }) => workload.discover((result as CrawlOutcome).claimed),
  // Pages/s over the measured time, and how often the shared cache answered. A timed-out crawl is an
  // answer and a miss (not a hit), but no page was crawled and it may have given up before fetching:
  // pages and fetches count the crawls that completed.
  metrics: (crawl): Record<string, number> => {
    if (crawl.count <= 0) return {};
    const crawled = crawl.count - crawl.timeouts;
    return {
      pagesPerSecond: (crawl.throughput * crawled) / crawl.count,
      pagesFetched: crawl.misses - crawl.timeouts,
      cacheHitRatio: 1 - crawl.misses / crawl.count,
    };
  },
};
