// Background loader. Listeners must be registered synchronously when the service worker (or
// Firefox's event page) starts, so they are added here and hand every event to the Rust router
// once the module is ready. No decisions are made in this file.
import init, { handle_message, forget_tab, sync_start, sync_changed } from './wasm/app.js';

const ready = init({ module_or_path: new URL('./wasm/app_bg.wasm', import.meta.url) });

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  ready.then(() => handle_message(message, sender)).then(sendResponse, (error) => {
    console.error('Ask First background:', error);
    sendResponse(undefined);
  });
  return true; // the answer is sent asynchronously
});

chrome.tabs.onRemoved.addListener((tabId) => {
  ready.then(() => forget_tab(tabId));
});

// The synced copy (storage.sync): read at start and whenever another browser changed it.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'sync') ready.then(() => sync_changed());
});
ready.then(() => sync_start());
