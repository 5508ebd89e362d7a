import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS, SETTING_NAMES } from '../../engine/index.js';

describe('docs/engine.md', () => {
  it('lists every setting with its option and diskcache names', () => {
    const doc = readFileSync(new URL('../../docs/engine.md', import.meta.url), 'utf8');
    for (const name of SETTING_NAMES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `row for ${name}`).toBeDefined();
      expect(row).toContain(`\`${SETTINGS[name].name}\``);
    }
  });
});
