/**
 * A loopback HTTP server for ADD <url> fixtures: serves the files of a fixture's `served/` folder (not part of the
 * build context) with a fixed Last-Modified, so both builders download the same bytes. The fixture reads the base
 * URL from the build arg HTTP_BASE.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';

export interface FixtureFileServer {
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  close(): Promise<void>;
}

export const servedFolder = 'served';
const lastModified = new Date(1_705_000_000 * 1000).toUTCString();

/** Starts a server for `<fixtureDir>/served`, or returns undefined when the fixture serves nothing. */
export async function serveFixtureFiles(fixtureDir: string): Promise<FixtureFileServer | undefined> {
  const root = join(fixtureDir, servedFolder);
  if (!existsSync(root)) return undefined;
  const server = createServer((req, res) => {
    const rel = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\/|\.\.\/)+/,
      '',
    );
    const file = join(root, rel);
    if (rel === '' || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { 'Content-Length': body.length, 'Last-Modified': lastModified });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
