// Running code inside the extension's content-script world of a Chromium tab (through the
// DevTools protocol), so a test can speak to the background exactly as the content core does:
// the browser attributes those messages to a content script in that tab.

/** Evaluates `expression` in the content-script world of `page`; returns its value. */
export async function inContentWorld(context, page, expression, { timeout = 15000 } = {}) {
  const cdp = await context.newCDPSession(page);
  const worlds = [];
  cdp.on('Runtime.executionContextCreated', ({ context: world }) => worlds.push(world));
  await cdp.send('Runtime.enable');
  const deadline = Date.now() + timeout;
  let world;
  while (!(world = worlds.find((w) => w.auxData?.type === 'isolated' && w.origin?.startsWith('chrome-extension://')))) {
    if (Date.now() > deadline) throw new Error('no content-script world in this tab');
    await new Promise((ok) => setTimeout(ok, 50));
  }
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression,
    contextId: world.id,
    awaitPromise: true,
    returnByValue: true,
  });
  await cdp.detach();
  if (exceptionDetails) {
    throw new Error(`content world threw: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  }
  return result.value;
}
