/**
 * Headless rendering: vega-lite → vega → SVG with vega's own renderer (no
 * browser, no canvas package), then SVG → PNG with resvg, whose binary ships
 * through npm. resvg draws text only with fonts it can load; DejaVu Sans
 * (Debian's fonts-dejavu-core) is asked for by name so labels never fall back
 * to a serif face or vanish.
 */
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { ReportError } from './errors.js';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  let view: vega.View | undefined;
  try {
    const compiled = compile(spec).spec;
    view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    return await view.toSVG();
  } catch (error) {
    const title =
      typeof spec.title === 'object' && spec.title && 'text' in spec.title ? String(spec.title.text) : 'plot';
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReportError('RENDER_FAILED', `could not render "${title}": ${reason}`);
  } finally {
    view?.finalize();
  }
}

export interface PngOptions {
  /** Output scale relative to the SVG's size; 2 gives sharp images on HiDPI screens. @default 2 */
  scale?: number;
}

/** resvg options shared by every PNG: white background, system fonts with DejaVu Sans as the sans-serif face. */
export const PNG_RENDER_OPTIONS = {
  background: 'white',
  font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
} as const;

export function svgToPng(svg: string, options: PngOptions = {}): Buffer {
  const resvg = new Resvg(svg, { ...PNG_RENDER_OPTIONS, fitTo: { mode: 'zoom', value: options.scale ?? 2 } });
  return resvg.render().asPng();
}
