import type { ActionDefinition } from './action.js';
import { crawlAction } from './crawler.js';
import type { MixAction } from './scenario.js';
import { STORE_ACTIONS } from './store-actions.js';

/**
 * Every mix action's definition. A scenario that needs an action of its own
 * defines it beside the scenario (as crawler.ts does `crawl`) and adds it here
 * and to MixAction; the harness runs whatever definition an operation carries.
 */
export const ACTIONS: Readonly<Record<MixAction, ActionDefinition>> = {
  ...STORE_ACTIONS,
  crawl: crawlAction,
};
