// The JavaScript build of the content core (wasm2js output wired to wasm-bindgen's glue).
import * as glue from '../wasm/content_fallback_bg.js';
import * as translated from '../wasm/content_fallback_bg.wasm.js';

glue.__wbg_set_wasm(translated);
if (typeof translated.__wbindgen_start === 'function') translated.__wbindgen_start();

export const start_content = glue.start_content;
export const arm_fault_for_tests = glue.arm_fault_for_tests;
export const polling_for_tests = glue.polling_for_tests;
