// Serves the fixture sites (tests/sites/<host>/) over HTTPS under the sites' real host names.
// The same server backs the demo and the end-to-end tests: one source of pages.
//
// - The Host header picks the folder; `/__kit/<file>` is served from tests/sites/_kit/ on every host.
// - A path naming a file serves it; any other path without a file extension serves the host's
//   index.html (single-page app); a missing asset is a 404.
// - `?csp=strict` on a page adds `Content-Security-Policy: script-src 'self'; object-src 'none'`,
//   the policy under which Chromium refuses wasm in content scripts.
// - Every request is recorded, so a test can assert which hosts were contacted.
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
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
  const record = (req, scheme) => {
    const hostName = String(req.headers.host || '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url, `${scheme}://${hostName || 'invalid'}`);
    requests.push({
      scheme,
      host: hostName,
      path: url.pathname,
      origin: req.headers.origin ?? null,
      referer: req.headers.referer ?? null,
      at: Date.now(),
    });
    return { hostName, url };
  };
  const server = createServer({ key, cert }, async (req, res) => {
    const { hostName, url } = record(req, 'https');
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
  // Chromium's catch-all host rule sends plain HTTP to this port too: the first byte tells a TLS
  // handshake (0x16) from anything else, which is answered (and recorded) as plain HTTP.
  const plainOnPort = createHttpServer((req, res) => {
    record(req, 'http');
    res.writeHead(404).end();
  });
  const front = createNetServer((socket) => {
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      (first[0] === 0x16 ? server : plainOnPort).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
    socket.on('error', () => {});
  });
  await new Promise((ok, fail) => {
    front.once('error', fail);
    front.listen(port, host, ok);
  });
  // Firefox resolves every host to this address: plain HTTP arrives on port 80.
  let plain = null;
  if (port === 443) {
    plain = createHttpServer((req, res) => {
      record(req, 'http');
      res.writeHead(404).end();
    });
    await new Promise((ok) => {
      plain.once('error', () => {
        plain = null;
        ok();
      });
      plain.listen(80, host, ok);
    });
  }
  return {
    port: front.address().port,
    address: host,
    hosts,
    requests,
    /** Requests the fixture pages cannot have made: see `unexpectedRequests`. */
    unexpected: () => unexpectedRequests(requests, hosts),
    /**
     * Stops serving. Fails when anything but the fixture pages used the network during the run
     * (the extension makes no network requests; every suite checks it this way).
     */
    async close() {
      await Promise.all([
        new Promise((ok) => front.close(ok)),
        plain ? new Promise((ok) => plain.close(ok)) : null,
      ]);
      const unexpected = unexpectedRequests(requests, hosts);
      if (unexpected.length > 0) {
        throw new Error(`network traffic besides the fixture pages: ${JSON.stringify(unexpected.slice(0, 10))}`);
      }
    },
  };
}

/**
 * Every host name is routed to this server (Chromium: a catch-all host rule; Firefox:
 * `network.dns.forceResolve`), so any request made during a run arrives here. The fixture pages
 * only load their own files from their own hosts. Unexpected: a request from an extension page
 * or worker (its `Origin` or `Referer`), one to a host that is not a fixture site, one that is
 * not HTTPS. `/favicon.ico` is the browser's own and allowed.
 */
export function unexpectedRequests(requests, hosts) {
  const extension = /^(chrome|moz)-extension:/;
  return requests.filter(
    (r) =>
      extension.test(r.origin ?? '') ||
      extension.test(r.referer ?? '') ||
      !((r.scheme === 'https' && hosts.includes(r.host)) || browserOwn(r)),
  );
}

/**
 * Requests the browsers make for themselves, with no page or extension behind them (seen on
 * this machine despite the flags and prefs in browsers.mjs): Chromium's update check, its
 * Google account cookie check, its network time, its connectivity check and its spell-check
 * dictionary; Firefox's remote
 * settings. None carries an extension's Origin or Referer (that alone would fail the check). Listed by exact host and path, so nothing else hides behind them.
 */
const BROWSER_OWN = [
  ['https', 'update.googleapis.com', '/service/update2/json'],
  ['http', 'update.googleapis.com', '/service/update2/json'],
  ['https', 'accounts.google.com', '/ListAccounts'],
  ['http', 'clients2.google.com', '/time/1/current'],
  ['http', 'connectivitycheck.gstatic.com', '/generate_204'],
  // Chromium's spell-check dictionary, fetched when a text field is focused.
  ['https', 'redirector.gvt1.com', '/edgedl/chrome/dict/*'],
  ['http', 'redirector.gvt1.com', '/edgedl/chrome/dict/*'],
  // Firefox's remote settings (its server cannot be switched off by a pref in release builds).
  ['https', 'firefox.settings.services.mozilla.com', '/v1/*'],
];
function browserOwn(r) {
  return BROWSER_OWN.some(
    ([scheme, host, path]) =>
      r.scheme === scheme &&
      r.host === host &&
      (path.endsWith('*') ? r.path?.startsWith(path.slice(0, -1)) : r.path === path),
  );
}
