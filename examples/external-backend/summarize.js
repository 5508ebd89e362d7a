// @ts-check
/** Prints each backend's status and get/set counts from a results file: `node summarize.js results.json`. */
import { loadResults } from 'cachebench/results';

const results = await loadResults(process.argv[2] ?? 'results.json');
for (const backend of results.backends) {
  const counts = Object.entries(backend.actions)
    .map(([action, a]) => `${action}=${a.count}`)
    .join(' ');
  console.log(`${backend.label} ${backend.status} ${counts}`);
}
