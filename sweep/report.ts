/**
 * The sweep report in `<sweep>/report/`: index.html (self-contained, inline
 * SVG), report.md (with PNGs), and plots/NAME.{vl.json,svg,png}. Rendering is
 * the reports package's (vega-lite → SVG → PNG); this file only decides which
 * plots a sweep gets and lays out the pages.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { escapeHtml, prefixSvgIds } from '../reports/html-page.js';
import { renderSvg, svgToPng } from '../reports/render-plot.js';
import { slug } from '../reports/series.js';
import type { TopLevelSpec } from '../reports/specs/common.js';
import { recommendationLines, unavailableLines } from './format-text.js';
import { backendLinesSpec } from './specs/backends-spec.js';
import { markdownTable, rankingTable, type RankingTable } from './ranking-table.js';
import { heatmapSpec } from './specs/heatmap-spec.js';
import { repeatsSpec } from './specs/repeats-spec.js';
import { scalingSpec } from './specs/scaling-spec.js';
import { missRateSpec, timeoutData, timeoutLatencySpec } from './specs/timeout-spec.js';
import type { SweepSummary } from './summary.js';

export interface SweepReportOptions {
  /** @default true */
  png?: boolean;
  /** Parses a timeout axis value (as written) into seconds. */
  timeoutSeconds?: (text: string) => number | undefined;
}

export interface SweepReportOutput {
  html: string;
  markdown: string;
  plots: { name: string; title: string; svg: string; png?: string }[];
}

const MAX_HEATMAPS = 6;

export function planSweepPlots(
  summary: SweepSummary,
  options: SweepReportOptions = {},
): { name: string; title: string; spec: TopLevelSpec }[] {
  const plots: { name: string; title: string; spec: TopLevelSpec }[] = [];
  const add = (name: string, title: string, spec: TopLevelSpec | null): void => {
    if (spec) plots.push({ name, title, spec });
  };
  add('repeats', `${summary.objective.text} per configuration and repeat`, repeatsSpec(summary));
  const varying = summary.axes.filter((a) => a.values.length > 1);
  let heatmaps = 0;
  for (let i = 0; i < varying.length; i++) {
    for (let j = i + 1; j < varying.length && heatmaps < MAX_HEATMAPS; j++) {
      const [x, y] = [varying[i]!.name, varying[j]!.name];
      add(`heatmap-${slug(x)}-${slug(y)}`, `heat-map: ${x} × ${y}`, heatmapSpec(summary, x, y));
      heatmaps++;
    }
  }
  if (summary.axes.some((a) => a.name === 'timeout') && options.timeoutSeconds) {
    const first = summary.combinations.find((c) => Object.keys(c.actions).length > 0);
    const action = first && 'get' in first.actions ? 'get' : Object.keys(first?.actions ?? {})[0];
    if (action) {
      const data = timeoutData(summary, action, options.timeoutSeconds);
      add(`miss-rate-vs-timeout-${slug(action)}`, `${action} miss rate vs timeout`, missRateSpec(data, action));
      add(`p99-vs-timeout-${slug(action)}`, `${action} p99 vs timeout`, timeoutLatencySpec(data, action));
    }
  }
  add('scaling', 'latency vs shards vs processes', scalingSpec(summary));
  const lines = backendLinesSpec(summary);
  if (lines) add(`backends-vs-${slug(lines.axis)}`, `p99 vs ${lines.axis}, one line per backend`, lines.spec);
  return plots;
}

export async function writeSweepReport(
  summary: SweepSummary,
  outDir: string,
  options: SweepReportOptions = {},
): Promise<SweepReportOutput> {
  const png = options.png ?? true;
  await mkdir(join(outDir, 'plots'), { recursive: true });
  const plots: SweepReportOutput['plots'] = [];
  const figures: string[] = [];
  for (const [i, planned] of planSweepPlots(summary, options).entries()) {
    const base = join(outDir, 'plots', planned.name);
    const svg = await renderSvg(planned.spec);
    await writeFile(`${base}.vl.json`, `${JSON.stringify(planned.spec, null, 2)}\n`);
    await writeFile(`${base}.svg`, svg);
    if (png) await writeFile(`${base}.png`, svgToPng(svg));
    plots.push({
      name: planned.name,
      title: planned.title,
      svg: `${base}.svg`,
      ...(png ? { png: `${base}.png` } : {}),
    });
    const links = [
      `<a href="plots/${planned.name}.svg">SVG</a>`,
      ...(png ? [`<a href="plots/${planned.name}.png">PNG</a>`] : []),
      `<a href="plots/${planned.name}.vl.json">vega-lite spec</a>`,
    ];
    figures.push(
      `<figure>${prefixSvgIds(svg, `plot${i + 1}`)}<figcaption>${escapeHtml(planned.title)} — ${links.join(' · ')}</figcaption></figure>`,
    );
  }
  const table = rankingTable(summary);
  const markdown = join(outDir, 'report.md');
  await writeFile(
    markdown,
    markdownPage(
      summary,
      table,
      plots.map((p) => `![${p.title}](plots/${p.name}.${png ? 'png' : 'svg'})`),
    ),
  );
  const html = join(outDir, 'index.html');
  await writeFile(html, htmlPage(summary, table, figures));
  return { html, markdown, plots };
}

