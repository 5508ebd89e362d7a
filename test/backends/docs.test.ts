import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { BACKENDS } from '../../backends/registry.js';

// docs/backends.md must not drift from the code: every backend and every option it accepts is documented.
const docs = readFileSync(new URL('../../docs/backends.md', import.meta.url), 'utf8');

it.each([...BACKENDS.values()].map((f) => [f.name, f] as const))('docs/backends.md documents %s and all its options', (name, factory) => {
  expect(docs).toContain(`| \`${name}\``);
  const missing = Object.keys(factory.options).filter((option) => !docs.includes(`\`${option}\``));
  expect(missing).toEqual([]);
});

it.each([
  ['filebased', 'max_entries', '300'],
  ['filebased', 'cull_frequency', '3'],
  ['filebased', 'timeout', '300'],
  ['redis', 'command_timeout', '2000'],
  ['redis', 'prefix', 'cachebench:'],
])('the documented default of %s %s is the coded one', (name, option, documented) => {
  expect(BACKENDS.get(name)!.options[option]!.default).toBe(documented);
  expect(docs).toMatch(new RegExp(`\\| \`${option}\` \\| \`?${documented.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});
