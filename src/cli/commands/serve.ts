import type { Command } from 'commander';
import { deckOptions } from '../../build/index.js';
import { serveDeck } from '../../serve/index.js';
import type { DeckOptions } from '../../types.js';
import { formatDiagnostic, type CliIO } from '../io.js';
import { stopped } from '../shutdown.js';

export interface ServeFlags extends DeckOptions {
  port?: number;
  host?: string;
  open?: boolean;
}

/** The default port, when not given, moves up this many ports, then to any free one, if taken. */
const FALLBACK_PORTS = 10;

/**
 * Serves until Ctrl-C (SIGINT) or SIGTERM, then closes the server, the watcher and the temp
 * folder and exits 0. A --port given on the command line that is taken is an error; the default
 * one moves to the next free port.
 */
export async function serveCommand(io: CliIO, input: string, flags: ServeFlags, command?: Command): Promise<number> {
  const portGiven = flags.port !== undefined && command?.getOptionValueSource('port') !== 'default';
  // A Ctrl-C during the first build stops that build; the server then closes at once, exit 0.
  const server = await serveDeck(input, {
    ...deckOptions(flags),
    ...(flags.port === undefined ? {} : { port: flags.port }),
    fallbackPorts: portGiven ? 0 : FALLBACK_PORTS,
    ...(flags.host === undefined ? {} : { host: flags.host }),
    signal: io.signal,
    onBuild: ({ built, diagnostics, error }) => {
      for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
      if (error !== undefined) io.stderr(`decksmith: ${error.format()}\n  (the preview shows this error; save the file to retry)\n`);
      else if (built !== undefined) io.stderr(`built ${built.deck.slides.length} slides\n`);
    },
  });
  try {
    const port = Number(new URL(server.url).port);
    const wanted = flags.port ?? 8000;
    if (wanted !== 0 && port !== wanted) io.stderr(`decksmith: port ${wanted} is in use; using ${port}\n`);
    io.stdout(`Serving ${input} at ${server.url} (Ctrl-C to stop)\n`);
    if (flags.open === true) {
      const { default: open } = await import('open');
      await open(server.url).catch(() => io.stderr(`decksmith: could not open a browser; visit ${server.url}\n`));
    }
    await stopped(io.signal);
  } finally {
    await server.close();
  }
  return 0;
}
