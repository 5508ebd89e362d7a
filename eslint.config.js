// Lint rules for the sources, tests and scripts. The import-boundary rules come from layers.json, the same
// table test/architecture/layers.test.ts checks, so the linter and the test cannot drift apart.
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layers = JSON.parse(readFileSync(new URL('./layers.json', import.meta.url), 'utf8'));
const folders = Object.keys(layers).filter((key) => !key.startsWith('$'));

/** For each folder, the relative imports of any other top folder that its layer does not allow. */
const boundaries = folders.map((folder) => {
  const forbidden = folders.filter((other) => other !== folder && !layers[folder].includes(other));
  return {
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((other) => ({
            regex: `^(\\.\\./)+${other}/`,
            message: `${folder}/ may import only ${layers[folder].join(', ') || 'nothing outside itself'} (layers.json, docs/architecture.md).`,
          })),
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'examples/**/node_modules/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Tests build broken results files and read fixtures of mixed shapes by mutating parsed JSON.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...boundaries,
);
