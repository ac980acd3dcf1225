/**
 * The chart side of the figure stage: ```chart and ```vega-lite fences go to renderChart
 * (./chart/index.ts, vega + vega-lite in Node), loaded only for a deck that has a chart.
 */
import type { Diagnostic, FigureFence, FigureJob } from '../types.js';
import type { FigureTheme } from './types.js';

/** The agreed interface of ./chart/index.ts. */
interface ChartModule {
  renderChart(input: {
    lang: 'chart' | 'vega-lite';
    source: string;
    file: string;
    line: number;
    deckDir: string;
    root: string;
    theme: FigureTheme;
    id: string;
  }): Promise<{ svg: string; diagnostics: Diagnostic[] }>;
}

let loaded: Promise<ChartModule | undefined> | undefined;

function loadCharts(): Promise<ChartModule | undefined> {
  // A specifier in a variable: the chart module is written on another branch (issue #13, part 2);
  // once merged this can become a plain `import('./chart/index.js')`.
  const specifier = './chart/index.js';
  loaded ??= (import(specifier) as Promise<ChartModule>).catch(() => undefined);
  return loaded;
}

export async function renderChartFence(
  fence: FigureFence,
  job: FigureJob,
  theme: FigureTheme,
  id: string,
): Promise<{ svg: string; diagnostics: Diagnostic[] }> {
  const charts = await loadCharts();
  if (charts === undefined || fence.lang === 'mermaid') {
    // Shown as code, with the warning saying why: the source is never lost.
    return {
      svg: '',
      diagnostics: [
        {
          severity: 'warning',
          code: 'figure-not-drawn',
          message: `this \`\`\`${fence.lang} fence is shown as code: this build of decksmith has no chart renderer`,
          file: job.file,
          line: fence.line - 1,
        },
      ],
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
