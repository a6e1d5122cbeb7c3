// @ts-check
// Trend charts (uPlot): small, fast, canvas-drawn lines over the last hour, each with a text summary for screen
// readers.
import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import { html } from './ui.js';

/** Points kept per series: one every SAMPLE_MS for an hour. */
export const SAMPLE_MS = 10_000;
const KEPT = 3600_000 / SAMPLE_MS;

/**
 * A rolling hour of samples: times (epoch seconds) and one array of values per series.
 * @typedef {{ times: number[], values: Record<string, (number | null)[]> }} History
 */

/** @returns {History} */
export function emptyHistory() {
  return { times: [], values: {} };
}

/**
 * The history with one more sample; series absent from it get a gap (null) at that time, and a series with nothing
 * but gaps left in the hour is dropped (a campaign that stopped an hour ago leaves the legend).
 * @param {History} history
 * @param {number} at epoch ms
 * @param {Record<string, number | null>} sample
 * @returns {History}
 */
export function withSample(history, at, sample) {
  const times = [...history.times, Math.floor(at / 1000)].slice(-KEPT);
  const names = new Set([...Object.keys(history.values), ...Object.keys(sample)]);
  /** @type {Record<string, (number | null)[]>} */
  const values = {};
  for (const name of names) {
    const before = history.values[name] ?? history.times.map(() => null);
    const kept = [...before, sample[name] ?? null].slice(-KEPT);
    if (kept.some((value) => value !== null)) values[name] = kept;
  }
  return { times, values };
}

const PALETTE = ['#58a6ff', '#3fb950', '#d29922', '#db61a2', '#a371f7', '#f0883e', '#8b949e'];

/**
 * A line chart of a history. `limit` draws a dashed red line (a maximum not to cross); `unit` labels the values.
 * @param {{ title: string, history: History, unit: string, limit?: number | null, summary: string }} props
 */
export function TrendChart({ title, history, unit, limit = null, summary }) {
  const box = useRef(/** @type {HTMLDivElement | null} */ (null));
  const chart = useRef(/** @type {uPlot | null} */ (null));
  const names = Object.keys(history.values);
  const shape = [...names, limit === null ? '' : 'limit'].join('\u0000');

  useEffect(() => {
    const element = box.current;
    if (element === null) return undefined;
    /** @type {uPlot.Series[]} */
    const series = [
      {},
      ...names.map((name, index) => ({ label: name, stroke: PALETTE[index % PALETTE.length], width: 2, spanGaps: false })),
      ...(limit === null ? [] : [{ label: 'limit', stroke: '#f85149', width: 1.5, dash: [6, 4] }]),
    ];
    const axis = { stroke: '#c9d1d9', grid: { stroke: '#30363d', width: 1 }, ticks: { stroke: '#30363d', width: 1 } };
    const made = new uPlot(
      {
        width: element.clientWidth || 320,
        height: 160,
        series,
        axes: [axis, { ...axis, label: unit, size: 50 }],
        legend: { show: true, live: false },
        cursor: { show: false },
        // Always the last hour, ending at the newest sample: a chart with one point still reads as a timeline.
        scales: { x: { time: true, range: (_chart, _min, max) => [max - 3600, max] } },
      },
      /** @type {uPlot.AlignedData} */ ([[], ...series.slice(1).map(() => [])]),
      element,
    );
    chart.current = made;
    const resize = new ResizeObserver(() => made.setSize({ width: element.clientWidth, height: 160 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      made.destroy();
      chart.current = null;
    };
  }, [shape]);

  useEffect(() => {
    const columns = names.map((name) => history.values[name] ?? []);
    const limitLine = limit === null ? [] : [history.times.map(() => limit)];
    chart.current?.setData(/** @type {uPlot.AlignedData} */ ([history.times, ...columns, ...limitLine]));
  }, [history, shape, limit]);

  return html`<figure class="trend">
    <figcaption>${title}</figcaption>
    <div ref=${box} role="img" aria-label=${`${title}: ${summary}`}></div>
  </figure>`;
}
