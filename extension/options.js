// Options loader: the page is rendered by Rust.
import init, { start_options } from './wasm/app.js';

await init({ module_or_path: new URL('./wasm/app_bg.wasm', import.meta.url) });
await start_options();
