/**
 * The self-contained `index.html`: the summary, tables, plots, backends,
 * environment and parameters. Plots are interactive (vega-embed, inlined with
 * vega and vega-lite: interactive-page.ts) over their static inline SVG; no
 * external resources, so it opens offline from a file:// URL and can be
 * mailed as one file.
 */
import type { ResultsFile } from '../results/results.js';
import { EMBED_SCRIPT, INTERACTIVE_STYLE, PAGE_CSP, specJson, vegaLibraries } from './interactive-page.js';
import type { TopLevelSpec } from './specs/common.js';
import { DURABILITY_TEXT, type MeasurementNote } from './measurement-notes.js';
import { buildTable } from './render-table.js';
import { buildHostTable, type HostTable } from './host-table.js';
import type { Series } from './series.js';

export interface HtmlPlot {
  title: string;
  /** Base name of the files beside the page, e.g. `plots/percentile-get`. */
  path: string;
  svg: string;
  /** The plot's vega-lite spec; the page draws it interactively over the static SVG. */
  spec: TopLevelSpec;
}

export interface HtmlPageInput {
  title: string;
  files: readonly ResultsFile[];
  fileLabels: readonly string[];
  series: readonly Series[];
  /** Percentile columns of the timing tables. @default [50, 90, 99] */
  percentiles?: readonly number[];
  plots: readonly HtmlPlot[];
  hgrm: readonly { name: string; series: string; action: string; hlog?: { name: string } }[];
  hgrmUnit: string;
  png: boolean;
  /** Measurement notes, warnings first. @default none */
  notes?: readonly MeasurementNote[];
  /** The summary section's HTML (render-summary.ts), shown first. @default none */
  summary?: string;
  /** Plots left out, with the reason, listed after the plots. @default none */
  omitted?: readonly { title: string; reason: string }[];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Several SVGs inline in one page share one id namespace: vega names its clip
 * paths clip1, clip2… in every plot, and a later plot would clip to an earlier
 * plot's rectangle. Prefix each plot's ids.
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
}

const STYLE = `
body{font-family:"DejaVu Sans",system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1rem;margin:1.4rem 0 .4rem}
table{border-collapse:collapse;margin:.3rem 0 1rem;font-size:.9rem}th,td{padding:.25rem .7rem;border-bottom:1px solid #e4e4e4;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}tr.total td{font-weight:bold}
table.kv td,table.kv th{text-align:left}caption{text-align:left;font-size:.85rem;color:#555}
figure{margin:1rem 0 2rem}figure svg{max-width:100%;height:auto;display:block}figcaption{font-size:.85rem;color:#555}
table.summary tr.best td{font-weight:bold}table.summary td{white-space:nowrap}table.summary .range{font-size:.75rem;color:#777;font-weight:normal}div.wide{overflow-x:auto}ul.verdicts,ul.throughput{margin:.2rem 0 1rem}p.legend{font-size:.85rem;color:#555}
table.hosts td:nth-child(-n+3),table.hosts th:nth-child(-n+3){text-align:left}ul.hosts{font-size:.85rem;margin:.2rem 0 1rem}
.note{color:#a33;font-size:.9rem}ul.notes li{margin:.25rem 0}ul.notes li.warning{color:#a33;font-weight:bold}code{background:#f4f4f4;padding:0 .2rem}
`;

