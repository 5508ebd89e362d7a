// The package entry: `import { Cache } from 'cachebench'`.
export * from './engine/index.js';
