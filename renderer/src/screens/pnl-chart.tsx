import { BaselineSeries, createChart, createSeriesMarkers, type SeriesMarker, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import type { PnlHistoryDto } from '../../../shared/api.js';
import { fmtNumber } from '../lib/format.js';

/** Cumulative realized P&L with every fill as a marker (buys below, sells above). */
export function PnlChart({ history, height = 360 }: { history: PnlHistoryDto; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    const chart = createChart(el, {
      autoSize: true,
      height,
      layout: { background: { color: 'transparent' }, textColor: dark ? '#cbd5e1' : '#334155', attributionLogo: true },
      grid: { vertLines: { color: dark ? '#1e293b' : '#eef2f7' }, horzLines: { color: dark ? '#1e293b' : '#eef2f7' } },
      timeScale: { timeVisible: true, secondsVisible: true },
      // Room above and below the line for the fill markers.
      rightPriceScale: { borderVisible: false, scaleMargins: { top: 0.2, bottom: 0.25 } },
    });
    const series = chart.addSeries(BaselineSeries, {
      baseValue: { type: 'price', price: 0 },
      topLineColor: '#16a34a',
      bottomLineColor: '#dc2626',
      topFillColor1: 'rgba(22,163,74,0.25)',
      topFillColor2: 'rgba(22,163,74,0.02)',
      bottomFillColor1: 'rgba(220,38,38,0.02)',
      bottomFillColor2: 'rgba(220,38,38,0.25)',
      lineWidth: 2,
    });
    const data = toSeconds(history.points);
    series.setData(data);
    const times = new Set(data.map((d) => d.time));
    const markers: SeriesMarker<UTCTimestamp>[] = history.fills
      .map((f) => ({ f, time: Math.floor(f.time / 1000) as UTCTimestamp }))
      .filter(({ time }) => times.has(time))
      .map(({ f, time }) => ({
        time,
        position: f.side === 'buy' ? 'belowBar' : 'aboveBar',
        shape: f.side === 'buy' ? 'arrowUp' : 'arrowDown',
        color: f.side === 'buy' ? '#2563eb' : '#ea580c',
        text: `${f.side} ${fmtNumber(f.amount)} ${f.symbol.split('/')[0] ?? ''} @ ${fmtNumber(f.price, 6)}`,
      }));
    createSeriesMarkers(series, markers);
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [history, height]);
  return <div ref={box} className="chart" style={{ height }} data-testid="pnl-chart" role="img" aria-label="Realized P&L over time, fills as markers" />;
}

/** lightweight-charts wants strictly increasing seconds: keep the last value of each second. */
function toSeconds(points: PnlHistoryDto['points']): { time: UTCTimestamp; value: number }[] {
  const out: { time: UTCTimestamp; value: number }[] = [];
  for (const p of points) {
    const time = Math.floor(p.time / 1000) as UTCTimestamp;
    const last = out[out.length - 1];
    if (last && last.time === time) last.value = p.value;
    else out.push({ time, value: p.value });
  }
  return out;
}
