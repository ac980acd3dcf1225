import { serveDeck } from '../../serve/index.js';
import { formatDiagnostic, type CliIO } from '../io.js';

export interface ServeFlags {
  port?: number;
  host?: string;
  open?: boolean;
  theme?: string;
  templates?: string;
  root?: string;
  html?: boolean;
}

/** Serves until Ctrl-C (SIGINT) or SIGTERM, then closes the server and watcher and exits 0. */
export async function serveCommand(io: CliIO, input: string, flags: ServeFlags): Promise<number> {
  const server = await serveDeck(input, {
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(flags.theme === undefined ? {} : { theme: flags.theme }),
    ...(flags.templates === undefined ? {} : { templates: flags.templates }),
    ...(flags.root === undefined ? {} : { root: flags.root }),
    ...(flags.html === true ? { html: true } : {}),
    onBuild: ({ built, diagnostics, error }) => {
      for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      if (error !== undefined) io.stderr(`decksmith: ${error.format()}\n  (still serving the last good build; save the file to retry)\n`);
      else if (built !== undefined) io.stderr(`built ${built.deck.slides.length} slides\n`);
    },
  });
  try {
    io.stdout(`Serving ${input} at ${server.url} (Ctrl-C to stop)\n`);
    if (flags.open === true) {
      const { default: open } = await import('open');
      await open(server.url).catch(() => io.stderr(`decksmith: could not open a browser; visit ${server.url}\n`));
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    await server.close();
  }
  return 0;
}
