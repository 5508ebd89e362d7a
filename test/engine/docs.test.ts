import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCache, tempDir } from './helpers.js';
import { Cache, SETTINGS, SETTING_NAMES, parseSetting } from '../../engine/index.js';

describe('docs/engine.md', () => {
  it('lists every setting with its option and diskcache names', () => {
    const doc = readFileSync(new URL('../../docs/engine.md', import.meta.url), 'utf8');
    for (const name of SETTING_NAMES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, `row for ${name}`).toBeDefined();
      expect(row).toContain(`\`${SETTINGS[name].name}\``);
      const names = row!.split('|')[2]!; // the "diskcache name (alias)" column
      for (const alias of SETTINGS[name].aliases) expect(names, `alias ${alias} of ${name}`).toContain(`\`${alias}\``);
    }
  });

  it('says where each spelling is accepted: options take camelCase only, parseSetting takes all three', () => {
    const doc = readFileSync(new URL('../../docs/engine.md', import.meta.url), 'utf8');
    expect(doc).toMatch(/camelCase names only/);
    expect(() => new Cache(undefined, { size_limit: 5 } as never)).toThrow(/did you mean sizeLimit/);
    expect(parseSetting('size_limit', '1KiB')).toEqual(['sizeLimit', 1024]);
    expect(parseSetting('size', '1KiB')).toEqual(['sizeLimit', 1024]);
    expect(parseSetting('sizeLimit', '1KiB')).toEqual(['sizeLimit', 1024]);
  });

  it('iterkeys reads page after page (250 keys, pages of 100), forwards and reversed, ties on key broken by kind', () => {
    const cache = new Cache(tempDir());
    const keys = Array.from({ length: 250 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    for (const key of [...keys].reverse()) cache.set(key, 1);
    // '1' and 1n store the same text: the second page must not skip or repeat a kind on the boundary.
    cache.set('1', 1);
    cache.set(1n, 1);
    expect([...cache.iterkeys()]).toEqual(['1', 1n, ...keys]);
    expect([...cache.iterkeys(true)]).toEqual([...keys.reverse(), 1n, '1']);
    cache.close();
  });

  it('iterkeys order is as documented: numbers, then strings and bigints as text, then bytes', () => {
    const cache = openCache(); // closed and removed after the test
    for (const key of ['a', 9n, 10n, 5, '9', Buffer.from('z')]) cache.set(key, 1);
    expect([...cache.iterkeys()]).toEqual([5, 10n, '9', 9n, 'a', Buffer.from('z')]);
  });
});
