import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Capability } from '../../backends/backend.js';
import { BACKENDS } from '../../backends/registry.js';

// docs/backends.md must not drift from the code: every backend and every option it accepts is documented.
const docs = readFileSync(new URL('../../docs/backends.md', import.meta.url), 'utf8');

it.each([...BACKENDS.values()].map((f) => [f.name, f] as const))(
  'docs/backends.md documents %s and all its options',
  (name, factory) => {
    expect(docs).toContain(`| \`${name}\``);
    const missing = Object.keys(factory.options).filter((option) => !docs.includes(`\`${option}\``));
    expect(missing).toEqual([]);
  },
);

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

// The capability table under "## Capabilities": one row per backend, ✓ where it declares the capability.
const CAPABILITY_COLUMNS: Capability[][] = [
  ['expire'],
  ['add'],
  ['incr'],
  ['pop'],
  ['read'],
  ['getMany', 'setMany', 'deleteMany'],
];

function documentedCapabilities(name: string): Capability[] {
  const row = docs.split('\n').find((line) => line.startsWith(`| ${name} |`));
  expect(row, `docs/backends.md has no capability row for ${name}`).toBeDefined();
  const cells = row!
    .split('|')
    .slice(2, -1)
    .map((cell) => cell.trim());
  expect(cells).toHaveLength(CAPABILITY_COLUMNS.length);
  return cells.flatMap((cell, i) => (cell.startsWith('✓') ? CAPABILITY_COLUMNS[i]! : []));
}

it.each([...BACKENDS.values()].map((f) => [f.name, f] as const))(
  'the capability table shows what %s declares',
  (name, factory) => {
    // create() returns an unopened backend: nothing is started or written.
    const declared = [...factory.create({}, name).capabilities];
    expect(documentedCapabilities(name).sort()).toEqual(declared.sort());
  },
);
