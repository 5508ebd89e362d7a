/** The project's PRNG lives in shared/rng.ts; this path still answers for code written against it. */
export * from '../shared/rng.js';
