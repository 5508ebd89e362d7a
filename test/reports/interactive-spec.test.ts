import * as vega from 'vega';
import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { collectSeries } from '../../reports/series.js';
import { barSpec } from '../../reports/specs/bar-spec.js';
import type { TopLevelSpec } from '../../reports/specs/common.js';
import { interactiveSpec, legendSeries, SHOWN_PARAM } from '../../reports/specs/interactive-spec.js';
import { percentileSpec } from '../../reports/specs/percentile-spec.js';
import { latencyOverTimeSpec, throughputSpec } from '../../reports/specs/time-series-spec.js';
import { talkResults } from './fixtures/make-results.js';

// Specs are plain JSON: read them as data rather than through vega-lite's wide union types.
type Json = Record<string, any>;
const asJson = (spec: TopLevelSpec): Json => spec as unknown as Json;

describe('the interactive version of a plot spec', () => {
  const series = collectSeries([talkResults(1)]);

  it('gives time-vs-percentile lines transparent points and a legend selection holding every backend', () => {
    const plain = percentileSpec(series, 'get');
    const spec = asJson(interactiveSpec(plain));
    expect(spec.mark.point).toMatchObject({ fillOpacity: 0, tooltip: true });
    expect(spec.encoding.tooltip).toEqual(asJson(plain).encoding.tooltip);
    expect(spec.params).toEqual([
      {
        name: SHOWN_PARAM,
        select: { type: 'point', fields: ['series'], toggle: 'true' },
        bind: 'legend',
        value: [{ series: 'memory' }, { series: 'sqlite' }, { series: 'filebased' }],
      },
    ]);
    expect(spec.encoding.opacity).toEqual({ condition: { param: SHOWN_PARAM, empty: false, value: 1 }, value: 0 });
    expect(spec.encoding.strokeDash.legend).toEqual({ symbolType: 'stroke' });
    // The file's spec is left as it was.
    expect(asJson(plain).mark.point).toBeUndefined();
    expect(asJson(plain).params).toBeUndefined();
  });

  it('declares the selection once, in the first layer, for layered plots', () => {
    const spec = asJson(interactiveSpec(latencyOverTimeSpec(series, 'get')));
    expect(spec.layer[0].params.map((p: Json) => p.name)).toEqual([SHOWN_PARAM]);
    expect(spec.layer.slice(1).every((l: Json) => l.params === undefined)).toBe(true);
    expect(spec.encoding.opacity.condition.param).toBe(SHOWN_PARAM);
  });

  it('leaves the bar panels (backends on the axis, no legend) without a selection', () => {
    const bars = barSpec(series, 'get');
    expect(legendSeries(bars)).toBeNull();
    expect(JSON.stringify(interactiveSpec(bars))).not.toContain(SHOWN_PARAM);
  });

  it('every interactive spec compiles and parses in vega', () => {
    for (const spec of [
      percentileSpec(series, 'get'),
      barSpec(series, 'set'),
      latencyOverTimeSpec(series, 'set'),
      throughputSpec(series),
    ]) {
      const compiled = compile(interactiveSpec(spec)).spec;
      expect(() => vega.parse(compiled)).not.toThrow();
    }
  });
});
