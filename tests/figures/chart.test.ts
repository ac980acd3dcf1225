/**
 * ```chart and ```vega-lite fences to SVG (src/figures/chart/): the data rules, the errors an
 * author sees (file and line in the deck), what a hostile fence cannot do, and the SVG's
 * accessible name, ids, colours and determinism. What a browser shows of the SVG is in
 * chart-browser.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FigureError } from '../../src/errors.js';
import { renderChart, type ChartInput } from '../../src/figures/chart/index.js';
import { contrast } from '../../src/figures/chart/colour.js';
import { FontMeasurer } from '../../src/figures/chart/text-metrics.js';
import { fixture, tempDir } from '../helpers.js';
import { THEMES, type ThemeName } from './chart-themes.js';

const dataDir = fixture('charts');

/** A chart fence of deck.md whose first content line is deck line 20. */
function input(lang: ChartInput['lang'], source: string, extra: Partial<ChartInput> = {}): ChartInput {
  return { lang, source, file: 'talk/deck.md', line: 20, deckDir: dataDir, root: dataDir, theme: THEMES.paper, id: 'fig-1', ...extra };
}

async function failure(promise: Promise<unknown>): Promise<FigureError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FigureError);
  return error as FigureError;
}

/** The text content of every <text> element, in order (entities as written). */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? '');
}

const ROWS = 'data:\n  - {month: Jan, sales: 12}\n  - {month: Feb, sales: 19}\n  - {month: Mar, sales: 15}\n';

