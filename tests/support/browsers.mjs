// Launching the real browsers with the built extension: Chromium through playwright-core and
// Firefox ESR through selenium-webdriver + geckodriver. Both reach the fixture server under the
// sites' real host names.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const DIST = join(ROOT, 'dist');
export const GECKO_ID = 'ask-first@ask-first.invalid';
// A fixed internal UUID so tests can open moz-extension:// pages directly.
export const FIREFOX_UUID = '5b7e6a52-3f0e-4c1a-9d3b-0a5f5c1e2d7a';
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const FIREFOX = process.env.FIREFOX_BIN || '/usr/bin/firefox-esr';

// Flags that keep Chromium from reaching for the network (this machine has none) and that let
// it run as root in a container.
const CHROMIUM_QUIET = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--ignore-certificate-errors',
  // Chromium's own services, so that every request left is one a page or the extension made.
  '--disable-client-side-phishing-detection',
  '--disable-domain-reliability',
  '--disable-breakpad',
  '--no-pings',
  '--disable-features=AutofillServerCommunication,OptimizationHints,OptimizationHintsFetching,Translate,MediaRouter,DialMediaRouteProvider,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions',
];

export function chromiumArgs({ port, hosts, extensionDir, address = '127.0.0.1' }) {
  // Every other host too: any request the browser or the extension makes reaches the fixture
  // server, which records it (tests/support/server.mjs: unexpectedRequests).
  const rules = [...hosts.map((host) => `MAP ${host} ${address}:${port}`), `MAP * ${address}:${port}`].join(', ');
  const args = [...CHROMIUM_QUIET, `--host-resolver-rules=${rules}, EXCLUDE localhost`];
  if (extensionDir) {
    args.push(`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`);
  }
  return args;
}

/** Chromium with the unpacked extension; returns the context, the extension id and its worker. */
export async function launchChromium({ port, hosts, address, headless = true, extension = true, profile: reuse = null }) {
  const { chromium } = await import('playwright-core');
  const extensionDir = extension ? join(DIST, 'chromium') : null;
  // `profile`: a profile directory to reuse (a browser restart with the same profile).
  const profile = reuse ?? mkdtempSync(join(tmpdir(), 'ask-first-chromium-'));
  if (!reuse) {
    // No spell checking: a focused text field would make Chromium download a dictionary
    // (redirector.gvt1.com). Switching it off is not enough; the dictionaries must be blocked.
    mkdirSync(join(profile, 'Default'), { recursive: true });
    const spellcheck = { dictionaries: [], dictionary: '', blocked_dictionaries: ['en-US', 'en'], use_spelling_service: false };
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ browser: { enable_spellchecking: false }, spellcheck }));
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless,
    args: chromiumArgs({ port, hosts, extensionDir, address }),
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 860 },
  });
  if (!extension) return { context, profile };
  const worker =
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker', { timeout: 15000 }));
  const extensionId = new URL(worker.url()).host;
  return { context, profile, worker, extensionId, origin: `chrome-extension://${extensionId}` };
}

function which(program) {
  try {
    return execFileSync('which', [program], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

export function geckodriverPath() {
  const candidates = [
    process.env.GECKODRIVER,
    which('geckodriver'),
    join(process.env.CARGO_HOME || join(process.env.HOME || '/root', '.cargo'), 'bin/geckodriver'),
  ];
  const found = candidates.find((path) => path && existsSync(path));
  if (!found) throw new Error('geckodriver not found: run `cargo xtask setup`');
  return found;
}

export function firefoxPackage() {
  const zip = readdirSync(DIST).find((name) => /^ask-first-firefox-.*\.zip$/.test(name));
  if (!zip) throw new Error('no Firefox package in dist/: run `cargo xtask dist`');
  return join(DIST, zip);
}

/**
 * Firefox ESR with the extension installed as a temporary add-on. Every host resolves to
 * `address` (a loopback address), so the fixture server must listen on port 443 there.
 */
export async function launchFirefox({ headless = true, address = '127.0.0.1', prefs = {} } = {}) {
  const { Builder } = await import('selenium-webdriver');
  const firefox = await import('selenium-webdriver/firefox.js');
  const downloads = mkdtempSync(join(tmpdir(), 'ask-first-downloads-'));
  const options = new firefox.Options()
    .setBinary(FIREFOX)
    .setAcceptInsecureCerts(true)
    .setPreference('network.dns.forceResolve', address)
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }))
    // Quiet: no update checks, telemetry, safe-browsing or captive-portal probes.
    .setPreference('app.update.enabled', false)
    .setPreference('extensions.update.enabled', false)
    .setPreference('datareporting.policy.dataSubmissionEnabled', false)
    .setPreference('toolkit.telemetry.enabled', false)
    .setPreference('browser.safebrowsing.malware.enabled', false)
    .setPreference('browser.safebrowsing.phishing.enabled', false)
    .setPreference('network.captive-portal-service.enabled', false)
    .setPreference('network.connectivity-service.enabled', false)
    .setPreference('browser.shell.checkDefaultBrowser', false)
    // Add-on metadata, search and region updates, push, media plugins: fewer requests of the
    // browser's own (tests/support/server.mjs tells them from the pages' and the extension's).
    .setPreference('extensions.getAddons.cache.enabled', false)
    .setPreference('extensions.systemAddon.update.enabled', false)
    .setPreference('browser.search.update', false)
    .setPreference('browser.region.update.enabled', false)
    .setPreference('browser.region.network.url', '')
    .setPreference('dom.push.connection.enabled', false)
    .setPreference('media.gmp-manager.updateEnabled', false)
    .setPreference('network.trr.mode', 5)
    .setPreference('browser.newtabpage.activity-stream.feeds.system.topsites', false)
    .setPreference('browser.newtabpage.activity-stream.feeds.section.topstories', false)
    .setPreference('identity.fxaccounts.enabled', false)
    // Downloads go straight into a folder of this run's own (the options page's export).
    .setPreference('browser.download.folderList', 2)
    .setPreference('browser.download.dir', downloads)
    .setPreference('browser.download.useDownloadDir', true)
    .setPreference('browser.download.always_ask_before_handling_new_types', false)
    .setPreference('browser.download.alwaysOpenPanel', false)
    .setPreference('browser.helperApps.neverAsk.saveToDisk', 'application/json');
  for (const [name, value] of Object.entries(prefs)) options.setPreference(name, value);
  if (headless) options.addArguments('-headless');
  // Firefox 153+ lets WebDriver open moz-extension:// pages only with system access allowed.
  const service = new firefox.ServiceBuilder(geckodriverPath()).addArguments('--allow-system-access');
  if (process.env.ASK_FIRST_DEBUG) { service.setStdio('inherit'); options.setPreference('devtools.console.stdout.content', true); options.setPreference('devtools.console.stdout.chrome', true); }
  const driver = await new Builder()
    .forBrowser('firefox')
    .setFirefoxOptions(options)
    .setFirefoxService(service)
    .build();
  await driver.installAddon(firefoxPackage(), true);
  return { driver, origin: `moz-extension://${FIREFOX_UUID}`, downloads };
}
