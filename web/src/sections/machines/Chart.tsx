// A time-series chart drawn by uPlot (a maintained canvas charting library): one or more series
// over shared timestamps. Re-created when the data change; sized to its container.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface SeriesDef {
  label: string;
  color: string;
  values: Array<number | null>;
  bars?: boolean;
}

export function Chart({ title, times, series, unit, testId }: { title: string; times: number[]; series: SeriesDef[]; unit: string; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(260, el.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 200,
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            fill: s.bars ? `${s.color}55` : undefined,
            paths: s.bars ? uPlot.paths.bars!({ size: [0.8, 40] }) : undefined,
            spanGaps: false,
          })),
        ],
        axes: [{}, { label: unit, size: 56 }],
        scales: { x: { time: true } },
        legend: { show: true },
      },
      [times, ...series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    const resize = () => plot.setSize({ width: Math.max(260, el.clientWidth), height: 200 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [times, series, unit]);
  return (
    <figure className="chart" data-testid={testId} data-points={times.length}>
      <figcaption>{title}</figcaption>
      <div ref={box} />
    </figure>
  );
}
