// Hooks shared by the suites: a fixture server and a browser harness for one `describe` block.
import { after, before } from 'node:test';

import { chromiumHarness } from './harness.mjs';
import { startServer } from './server.mjs';

/**
 * Registers `before`/`after` on the enclosing `describe`: a fixture server and a Chromium harness
 * on it, handed to `use(h, server)` once started; both closed after the block's tests (the
 * server's close() fails on any request the extension made, see server.mjs).
 */
export function chromiumSuite(use) {
  let server;
  let h;
  before(async () => {
    server = await startServer({ port: 0 });
    h = await chromiumHarness(server);
    use(h, server);
  });
  after(async () => {
    await h?.close();
    await server?.close();
  });
}
