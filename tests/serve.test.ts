import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDeck, type RunningServer } from '../src/serve/index.js';
import { tempDir, until } from './helpers.js';

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw path, unnormalised by URL parsing, so traversal attempts reach the server as written. */
function getRaw(server: RunningServer, path: string): Promise<number> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Collects server-sent event names from the live-reload stream. */
function listen(server: RunningServer): { events: string[]; close: () => void } {
  const events: string[] = [];
  const req = request(new URL('__decksmith/events', server.url), (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      for (const m of chunk.matchAll(/^event: (\w+)$/gm)) events.push(m[1] ?? '');
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { events, close: () => req.destroy() };
}

describe('decksmith serve', () => {
  const tmp = tempDir();
  const deckDir = join(tmp.dir, 'deck');
  const file = join(deckDir, 'talk.md');
  const failures: string[] = [];
  let server: RunningServer;

  beforeAll(async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(deckDir);
    writeFileSync(join(tmp.dir, 'secret.txt'), 'TOP SECRET');
    mkdirSync(join(tmp.dir, 'decksmith-serve-sibling'));
    writeFileSync(file, '# Live\n\nFirst version\n');
    server = await serveDeck(file, { port: 0, debounceMs: 30, onBuild: ({ error }) => error && failures.push(error.code) });
  });
  afterAll(async () => {
    await server?.close();
    tmp.cleanup();
  });

  it('listens on loopback and serves the deck with the live-reload client', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(server.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('First version');
    expect(page.body).toContain('/__decksmith/events');
    expect((await get(new URL('assets/reveal/reveal.js', server.url).href)).status).toBe(200);
  });

  // The build folder is <tmpdir>/decksmith-serve-*/talk/, so two levels up is the system temp
  // folder, where this test's own folder (holding secret.txt) lives.
  it.each(['/../../{dir}/secret.txt', '/..%2f..%2f{dir}%2fsecret.txt', '/%2e%2e/%2e%2e/{dir}/secret.txt', '/..%5c..%5c{dir}%5csecret.txt', `/${'..%2f'.repeat(12)}etc%2fpasswd`, '//etc/passwd', '/%00'])(
    'refuses to serve %s',
    async (pattern) => {
      const path = pattern.replace('{dir}', basename(tmp.dir));
      const status = await getRaw(server, path);
      expect(status).toBe(404);
    },
  );

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get(server.url, { host: 'evil.example:80' })).status).toBe(403);
  });

  it('reloads on save, shows a build error without dropping the last good deck, and recovers', async () => {
    const stream = listen(server);
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(file, '# Live\n\nSecond version\n');
    await until(() => stream.events.includes('reload'));
    expect((await get(server.url)).body).toContain('Second version');

    writeFileSync(file, '---\ntitle: [broken\n---\n# Live\n');
    await until(() => stream.events.includes('failed'));
    expect(failures).toContain('front-matter-yaml');
    expect((await get(server.url)).body).toContain('Second version');

    const reloadsBefore = stream.events.filter((e) => e === 'reload').length;
    writeFileSync(file, '# Live\n\nThird version\n');
    await until(() => stream.events.filter((e) => e === 'reload').length > reloadsBefore);
    expect((await get(server.url)).body).toContain('Third version');
    stream.close();
  });

  it('says clearly when the port is taken', async () => {
    const port = Number(new URL(server.url).port);
    await expect(serveDeck(file, { port })).rejects.toMatchObject({ code: 'serve-listen', message: expect.stringContaining('the port is in use') });
  });
});
