// The overview's progress chart, drawn with uPlot (decision 055): the running total of
// certifications against the number to certify (lines), and under it the certifications per day
// (bars), each plot with its own labelled axis, the deadline marked on both.
// The library is a chunk of its own, fetched when the chart is first drawn (only this module
// imports it, and only dynamically: a static import of a module the first screen shares would
// re-cut the first screen's chunks). The canvas is an image for screen readers, named by the summary
// above it; the numbers themselves are in the table under it.
import { createEffect, createMemo, createResource, For, onCleanup, onMount, Show } from 'solid-js';
import type uPlot from 'uplot';
import type { LocalDate } from '../../shared/dates.ts';
import { formatDate, t } from '../i18n/index.ts';
import { formatCount } from './format.ts';
import { dayLabel, progressSeries } from './series.ts';

const INK = '#111111';
const COLORS = { perDay: '#1a4fd6', cumulative: '#0b3d2e', due: '#8a0000', deadline: '#5c3b00' };
// Counts of people: whole-number ticks only.
const WHOLE = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000];
const FONT = '13px system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';

type UPlot = typeof uPlot;

let library: Promise<UPlot> | undefined;
function loadLibrary(): Promise<UPlot> {
  return (library ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(
    ([m]) => m.default,
    (err: unknown) => {
      library = undefined; // the next chart tries again
      throw err;
    },
  ));
}

export function ProgressChart(props: { daily: { on: LocalDate; certified: number }[]; expected: number; deadline: LocalDate }) {
  const [lib, { refetch }] = createResource(loadLibrary);
  // Two plots over the same days, each with its own y axis on the left: the running total against
  // the number to certify, and under it the certifications per day. One plot with a second axis
  // drew a day of 1 as tall as a running total of 2.6, and nobody reads the right-hand axis.
  let totalBox!: HTMLDivElement;
  let dayBox!: HTMLDivElement;
  let plots: uPlot[] = [];
  const series = () => progressSeries(props.daily, props.expected, props.deadline);
  const width = () => Math.max(280, totalBox.clientWidth);
  const narrow = () => totalBox.clientWidth < 600;
  const sizes = () => [
    { width: width(), height: narrow() ? 200 : 260 },
    { width: width(), height: narrow() ? 120 : 150 },
  ];

  const xAxis = (): uPlot.Axis => ({ stroke: INK, font: FONT, grid: { stroke: '#d0d0d0' }, ticks: { stroke: '#6b6b6b' }, values: (_u, splits) => splits.map(dayLabel) });
  const yAxis = (label: string, color: string): uPlot.Axis => ({
    stroke: INK, font: FONT, labelFont: FONT, label, labelSize: 20, grid: { stroke: '#d0d0d0' }, ticks: { stroke: color }, size: 60, incrs: WHOLE,
  });
  const deadlineMark = (u: uPlot) => {
    const x = Math.round(u.valToPos(Date.parse(`${props.deadline}T00:00:00Z`) / 1000, 'x', true));
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = COLORS.deadline;
    ctx.lineWidth = 2 * devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.restore();
  };
  const common = (uPlot: UPlot) => ({
    legend: { show: false },
    cursor: { show: false },
    // Days are written as 00:00 UTC: read them in UTC, whatever the office computer's zone.
    tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    hooks: { draw: [deadlineMark] },
  });

  const totalOptions = (uPlot: UPlot): uPlot.Options => ({
    ...sizes()[0]!,
    ...common(uPlot),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max, props.expected) * 1.05] } },
    axes: [xAxis(), yAxis(t('o.chart.axisPeople'), COLORS.cumulative)],
    series: [
      {},
      { label: t('o.chart.cumulative'), stroke: COLORS.cumulative, width: 3, points: { show: false } },
      { label: t('o.chart.due'), stroke: COLORS.due, width: 2, dash: [8, 6], points: { show: false } },
    ],
  });
  const dayOptions = (uPlot: UPlot): uPlot.Options => ({
    ...sizes()[1]!,
    ...common(uPlot),
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
    axes: [xAxis(), yAxis(t('o.chart.axisPerDay'), COLORS.perDay)],
    series: [{}, { label: t('o.chart.perDay'), stroke: COLORS.perDay, fill: 'rgba(26, 79, 214, 0.35)', width: 1, paths: uPlot.paths.bars!({ size: [0.7, 24] }), points: { show: false } }],
  });

  // Drawn again on new numbers (a refetch, another region) or another language.
  createEffect(() => {
    // Read only when ready: reading a resource that failed throws.
    if (lib.state !== 'ready') return;
    const uPlot = lib();
    const s = series();
    const next = [totalOptions(uPlot), dayOptions(uPlot)] as const;
    for (const p of plots) p.destroy();
    plots = [new uPlot(next[0], [s.days, s.cumulative, s.due], totalBox), new uPlot(next[1], [s.days, s.perDay], dayBox)];
  });
  onMount(() => {
    const observer = new ResizeObserver(() => plots.forEach((p, i) => p.setSize(sizes()[i]!)));
    observer.observe(totalBox);
    onCleanup(() => observer.disconnect());
  });
  onCleanup(() => plots.forEach((p) => p.destroy()));
  const rows = createMemo(() => {
    let total = 0;
    return props.daily.map((d) => ({ ...d, total: (total += d.certified) })).filter((d) => d.certified > 0);
  });

  return (
    <figure class="o-chart" data-testid="office-chart">
      <ul class="o-legend">
        <li>
          <span class="o-swatch bars" aria-hidden="true" />
          {t('o.chart.perDay')}
        </li>
        <li>
          <span class="o-swatch line" aria-hidden="true" />
          {t('o.chart.cumulative')}
        </li>
        <li>
          <span class="o-swatch dashed" aria-hidden="true" />
          {t('o.p.bracket', { text: t('o.chart.due'), inner: formatCount(props.expected) })}
        </li>
        <li>
          <span class="o-swatch deadline" aria-hidden="true" />
          {t('o.p.bracket', { text: t('o.chart.deadline'), inner: formatDate(props.deadline) })}
        </li>
      </ul>
      <div class="o-chart-canvas" role="img" aria-labelledby="o-chart-title o-chart-summary" data-ready={lib.state === 'ready' ? 'true' : undefined}>
        <div ref={totalBox} data-testid="office-chart-total" />
        <div ref={dayBox} data-testid="office-chart-daily" />
      </div>
      <Show when={lib.loading}>
        <p class="o-muted">{t('o.chart.loading')}</p>
      </Show>
      <Show when={lib.error}>
        <div class="o-alert" role="alert">
          <p>{t('app.notLoaded')}</p>
          <button type="button" class="o-button" onClick={() => void refetch()}>
            {t('o.retry')}
          </button>
        </div>
      </Show>
      <details class="o-chart-data">
        <summary>{t('o.chart.data')}</summary>
        <table class="o-table o-table-small">
          <thead>
            <tr>
              <th scope="col">{t('o.chart.day')}</th>
              <th scope="col">{t('o.chart.perDay')}</th>
              <th scope="col">{t('o.chart.cumulative')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={rows()}>
              {(d) => (
                <tr>
                  <th scope="row">{formatDate(d.on)}</th>
                  <td>{formatCount(d.certified)}</td>
                  <td>{formatCount(d.total)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </details>
    </figure>
  );
}
