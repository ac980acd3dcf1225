/**
 * `decksmith themes [names...] [--preview] [--out DIR]`: lists the themes with a one-line
 * description; with --preview renders the sample talk in each theme (default: decksmith's own
 * themes) to PNG and writes a gallery page.
 */
import { resolve } from 'node:path';
import { BrowserSession } from '../../browser/session.js';
import { requiredContrast } from '../../browser/measure.js';
import { previewThemes } from '../../export/gallery.js';
import { builtinThemeNames, DEFAULT_THEME, isThemeName, listThemes, resolveThemeOption } from '../../build/theme.js';
import type { CliIO } from '../io.js';

export interface ThemesFlags {
  preview?: boolean;
  /** Gallery folder. @defaultValue "output/themes" */
  out?: string;
}

export async function themesCommand(io: CliIO, names: string[], flags: ThemesFlags): Promise<number> {
  if (flags.preview !== true) {
    const themes = listThemes();
    const width = Math.max(...themes.map((t) => t.name.length));
    let source = '';
    for (const theme of themes) {
      if (theme.source !== source) {
        io.stdout(`${source === '' ? '' : '\n'}${theme.source === 'decksmith' ? "decksmith's themes" : "reveal.js's themes"}:\n`);
        source = theme.source;
      }
      const mark = theme.name === DEFAULT_THEME ? ' (default)' : '';
      io.stdout(`  ${theme.name.padEnd(width)}  ${theme.description}${mark}\n`);
    }
    io.stdout('\nUse one with "theme: NAME" in the front matter or --theme NAME|PATH; "decksmith themes --preview" renders them.\n');
    return 0;
  }
  const themes = names.length > 0 ? names : builtinThemeNames();
  // Resolve first: an unknown name fails before a browser starts.
  for (const theme of themes) resolveThemeOption(theme, io.cwd, 'themes --preview');
  const outDir = resolve(io.cwd, flags.out ?? 'output/themes');
  const session = await BrowserSession.launch({ log: (message) => io.stderr(`${message}\n`), signal: io.signal });
  try {
    const previews = await previewThemes({
      themes: themes.map((t) => (isThemeName(t) ? t : resolve(io.cwd, t))),
      outDir,
      session,
      onTheme: (theme) => io.stderr(`rendering ${theme}…\n`),
    });
    for (const preview of previews) {
      for (const slide of preview.slides) {
        for (const problem of slide.overflow) io.stderr(`${preview.theme}: ${slide.slide} slide: ${problem}\n`);
        const low = slide.texts.filter((t) => t.ratio < requiredContrast('AA', t.large));
        for (const t of low.slice(0, 3)) {
          io.stderr(
            `${preview.theme}: ${slide.slide} slide: contrast ${t.ratio}:1 for "${t.text}" (${t.fg} on ${t.bg}) is below WCAG AA\n`,
          );
        }
      }
      io.stdout(`${preview.sheet}\n`);
    }
    io.stdout(`${resolve(outDir, 'index.html')}\n`);
    return 0;
  } finally {
    await session.close();
  }
}
