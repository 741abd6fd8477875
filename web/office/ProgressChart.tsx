// The overview's progress chart, drawn with uPlot (decision 055): certifications per day (bars, right
// axis), their running total and the number to certify (lines, left axis), the deadline marked.
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
  let box!: HTMLDivElement;
  let plot: uPlot | undefined;
  const series = () => progressSeries(props.daily, props.expected, props.deadline);
  const size = () => ({ width: Math.max(280, box.clientWidth), height: box.clientWidth < 600 ? 240 : 320 });

  const options = (uPlot: UPlot): uPlot.Options => ({
    ...size(),
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, n: { range: (_u, _min, max) => [0, Math.max(1, max, props.expected) * 1.05] }, day: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.6] } },
    axes: [
      { stroke: INK, font: FONT, grid: { stroke: '#d0d0d0' }, ticks: { stroke: '#6b6b6b' }, values: (_u, splits) => splits.map(dayLabel) },
      { scale: 'n', stroke: INK, font: FONT, grid: { stroke: '#d0d0d0' }, ticks: { stroke: '#6b6b6b' }, size: 56, incrs: WHOLE },
      { scale: 'day', side: 1, stroke: COLORS.perDay, font: FONT, grid: { show: false }, ticks: { stroke: '#6b6b6b' }, size: 48, incrs: WHOLE },
    ],
    series: [
      {},
      { label: t('o.chart.perDay'), scale: 'day', stroke: COLORS.perDay, fill: 'rgba(26, 79, 214, 0.35)', width: 1, paths: uPlot.paths.bars!({ size: [0.7, 24] }), points: { show: false } },
      { label: t('o.chart.cumulative'), scale: 'n', stroke: COLORS.cumulative, width: 3, points: { show: false } },
      { label: t('o.chart.due'), scale: 'n', stroke: COLORS.due, width: 2, dash: [8, 6], points: { show: false } },
    ],
    // Days are written as 00:00 UTC: read them in UTC, whatever the office computer's zone.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    hooks: {
      draw: [
        (u) => {
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
        },
      ],
    },
  });

  const data = (): uPlot.AlignedData => {
    const s = series();
    return [s.days, s.perDay, s.cumulative, s.due];
  };

  // Drawn again on new numbers (a refetch, another region) or another language.
  createEffect(() => {
    // Read only when ready: reading a resource that failed throws.
    if (lib.state !== 'ready') return;
    const uPlot = lib();
    const next = options(uPlot);
    const values = data();
    plot?.destroy();
    plot = new uPlot(next, values, box);
  });
  onMount(() => {
    const observer = new ResizeObserver(() => plot?.setSize(size()));
    observer.observe(box);
    onCleanup(() => observer.disconnect());
  });
  onCleanup(() => plot?.destroy());
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
          {t('o.chart.due')}（{formatCount(props.expected)}）
        </li>
        <li>
          <span class="o-swatch deadline" aria-hidden="true" />
          {t('o.chart.deadline')}（{formatDate(props.deadline)}）
        </li>
      </ul>
      <div class="o-chart-canvas" ref={box} role="img" aria-labelledby="o-chart-title o-chart-summary" data-ready={lib.state === 'ready' ? 'true' : undefined} />
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
