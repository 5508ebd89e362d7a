/**
 * What makes index.html interactive while it stays one offline file: vega,
 * vega-lite and vega-embed inlined from node_modules (their UMD builds, read at
 * report time), each plot's interactive spec (specs/interactive-spec.ts) as
 * inline JSON, and a small script that embeds them. A Content-Security-Policy
 * forbids every fetch, so the page cannot reach the network even by mistake.
 *
 * Each figure keeps its static SVG: it is what shows without scripts or when a
 * view fails to render; once a view has rendered, CSS hides the static copy.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from './specs/common.js';
import { interactiveSpec } from './specs/interactive-spec.js';

/**
 * Inline scripts and styles only (vega compiles its expressions with
 * `new Function`, hence 'unsafe-eval'); no source for fetches, images from
 * data: URLs only. Links to the SVG/PNG files are navigation, which this leaves alone.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:";

/** Package name → its UMD build beside the module the package exports. */
const BUILDS = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
] as const;

let cached: string | undefined;

/** The three libraries as one inline-safe script body (read once per process). */
export function vegaLibraries(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  cached = BUILDS.map(([name, file]) => {
    // Each package exports only its module entry, which sits in build/ beside the UMD file.
    const path = join(dirname(require.resolve(name)), file);
    return inlineScript(readFileSync(path, 'utf8'));
  }).join('\n;\n');
  return cached;
}

/** Text safe inside `<script>`: no `</script` or `<!--` can end or confuse the element. */
export function inlineScript(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** A spec as inline JSON for a `<script type="application/json">`. */
export function specJson(spec: TopLevelSpec): string {
  return inlineScript(JSON.stringify(interactiveSpec(spec)))
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Embeds every `figure.plot[data-spec]`. The views (promises) are kept in
 * `window.cachebenchViews` so tests and curious users can reach them.
 */
export const EMBED_SCRIPT = `(function () {
  var views = [];
  window.cachebenchViews = views;
  document.querySelectorAll('figure.plot[data-spec]').forEach(function (figure) {
    var target = figure.querySelector('.interactive');
    var spec = JSON.parse(document.getElementById(figure.getAttribute('data-spec')).textContent);
    views.push(vegaEmbed(target, spec, { mode: 'vega-lite', renderer: 'svg', actions: false }).then(function (result) {
      figure.classList.add('live');
      return result.view;
    }, function (error) {
      target.textContent = 'The interactive plot could not be drawn (' + error.message + '); the static image is shown.';
      return null;
    }));
  });
})();`;

/** A hidden backend's marks (opacity 0) take no pointer events, so its invisible points show no tooltips. */
export const INTERACTIVE_STYLE = `figure .interactive [opacity="0"]{pointer-events:none}figure.live .static{display:none}figure .interactive:empty{display:none}.vega-embed{display:block}figure .interactive svg{max-width:100%;height:auto}`;
