import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isScenarioFile, loadScenario } from '../../scenarios/load-scenario.js';
import { getScenario } from '../../scenarios/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadScenario', () => {
  it('loads built-ins by name and user scenarios from JSON and TS files', async () => {
    expect((await loadScenario('django')).keys.count).toBe(1_100);
    const mine = { ...getScenario('talk'), name: 'mine', mix: { get: 3, set: 1 } };
    const json = join(dir, 'mine.json');
    writeFileSync(json, JSON.stringify(mine));
    expect(await loadScenario(json)).toEqual(mine);
    const ts = join(dir, 'mine.ts');
    writeFileSync(ts, `export default ${JSON.stringify({ ...mine, name: 'mine-ts' })};\n`);
    expect((await loadScenario(ts)).name).toBe('mine-ts');
  });

  it('names the file and the problem', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "name": ');
    await expect(loadScenario(broken)).rejects.toThrow(new RegExp(`scenario file ${broken}: not valid JSON`));
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ ...getScenario('talk'), preload: 'yes' }));
    await expect(loadScenario(wrong)).rejects.toThrow(/wrong\.json: "preload" must be true or false/);
    await expect(loadScenario(join(dir, 'absent.json'))).rejects.toThrow(/absent\.json: cannot read it/);
    await expect(loadScenario('nosuch')).rejects.toThrow(/unknown scenario "nosuch"; known scenarios: talk, django/);
  });

  it('tells names from paths', () => {
    expect(isScenarioFile('talk')).toBe(false);
    expect(isScenarioFile('ycsb-a')).toBe(false);
    expect(isScenarioFile('./x.json')).toBe(true);
    expect(isScenarioFile('x.ts')).toBe(true);
  });
});

describe('a .ts file under the compiled CLI', () => {
  it("gets a one-line hint only for node's unknown-extension error on a .ts path", async () => {
    const { typeScriptHint } = await import('../../scenarios/load-scenario.js');
    const unknownExtension = Object.assign(new TypeError('Unknown file extension ".ts"'), {
      code: 'ERR_UNKNOWN_FILE_EXTENSION',
    });
    const hint = typeScriptHint('/x/my-scenario.ts', unknownExtension);
    expect(hint).toMatch(/tsx loader.*compile the file to \.js/);
    expect(hint).not.toContain('\n');
    expect(typeScriptHint('/x/my-scenario.js', unknownExtension)).toBe('');
    expect(typeScriptHint('/x/my-scenario.ts', new SyntaxError('Unexpected token'))).toBe('');
  });
});