function title(summary: SweepSummary): string {
  return `cachebench sweep: ${summary.scenario} on ${summary.backend}`;
}

function describeSweep(summary: SweepSummary): [string, string][] {
  return [
    ['objective', `${summary.objective.text} (${summary.objective.kind === 'latency' ? 'lower' : 'higher'} is better)`],
    ['grid', summary.axes.map((a) => `${a.name}=${a.values.join(',')}`).join(' ')],
    [
      'runs',
      `${summary.combinations.length} combinations × ${summary.repeat} repeats, in a seeded random order (seed ${summary.seed})`,
    ],
    [
      'sizes',
      `${summary.sizes.ops} ops per process, ${summary.sizes.warmupOps} warm-up${summary.axes.some((a) => a.name === 'procs') ? '' : `, ${summary.sizes.procs} processes`}`,
    ],
    [
      'machine',
      summary.environment
        ? `${summary.environment.cpuModel}, ${summary.environment.cores} cores, ${summary.environment.platform}, Node ${summary.environment.node}, SQLite ${summary.environment.sqlite}`
        : 'unknown',
    ],
    ['fingerprint', summary.fingerprint],
  ];
}

function recommendationText(summary: SweepSummary): string[] {
  return [
    ...summary.recommendations.flatMap((r) =>
      recommendationLines(r, summary.objective.kind, summary.recommendations.length > 1),
    ),
    ...unavailableLines(summary),
  ].map((l) => l.trim());
}

function markdownPage(summary: SweepSummary, table: RankingTable, images: string[]): string {
  const about = describeSweep(summary)
    .map(([k, v]) => `- **${k}**: ${v}`)
    .join('\n');
  return `# ${title(summary)}

## Recommendation

${recommendationText(summary)
  .map((l) => `> ${l}`)
  .join('\n>\n')}

## Ranking by ${summary.objective.text}

Median of the repeats; *spread* is the lowest and highest repeat; *vs defaults* divides by the engine defaults at the same process count. ★ marks the recommendation.

${markdownTable(table)}
## Plots

${images.join('\n\n')}

## Sweep

${about}

One results file per run is in \`runs/\`; \`summary.json\` holds these figures.
`;
}

const STYLE = `body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h2{margin-top:2rem;border-bottom:1px solid #ddd}table{border-collapse:collapse;font-size:.9rem}th,td{padding:.25rem .6rem;border-bottom:1px solid #e4e4e4;text-align:right}
th:nth-child(2),td:nth-child(2){text-align:left}th{background:#f4f4f4}tr.recommended td{font-weight:bold;background:#eef6ee}
.verdict{background:#f6f8fa;border-left:4px solid #4a4;padding:.5rem 1rem}figure{margin:1rem 0 2rem}figure svg{max-width:100%;height:auto}figcaption{font-size:.85rem;color:#555}
table.kv td,table.kv th{text-align:left}`;

function htmlPage(summary: SweepSummary, table: RankingTable, figures: string[]): string {
  const head = `<tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = table.rows
    .map(
      (r, i) =>
        `<tr${table.recommended.has(i) ? ' class="recommended"' : ''}>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const about = describeSweep(summary)
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title(summary))}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title(summary))}</h1>
<h2>Recommendation</h2>
<div class="verdict">${recommendationText(summary)
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('')}</div>
<h2>Ranking by ${escapeHtml(summary.objective.text)}</h2>
<p>Median of the repeats; <em>spread</em> is the lowest and highest repeat; <em>vs defaults</em> divides by the engine defaults at the same process count.</p>
<table class="ranking">${head}
${rows}</table>
<h2>Plots</h2>
${figures.join('\n')}
<h2>Sweep</h2>
<table class="kv">${about}</table>
<p>One results file per run is in <code>runs/</code>; <code>summary.json</code> holds these figures.</p>
</body></html>
`;
}
