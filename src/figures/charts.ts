/**
 * The chart side of the figure stage: ```chart and ```vega-lite fences go to renderChart
 * (./chart/index.ts, vega + vega-lite in Node), loaded only for a deck that has a chart.
 */
import type { Diagnostic, FigureFence, FigureJob } from '../types.js';
import type { FigureTheme } from './types.js';

type ChartModule = typeof import('./chart/index.js');

let loaded: Promise<ChartModule | Error> | undefined;

/** vega, vega-lite and fontkit load with the first chart, never for a deck without one. */
function loadCharts(): Promise<ChartModule | Error> {
  loaded ??= import('./chart/index.js').catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  return loaded;
}

export async function renderChartFence(
  fence: FigureFence,
  job: FigureJob,
  theme: FigureTheme,
  id: string,
): Promise<{ svg: string; diagnostics: Diagnostic[]; dataFiles: string[] }> {
  const charts = await loadCharts();
  if (charts instanceof Error || fence.lang === 'mermaid') {
    // Shown as code, with the warning saying why: the source is never lost.
    return {
      svg: '',
      diagnostics: [
        {
          severity: 'warning',
          code: 'figure-not-drawn',
          message: `this \`\`\`${fence.lang} fence is shown as code: the chart renderer did not load (${charts instanceof Error ? charts.message : 'not a chart'}); reinstall decksmith's dependencies`,
          file: job.file,
          line: fence.line - 1,
        },
      ],
      dataFiles: [],
    };
  }
  return charts.renderChart({
    lang: fence.lang,
    source: fence.source,
    file: job.file,
    line: fence.line,
    deckDir: job.deckDir,
    root: job.root,
    theme,
    id,
  });
}
