// Serves the fixture sites (tests/sites/<host>/) over HTTPS under the sites' real host names.
// The same server backs the demo and the end-to-end tests: one source of pages.
//
// - The Host header picks the folder; `/__kit/<file>` is served from tests/sites/_kit/ on every host.
// - A path naming a file serves it; any other path without a file extension serves the host's
//   index.html (single-page app); a missing asset is a 404.
// - `?csp=strict` on a page adds `Content-Security-Policy: script-src 'self'; object-src 'none'`,
//   the policy under which Chromium refuses wasm in content scripts.
// - Every request is recorded, so a test can assert which hosts were contacted.
import { createServer } from 'node:https';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { makeCertificate } from './certs.mjs';

export const SITES_DIR = resolve(fileURLToPath(new URL('../sites/', import.meta.url)));
export const STRICT_CSP = "script-src 'self'; object-src 'none'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The fixture catalogue: sites, hosts and the pages the demo and tests open. */
export function fixtureSites() {
  const index = JSON.parse(readFileSync(join(SITES_DIR, 'index.json'), 'utf8'));
  return Array.isArray(index) ? index : index.sites;
}

export function fixtureHosts() {
  return [...new Set(fixtureSites().map((site) => site.host))];
}

/** Resolves `relative` inside `base`, refusing anything that climbs out of it. */
function inside(base, relative) {
  const target = normalize(join(base, relative));
  return target === base || target.startsWith(base + sep) ? target : null;
}

async function fileAt(path) {
  if (!path) return null;
  try {
    return (await stat(path)).isFile() ? path : null;
  } catch {
    return null;
  }
}

/** App routes (no file extension) get the host's index.html; a missing asset stays a 404. */
async function appShell(siteDir, pathname) {
  return extname(pathname) ? null : fileAt(join(siteDir, 'index.html'));
}

/**
 * A loopback address of its own for this run (127.x.y.z): Firefox reaches the fixtures on port
 * 443 of whatever address `network.dns.forceResolve` names, so two runs on one machine (a
 * developer's and CI's) never fight over 127.0.0.1:443.
 */
export function privateLoopback() {
  const byte = () => 1 + Math.floor(Math.random() * 250);
  return `127.${byte()}.${byte()}.${byte()}`;
}

export async function startServer({ port = 0, host = '127.0.0.1' } = {}) {
  const hosts = fixtureHosts();
  const { key, cert } = makeCertificate(hosts);
  const requests = [];
  const server = createServer({ key, cert }, async (req, res) => {
    const hostName = String(req.headers.host || '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url, `https://${hostName || 'invalid'}`);
    requests.push({ host: hostName, path: url.pathname, at: Date.now() });
    const siteDir = hosts.includes(hostName) ? join(SITES_DIR, hostName) : null;
    if (!siteDir) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no fixture for host ${hostName}\n`);
      return;
    }
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = pathname.startsWith('/__kit/')
      ? await fileAt(inside(join(SITES_DIR, '_kit'), pathname.slice('/__kit/'.length)))
      : (await fileAt(inside(siteDir, pathname))) ?? (await appShell(siteDir, pathname));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-store' };
    if (type.startsWith('text/html') && url.searchParams.get('csp') === 'strict') {
      headers['content-security-policy'] = STRICT_CSP;
    }
    res.writeHead(200, headers).end(await readFile(file));
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  return {
    port: server.address().port,
    address: host,
    hosts,
    requests,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