describe('chart fences', () => {
  it('draw a bar chart from inline rows, named for screen readers', async () => {
    const { svg, diagnostics } = await renderChart(input('chart', `type: bar\ntitle: Sales by month\nx: month\ny: sales\n${ROWS}`));
    expect(diagnostics).toEqual([]);
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-label="Sales by month"><title>Sales by month<\/title>/);
    expect(svg.match(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/)?.[1]?.match(/<path/g)).toHaveLength(3);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Jan', 'Feb', 'Mar', 'month', 'sales', 'Sales by month']));
  });

  it('draw a chart from a CSV file next to the deck, one series per color value', async () => {
    const { svg, diagnostics, dataFiles } = await renderChart(
      input('chart', 'type: line\nx: month\ny: sales\ncolor: region\ndata: sales.csv\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(dataFiles).toEqual([join(dataDir, 'sales.csv')]);
    // One line per region, each in its own group, and a dot on each of the six points.
    expect(svg.match(/<g class="mark-line role-mark/g)).toHaveLength(2);
    expect(svg.match(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/)?.[1]?.match(/<path/g)).toHaveLength(6);
    expect(texts(svg)).toEqual(expect.arrayContaining(['North', 'South', 'Jan', 'Mar', 'region']));
    // Without a title, the accessible name says what the chart shows.
    expect(svg).toContain('aria-label="Line chart of sales by month, per region"');
  });

  it('draw a chart from a JSON file', async () => {
    const { svg } = await renderChart(input('chart', 'type: bar\nx: people\ny: team\ndata: teams.json\n'));
    expect(texts(svg)).toEqual(expect.arrayContaining(['Data science', 'ML engineering', 'Platform']));
  });

  it('draw a chart from a CSV table written in the fence', async () => {
    const { svg } = await renderChart(input('chart', 'type: bar\nx: step\ny: weeks\ndata: |\n  step,weeks\n  Collect,3\n  Train,2\n'));
    expect(texts(svg)).toEqual(expect.arrayContaining(['Collect', 'Train']));
  });

  const MARKS = { bar: 'mark-rect', line: 'mark-line', area: 'mark-area', scatter: 'mark-symbol', pie: 'mark-arc' } as const;
  for (const [type, mark] of Object.entries(MARKS)) {
    it(`draw type: ${type} with no warning`, async () => {
      const x = type === 'scatter' ? 'sales' : 'month';
      const y = type === 'scatter' ? 'cost' : 'sales';
      const rows =
        'data:\n  - {month: Jan, sales: 12, cost: 3}\n  - {month: Feb, sales: 19, cost: 7}\n  - {month: Mar, sales: 15, cost: 5}\n';
      const { svg, diagnostics } = await renderChart(input('chart', `type: ${type}\nx: ${x}\ny: ${y}\n${rows}`));
      expect(diagnostics).toEqual([]);
      expect(svg).toContain(`class="${mark} role-mark`);
      expect(svg.length).toBeGreaterThan(1000);
    });
  }

  it('read dates as dates, the same in every time zone', async () => {
    const source =
      'type: line\nx: day\ny: users\ndata:\n  - {day: 2026-01-01, users: 3}\n  - {day: 2026-02-01, users: 5}\n  - {day: 2026-03-01, users: 4}\n';
    const zone = process.env['TZ'];
    const svgs: string[] = [];
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
        process.env['TZ'] = tz;
        svgs.push((await renderChart(input('chart', source))).svg);
      }
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
    expect(texts(svgs[0] ?? '')).toEqual(expect.arrayContaining(['February', 'March']));
    expect(svgs[1]).toBe(svgs[0]);
    expect(svgs[2]).toBe(svgs[0]);
  });

  it('name an unknown key at its line, with the key meant', async () => {
    const error = await failure(renderChart(input('chart', `type: bar\nx: month\nyy: sales\n${ROWS}`)));
    expect(error.code).toBe('figure-syntax');
    expect([error.file, error.line]).toEqual(['talk/deck.md', 22]);
    expect(error.message).toContain('unknown key "yy"');
    expect(error.hint).toContain('"y"');
  });

  it('name a wrong type at its line', async () => {
    const error = await failure(renderChart(input('chart', `x: month\ny: sales\ntype: donut\n${ROWS}`)));
    expect([error.code, error.line]).toEqual(['figure-syntax', 22]);
    expect(error.hint).toContain('bar, line, area, scatter, pie');
  });

  it('name a column the data does not have, and the columns it has', async () => {
    const error = await failure(renderChart(input('chart', 'type: bar\nx: month\ny: revenue\ndata: sales.csv\n')));
    expect([error.code, error.line]).toEqual(['figure-data', 22]);
    expect(error.message).toContain('"revenue"');
    expect(error.hint).toContain('month, sales, region');
  });
});

describe('vega-lite fences', () => {
  const json = `{
  "title": "Hand-offs per quarter",
  "data": {"values": [{"q": "Q1", "n": 4}, {"q": "Q2", "n": 7}, {"q": "Q3", "n": 5}]},
  "mark": "bar",
  "encoding": {"x": {"field": "q", "type": "nominal"}, "y": {"field": "n", "type": "quantitative"}}
}`;
  const yaml = `title: Hand-offs per quarter
data:
  values:
    - {q: Q1, n: 4}
    - {q: Q2, n: 7}
    - {q: Q3, n: 5}
mark: bar
encoding:
  x: {field: q, type: nominal}
  y: {field: n, type: quantitative}
`;

  it('take JSON and YAML alike: the same spec draws the same SVG', async () => {
    const fromJson = await renderChart(input('vega-lite', json));
    const fromYaml = await renderChart(input('vega-lite', yaml));
    expect(fromJson.diagnostics).toEqual([]);
    expect(fromJson.svg).toBe(fromYaml.svg);
    expect(texts(fromJson.svg)).toEqual(expect.arrayContaining(['Q1', 'Q2', 'Q3', 'Hand-offs per quarter']));
    expect(fromJson.svg).toContain('aria-label="Hand-offs per quarter"');
  });

  it('name the deck line of a JSON mistake', async () => {
    const broken = json.replace('"mark": "bar",', '"mark": "bar"');
    const error = await failure(renderChart(input('vega-lite', broken)));
    expect(error.code).toBe('figure-syntax');
    expect(error.message).toContain('not valid JSON');
    // The missing comma is after line 4 of the fence; the parser stops at line 5 (deck line 24).
    expect(error.line).toBeGreaterThanOrEqual(23);
    expect(error.line).toBeLessThanOrEqual(24);
    expect(error.format()).toMatch(/^talk\/deck\.md:2[34]: /);
  });

  it('name the deck line of a YAML mistake', async () => {
    const error = await failure(renderChart(input('vega-lite', yaml.replace('mark: bar', 'mark: bar\nmark: line'))));
    expect([error.code, error.line]).toEqual(['figure-syntax', 27]);
    expect(error.message).toMatch(/not valid YAML: .*unique/);
  });

  // Unguarded, the YAML parser runs out of stack at 5,000 levels and the process out of memory at 50,000.
  it("refuse a fence nested past any chart's need, at its line, without exhausting the stack", async () => {
    const deep = `{"mark": "bar",\n "data": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const error = await failure(renderChart(input('vega-lite', deep)));
    expect([error.code, error.line]).toEqual(['figure-syntax', 21]);
    expect(error.message).toContain('nests deeper than 64 levels');
  });

  it("pass on Vega-Lite's own message for a spec it cannot compile", async () => {
    const error = await failure(renderChart(input('vega-lite', 'mark: bar\nencoding: {x: {field: a, type: nominal}}\nlayer: 3\n')));
    expect(error.code).toBe('figure-syntax');
    expect(error.message).toContain('cannot be drawn');
    expect(error.line).toBe(20);
  });

  it("pass on Vega's message for an expression it cannot parse", async () => {
    const spec = `${yaml}transform:\n  - {calculate: "datum.n +* 2", as: m}\n`;
    const error = await failure(renderChart(input('vega-lite', spec)));
    expect(error.code).toBe('figure-syntax');
    expect(error.message).toMatch(/Vega.*(Unexpected|token)/i);
  });

  it("pass on Vega-Lite's warnings as warnings at the fence, and Vega's run-time errors as errors", async () => {
    const values = 'data: {values: [{a: A, b: 1}]}\n';
    const warned = await renderChart(
      input(
        'vega-lite',
        `mark: bar\n${values}encoding:\n  x: {field: a, type: nominal}\n  y: {field: b, type: quantitative}\n  size: {field: a, type: nominal}\n`,
      ),
    );
    expect(warned.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'chart-warning', line: 20, message: expect.stringContaining('Channel size') }),
    ]);
    const spec = `mark: bar\n${values}transform: [{calculate: "datum.a.b.c", as: z}]\nencoding: {x: {field: z, type: nominal}}\n`;
    const error = await failure(renderChart(input('vega-lite', spec)));
    expect([error.code, error.line]).toEqual(['figure-syntax', 20]);
    expect(error.message).toContain("Vega: Cannot read properties of undefined (reading 'c')");
  });

  it('evaluate expressions without compiling code (no Function, no eval)', async () => {
    const spec = `${yaml}transform:\n  - {calculate: "datum.n * 2 + (datum.q == 'Q2' ? 1 : 0)", as: m}\n  - {filter: "datum.m > 8"}\n`;
    const original = globalThis.Function;
    // biome-ignore lint/security/noGlobalEval: replaced by a spy (never called here) to prove a chart does not call it
    const originalEval = globalThis.eval;
    const calls: string[] = [];
    globalThis.Function = new Proxy(original, {
      apply: (target, self, args: unknown[]) => {
        calls.push(String(args.at(-1)));
        return Reflect.apply(target, self, args);
      },
      construct: (target, args: unknown[]) => {
        calls.push(String(args.at(-1)));
        return Reflect.construct(target, args);
      },
    });
    globalThis.eval = (code: string) => {
      calls.push(code);
      throw new Error('eval is not for charts');
    };
    let svg: string;
    try {
      ({ svg } = await renderChart(input('vega-lite', spec)));
    } finally {
      globalThis.Function = original;
      globalThis.eval = originalEval;
    }
    expect(calls).toEqual([]);
    // Q1 (4 → 8) is filtered out; Q2 (7 → 15) and Q3 (5 → 10) stay.
    expect(texts(svg)).toEqual(expect.arrayContaining(['Q2', 'Q3']));
    expect(texts(svg)).not.toContain('Q1');
  });
});

describe('chart data files', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('name the file and the line of a malformed CSV row', async () => {
    const error = await failure(renderChart(input('chart', 'type: bar\nx: month\ny: sales\ndata: malformed.csv\n')));
    expect(error.code).toBe('figure-data');
    expect([error.file, error.line]).toEqual(['talk/deck.md', 23]);
    expect(error.message).toContain('"malformed.csv" line 4');
    expect(error.message).toContain('Invalid Record Length');
  });

  it('name the file and the line of malformed JSON', async () => {
    const deckDir = join(tmp.dir, 'json');
    mkdirSync(deckDir);
    writeFileSync(join(deckDir, 'broken.json'), '[\n  {"team": "Data", "people": 6},\n  {"team": "ML" "people": 4}\n]\n');
    const error = await failure(renderChart(input('vega-lite', 'mark: bar\ndata: {url: broken.json}\n', { deckDir, root: deckDir })));
    expect(error.code).toBe('figure-data');
    expect(error.line).toBe(21);
    expect(error.message).toMatch(/"broken\.json"( line 3)? is not valid JSON/);
  });

  it('name a missing file and where it was looked for', async () => {
    const error = await failure(renderChart(input('chart', 'type: bar\nx: a\ny: b\ndata: nowhere.csv\n')));
    expect([error.code, error.line]).toEqual(['figure-data', 23]);
    expect(error.message).toContain(`"nowhere.csv" does not exist (${join(dataDir, 'nowhere.csv')})`);
  });

  it('refuse a file outside the root, and one reached through a symbolic link', async () => {
    const deckDir = join(tmp.dir, 'talk');
    mkdirSync(deckDir);
    writeFileSync(join(tmp.dir, 'private.csv'), 'a,b\nCANARY,1\n');
    symlinkSync(join(tmp.dir, 'private.csv'), join(deckDir, 'linked.csv'));
    for (const ref of ['../private.csv', 'linked.csv', join(tmp.dir, 'private.csv')]) {
      const error = await failure(renderChart(input('chart', `type: bar\nx: a\ny: b\ndata: ${ref}\n`, { deckDir, root: deckDir })));
      expect(error.code, ref).toBe('figure-data');
      expect(error.message, ref).toContain('is outside');
      expect(error.message).not.toContain('CANARY');
    }
  });

  it('refuse more rows than a chart draws, and a named pipe, without hanging', async () => {
    const deckDir = join(tmp.dir, 'big');
    mkdirSync(deckDir);
    writeFileSync(join(deckDir, 'rows.csv'), `a,b\n${'x,1\n'.repeat(50_001)}`);
    const big = await failure(renderChart(input('chart', 'type: bar\nx: a\ny: b\ndata: rows.csv\n', { deckDir, root: deckDir })));
    expect([big.code, big.line]).toEqual(['figure-data', 23]);
    expect(big.message).toContain('more than 50000 rows');
    // Counted in rows, not lines: a cell with a line break in it does not halve the cap.
    writeFileSync(join(deckDir, 'tall.csv'), `a,b\n${'"x\ny",1\n'.repeat(50_001)}`);
    const tall = await failure(renderChart(input('chart', 'type: bar\nx: a\ny: b\ndata: tall.csv\n', { deckDir, root: deckDir })));
    expect(tall.message).toContain('more than 50000 rows');
    execFileSync('mkfifo', [join(deckDir, 'pipe.csv')]);
    const pipe = await failure(renderChart(input('chart', 'type: bar\nx: a\ny: b\ndata: pipe.csv\n', { deckDir, root: deckDir })));
    expect(pipe.message).toContain('"pipe.csv" is a named pipe (FIFO), not a regular file');
  });

  it('refuse a file that is not text', async () => {
    const deckDir = join(tmp.dir, 'binary');
    mkdirSync(deckDir);
    writeFileSync(join(deckDir, 'data.csv'), Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x2c, 0x31]));
    const error = await failure(renderChart(input('chart', 'type: bar\nx: a\ny: b\ndata: data.csv\n', { deckDir, root: deckDir })));
    expect(error.message).toContain('not UTF-8');
  });
});

describe('charts reach no network', () => {
  let server: Server;
  let base: string;
  const requests: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end('q,n\nCANARY,1\n');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('refuse a remote data url with a warning at its line, and fetch nothing', async () => {
    const spec = `mark: bar\ndata:\n  url: ${base}/data.csv\nencoding:\n  x: {field: q, type: nominal}\n`;
    const { svg, diagnostics } = await renderChart(input('vega-lite', spec));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', code: 'chart-url-refused', file: 'talk/deck.md', line: 22 });
    expect(diagnostics[0]?.message).toContain(`${base}/data.csv`);
    expect(svg).not.toContain('CANARY');

    const short = await renderChart(input('chart', `type: bar\nx: q\ny: n\ndata: //127.0.0.1:${base.split(':').at(-1)}/short.csv\n`));
    expect(short.diagnostics.map((d) => [d.code, d.line])).toEqual([['chart-url-refused', 23]]);
    expect(requests).toEqual([]);
  });

  it('leave out links and images, which would reach the network when the slide is shown', async () => {
    const spec = `data:\n  values:\n    - {q: Q1, n: 4, img: "${base}/pic.png", link: "javascript:alert(1)"}\nlayer:\n  - mark: bar\n    encoding:\n      x: {field: q, type: nominal}\n      y: {field: n, type: quantitative}\n      href: {field: link}\n  - mark: {type: image, width: 20, height: 20}\n    encoding:\n      x: {field: q, type: nominal}\n      url: {field: img}\n`;
    const { svg, diagnostics } = await renderChart(input('vega-lite', spec));
    expect(requests).toEqual([]);
    expect(svg).not.toContain(base);
    expect(svg).not.toContain('javascript:');
    expect(svg).not.toMatch(/<a\b/);
    expect(diagnostics.filter((d) => d.code === 'chart-url-refused').map((d) => d.message)).toEqual([
      expect.stringContaining(`${base}/pic.png`),
      expect.stringContaining('javascript:alert(1)'),
    ]);
  });
});

describe('chart SVG', () => {
  it('escapes a label that holds markup: no <script>, no new element', async () => {
    const source = `type: bar\ntitle: "<script>alert(1)</script> & co"\nx: who\ny: n\ndata:\n  - {who: "<script>alert(2)</script>", n: 3}\n  - {who: "<img src=x onerror=alert(3)>", n: 4}\n`;
    const { svg } = await renderChart(input('chart', source));
    expect(svg).not.toMatch(/<script|<img/i);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(svg).toContain('aria-label="&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"');
    expect(texts(svg).join(' ')).toContain('&lt;script&gt;alert(2)');
  });

  it('is the same bytes for the same input, whatever was drawn before', async () => {
    const source = `type: area\nx: month\ny: sales\ncolor: region\ndata: sales.csv\n`;
    const first = await renderChart(input('chart', source));
    await renderChart(
      input(
        'vega-lite',
        'mark: arc\ndata: {values: [{a: 1}, {a: 2}]}\nencoding: {theta: {field: a, type: quantitative}, color: {field: a, type: nominal}}\n',
      ),
    );
    const [second, third] = await Promise.all([renderChart(input('chart', source)), renderChart(input('chart', source))]);
    expect(second.svg).toBe(first.svg);
    expect(third.svg).toBe(first.svg);
  });

  it('prefixes every id with the figure id, so two charts on a page never clash', async () => {
    // A clipped layer makes Vega write a clip path (an id and a url(#…) that points at it).
    const spec =
      'data: {values: [{a: 1, b: 2}, {a: 5, b: 9}]}\nmark: {type: line, clip: true}\nencoding:\n  x: {field: a, type: quantitative, scale: {domain: [0, 3]}}\n  y: {field: b, type: quantitative}\n';
    const one = await renderChart(input('vega-lite', spec, { id: 'fig-1' }));
    const two = await renderChart(input('vega-lite', spec, { id: 'fig-2' }));
    const ids = (svg: string) => [...svg.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]);
    expect(ids(one.svg).length).toBeGreaterThan(0);
    expect(ids(one.svg).every((id) => id?.startsWith('fig-1-'))).toBe(true);
    expect(ids(two.svg).every((id) => id?.startsWith('fig-2-'))).toBe(true);
    for (const ref of one.svg.matchAll(/url\(#([^)]*)\)/g)) expect(ids(one.svg)).toContain(ref[1]);
    expect(one.svg.replaceAll('fig-1-', 'fig-2-')).toBe(two.svg);
  });

  for (const name of Object.keys(THEMES) as ThemeName[]) {
    it(`gives all text 4.5:1 against the background, in the theme's font (${name})`, async () => {
      const theme = THEMES[name];
      const { svg } = await renderChart(
        input('chart', 'type: bar\ntitle: Sales\nx: month\ny: sales\ncolor: region\ndata: sales.csv\n', { theme }),
      );
      const fills = [...svg.matchAll(/<text\b[^>]*\bfill="([^"]+)"/g)].map((m) => m[1] ?? '');
      expect(fills.length).toBe(texts(svg).length);
      expect(fills.length).toBeGreaterThan(8);
      for (const fill of new Set(fills))
        expect(contrast(fill, theme.background), `${fill} on ${theme.background}`).toBeGreaterThanOrEqual(4.5);
      const families = new Set([...svg.matchAll(/<text\b[^>]*\bfont-family="([^"]+)"/g)].map((m) => m[1]));
      expect([...families]).toEqual([theme.fontFamily.replaceAll('"', '&quot;')]);
      expect(svg).not.toMatch(/<rect[^>]*fill="(white|#fff(fff)?)"/);
    });
  }
});

describe('chart text widths', () => {
  it("come from the font files, not from Vega's 0.8 em guess", async () => {
    const estimate = (item: { fontSize?: unknown }, text: string) => 0.8 * text.length * Number(item.fontSize);
    const measurer = await FontMeasurer.create(THEMES.paper.fonts, estimate);
    const item = { font: THEMES.paper.fontFamily, fontSize: 18, fontWeight: 400 };
    for (const label of ['Data collection', 'Monitoring', 'Maintenance and debugging', 'illicit']) {
      const width = measurer.width(item, label);
      expect(width).toBeGreaterThan(0);
      const off = Math.abs(width - estimate(item, label)) / width;
      expect(off, label).toBeGreaterThan(0.1);
    }
    // Wider glyphs measure wider; bold wider than regular; a limit caps the width.
    expect(measurer.width(item, 'WWW')).toBeGreaterThan(measurer.width(item, 'iii') * 2);
    expect(measurer.width({ ...item, fontWeight: 700 }, 'Monitoring')).toBeGreaterThan(measurer.width(item, 'Monitoring'));
    expect(measurer.width({ ...item, limit: 40 }, 'Maintenance and debugging')).toBe(40);
    // A family the theme has no file for falls back to Vega's estimate.
    expect(measurer.width({ ...item, font: 'Nope, serif' }, 'abc')).toBe(estimate(item, 'abc'));
  });
});
