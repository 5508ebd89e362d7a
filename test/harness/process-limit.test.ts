import { expect, it } from 'vitest';
import { fixture, getOnly, run } from './helpers.js';

// A factory's processLimit is honoured by the harness for any backend, by name of no backend.
it('a run asking for more processes than a backend allows reports it unavailable, naming the limit and the fix', async () => {
  const results = await run(fixture('limited'), getOnly(), { procs: 3, ops: 50 });
  const [result] = results.backends;
  expect(result!.status).toBe('unavailable');
  expect(result!.message).toMatch(
    /at most 2 processes \(the fixture says so\); this run asks for 3; run it alone with --procs 2/,
  );
  expect(result!.actions).toEqual({});
});

it('a run within the limit runs normally', async () => {
  const results = await run(fixture('limited'), getOnly(), { procs: 2, ops: 50 });
  const [result] = results.backends;
  expect(result!.status).toBe('completed');
  expect(result!.actions.get!.count).toBe(100);
});
