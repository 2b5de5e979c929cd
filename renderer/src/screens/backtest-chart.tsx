import { createChart, createSeriesMarkers, LineSeries, type SeriesMarker, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef } from 'react';
import type { BacktestComparisonDto } from '../../../shared/api.js';

/**
 * Cumulative P&L of the fully matched trades, backtest against live, at each trade's exit; the
 * missed trades are markers on the backtest line.
 */
export function BacktestChart({ comparison, height = 300 }: { comparison: BacktestComparisonDto; height?: number }) {
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
      timeScale: { timeVisible: true },
    });
    const backtest = chart.addSeries(LineSeries, { color: '#64748b', lineWidth: 2, title: 'backtest' });
    const live = chart.addSeries(LineSeries, { color: '#2563eb', lineWidth: 2, title: 'live' });
    const bt: { time: UTCTimestamp; value: number }[] = [];
    const lv: { time: UTCTimestamp; value: number }[] = [];
    const markers: SeriesMarker<UTCTimestamp>[] = [];
    let sumBt = 0;
    let sumLive = 0;
    for (const t of comparison.trades) {
      const at = t.backtest.exit?.time ?? t.backtest.entry.time;
      const time = Math.floor(at / 1000) as UTCTimestamp;
      if (t.match === 'matched') {
        sumBt += t.backtest.profit ?? 0;
        sumLive += t.livePnl ?? 0;
        push(bt, time, sumBt);
        push(lv, time, sumLive);
      } else if (t.match === 'missed' || t.match === 'entry-only' || t.match === 'exit-only') {
        markers.push({ time, position: 'aboveBar', shape: 'circle', color: '#dc2626', text: `#${t.backtest.number} ${t.match}` });
      }
    }
    backtest.setData(bt);
    live.setData(lv);
    const times = new Set(bt.map((p) => p.time));
    createSeriesMarkers(backtest, markers.filter((m) => times.has(m.time)));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [comparison, height]);
  return <div ref={box} className="chart" style={{ height }} data-testid="backtest-chart" role="img" aria-label="Cumulative P&L of matched trades, backtest against live" />;
}

/** lightweight-charts wants strictly increasing times: trades closed in the same second keep the last sum. */
function push(series: { time: UTCTimestamp; value: number }[], time: UTCTimestamp, value: number): void {
  const last = series[series.length - 1];
  if (last && last.time >= time) last.value = value;
  else series.push({ time, value });
}
