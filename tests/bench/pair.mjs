// The benchmark's two browsers on one fixture server: a headless Chromium without the extension
// (the baseline) and one with `dist/chromium`, plus a way to make page requests to the
// extension's background (through its options page).
import { launchChromium } from '../support/browsers.mjs';
import { pageRequest } from '../support/probes.mjs';
import { startServer } from '../support/server.mjs';

export async function startPair() {
  const server = await startServer({ port: 0 });
  const launch = (extension) => launchChromium({ port: server.port, hosts: server.hosts, extension });
  const base = { name: 'baseline', ...(await launch(false)) };
  const ext = { name: 'extension', ...(await launch(true)) };
  const probe = await ext.context.newPage();
  await probe.goto(`${ext.origin}/options.html`);
  const send = (body) => probe.evaluate((message) => chrome.runtime.sendMessage(message), pageRequest(body));
  /** Closes both browsers, then the server (whose close() checks the network log). */
  const close = async () => {
    await ext.context.close().catch(() => {});
    await base.context.close().catch(() => {});
    await server.close();
  };
  return { server, base, ext, probe, send, close };
}