function timingTables(series: readonly Series[], percentiles?: readonly number[]): string {
  return series
    .map((s) => {
      const t = buildTable(s, 'rich', percentiles);
      const head = `<tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
      const rows = t.rows
        .map(
          (r) =>
            `<tr${r[0] === 'Total' ? ' class="total"' : ''}>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`,
        )
        .join('\n');
      const notes = t.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
      const metrics =
        t.metrics.length > 0
          ? `<table class="kv metrics"><caption>Scenario metrics</caption>${t.metrics.map((m) => `<tr><th>${escapeHtml(m.name)}</th><td>${escapeHtml(m.value)}</td></tr>`).join('')}</table>`
          : '';
      const hosts = hostTableHtml(buildHostTable(s, 'rich', percentiles));
      return `<h3>${escapeHtml(`${t.title} (${t.description})`)}</h3>${notes}<table class="timings">${head}\n${rows}</table>${metrics}${hosts}`;
    })
    .join('\n');
}

/** Each load host's part of a run through agents, under the backend's merged table; '' without hosts. */
function hostTableHtml(t: HostTable | undefined): string {
  if (!t) return '';
  const head = `<tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  const lines = t.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('');
  return `<table class="timings hosts"><caption>${escapeHtml(t.title)}</caption>${head}\n${rows}</table>\n<ul class="hosts">${lines}</ul>`;
}

function keyValueTable(entries: readonly (readonly [string, unknown])[]): string {
  const cell = (v: unknown): string => escapeHtml(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
  return `<table class="kv">${entries.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${cell(v)}</td></tr>`).join('')}</table>`;
}

function notesList(notes: readonly MeasurementNote[]): string {
  if (notes.length === 0) return '';
  const items = notes
    .map((n) => `<li class="${n.level}">${n.level === 'warning' ? 'Warning: ' : ''}${escapeHtml(n.text)}</li>`)
    .join('\n');
  return `<h2>Measurement notes</h2>\n<ul class="notes">\n${items}\n</ul>`;
}

/** Grouped by durability, so rows that do the same work per write sit together. */
function backendsTable(series: readonly Series[]): string {
  const head =
    '<tr><th>Series</th><th>Backend</th><th>Call style</th><th>Durability</th><th>Version</th><th>Status</th><th>Settings</th></tr>';
  const order = Object.keys(DURABILITY_TEXT);
  const rank = (s: Series): number => order.indexOf(s.backend.description?.durability ?? 'unknown');
  const rows = [...series]
    .sort((a, b) => rank(a) - rank(b))
    .map((s) => {
      const d = s.backend.description;
      const settings = d
        ? Object.entries(d.settings)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')
        : '';
      const status = s.backend.status + (s.backend.message ? `: ${s.backend.message}` : '');
      return `<tr>${[
        s.label,
        d?.name ?? s.backend.name,
        d?.callStyle ?? '',
        d?.durability ?? 'unknown',
        d?.version ?? '',
        status,
        settings,
      ]
        .map((c) => `<td>${escapeHtml(c)}</td>`)
        .join('')}</tr>`;
    });
  const used = [...new Set(series.map((s) => s.backend.description?.durability ?? 'unknown'))].sort(
    (a, b) => order.indexOf(a) - order.indexOf(b),
  );
  const legend = used.map((d) => `<code>${escapeHtml(d)}</code>: ${escapeHtml(DURABILITY_TEXT[d] ?? d)}`).join(' · ');
  return `<table class="kv">${head}${rows.join('')}</table>\n<p>Durability of a write — ${legend}</p>`;
}

function plotFigures(plots: readonly HtmlPlot[], png: boolean): string {
  return plots
    .map((p, i) => {
      const links = [
        `<a href="${escapeHtml(p.path)}.svg">SVG</a>`,
        ...(png ? [`<a href="${escapeHtml(p.path)}.png">PNG</a>`] : []),
        `<a href="${escapeHtml(p.path)}.vl.json">vega-lite spec</a>`,
      ];
      const id = `plot-${i + 1}`;
      const spec = `<script type="application/json" id="${id}-spec">${specJson(p.spec)}</script>`;
      return `<figure class="plot" id="${id}" data-spec="${id}-spec"><div class="interactive"></div><div class="static">${prefixSvgIds(p.svg, `plot${i + 1}`)}</div>${spec}<figcaption>${escapeHtml(p.title)} — ${links.join(' · ')}</figcaption></figure>`;
    })
    .join('\n');
}

export function htmlPage(input: HtmlPageInput): string {
  const perFile = input.files
    .map((f, i) => {
      const label = input.fileLabels[i];
      const env = Object.entries(f.environment).filter(([k]) => k !== 'extra');
      const extra = f.environment.extra ? Object.entries(f.environment.extra) : [];
      const heading = input.files.length > 1 ? `<h3>${escapeHtml(label)}</h3>` : '';
      return `${heading}<p>Scenario <code>${escapeHtml(f.scenario.name)}</code>: ${escapeHtml(f.scenario.description)} — run ${escapeHtml(f.createdAt)}</p>
<h4>Environment</h4>${keyValueTable([...env, ...extra])}
<h4>Run parameters</h4>${keyValueTable(Object.entries(f.run))}
<h4>Scenario parameters</h4>${keyValueTable(Object.entries(f.scenario.parameters))}`;
    })
    .join('\n');
  const hgrm = input.hgrm.length
    ? `<ul>${input.hgrm.map((h) => `<li><a href="hgrm/${escapeHtml(h.name)}">${escapeHtml(h.name)}</a>${h.hlog ? ` · <a href="hgrm/${escapeHtml(h.hlog.name)}">${escapeHtml(h.hlog.name)}</a>` : ''} — ${escapeHtml(h.series)} ${escapeHtml(h.action)}</li>`).join('')}</ul>`
    : '<p>No histograms recorded.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<title>${escapeHtml(input.title)}</title><style>${STYLE}${INTERACTIVE_STYLE}</style></head>
<body>
<h1>${escapeHtml(input.title)}</h1>
${input.summary ?? ''}
${notesList(input.notes ?? [])}
<h2>Timings</h2>
<p>Latencies per operation; each value in its own unit. Count and Miss are operations.</p>
${timingTables(input.series, input.percentiles)}
<h2>Plots</h2>
${plotFigures(input.plots, input.png)}
${(input.omitted ?? []).map((o) => `<p class="omitted">${escapeHtml(o.title)}: left out — ${escapeHtml(o.reason)}.</p>`).join('\n')}
<h2>Backends</h2>
${backendsTable(input.series)}
<h2>Environment and parameters</h2>
${perFile}
<h2>HDR histograms</h2>
<p>Percentile distributions in HdrHistogram's <code>.hgrm</code> format, values in ${escapeHtml(input.hgrmUnit)}; interval logs (<code>.hlog</code>, one histogram per interval, values in ns) for HistogramLogAnalyzer.</p>
${hgrm}
${input.plots.length > 0 ? `<script>${vegaLibraries()}</script>\n<script>${EMBED_SCRIPT}</script>` : ''}
</body></html>
`;
}
