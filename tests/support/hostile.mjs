// Names a hostile or careless page can put where Ask First reads a group or person name: markup
// and script in every context (element, attribute, URL, style, template), bidirectional
// overrides, invisible and control characters, very long text. Each must reach storage, the
// popup, the options page and the page banners as inert text.
//
// Every entry that could run code sets `window.__pwned` (a test checks it stays undefined in the
// page and in the extension pages).

const PWN = 'window.__pwned=1';

export const HOSTILE_NAMES = [
  // Markup that would run script if it were parsed as HTML.
  `<img src=x onerror="${PWN}">`,
  `<script>${PWN}</script>`,
  `<svg onload="${PWN}">`,
  `<svg><script>${PWN}</script></svg>`,
  `<iframe srcdoc="<script>parent.${PWN}</script>">`,
  `<body onload="${PWN}">`,
  `<details open ontoggle="${PWN}">`,
  `<video><source onerror="${PWN}"></video>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${PWN}">`,
  `<a href="javascript:${PWN}">click me</a>`,
  `<form action="javascript:${PWN}"><button>go</button></form>`,
  `<object data="javascript:${PWN}"></object>`,
  `<embed src="javascript:${PWN}">`,
  `<input autofocus onfocus="${PWN}">`,
  `<marquee onstart="${PWN}">`,
  `<template><img src=x onerror="${PWN}"></template>`,
  `<noscript><p title="</noscript><img src=x onerror=${PWN}>">`,
  `<style>*{display:none}</style>`,
  `<link rel=stylesheet href="https://evil.invalid/x.css">`,
  `<meta http-equiv="refresh" content="0;url=https://evil.invalid/">`,
  `<base href="https://evil.invalid/">`,
  // Breaking out of attributes and strings.
  `"><img src=x onerror="${PWN}">`,
  `'><svg onload='${PWN}'>`,
  `</textarea><script>${PWN}</script>`,
  `</title><script>${PWN}</script>`,
  `"; ${PWN}; "`,
  `\`\${${PWN}}\``,
  `{{constructor.constructor('${PWN}')()}}`,
  `<!--<img src="--><img src=x onerror="${PWN}">`,
  `<![CDATA[<img src=x onerror="${PWN}">]]>`,
  `&lt;b&gt;escaped&lt;/b&gt; &amp; &#x3C;i&#x3E;`,
  `<b>bold</b> <i>italic</i> <u>under</u>`,
  // Bidirectional overrides and isolates (spoofing the text around the name).
  '\u202Egnp.exe',
  'Anna \u202Enimda\u202C Schmidt',
  '\u2067\u05E9\u05DC\u05D5\u05DD\u2069 group',
  '\u202Dforced LTR\u202C \u202Bforced RTL\u202C',
  'Dr. \u2066isolate\u2069 \u2068first strong\u2069',
  // Invisible, control and odd characters.
  'Zero\u200Bwidth\u200Cjoin\u200Dners\uFEFF',
  'Tab\there\nnew line\r\nand \u0000 null \u0007 bell',
  '\u{1F4A3}\u{1F525} Emoji \u{1F468}\u200D\u{1F469}\u200D\u{1F467} family',
  'Z\u0351\u0363\u0364a\u0358\u0359\u035Fl\u0360\u0361g\u0362o', // combining marks
  '\uD83D lone surrogate half',
  // Very long.
  `Long ${'name '.repeat(400)}end`,
  `${'<b>'.repeat(300)}deep`,
];

/** The text Ask First keeps for a name (see `clean_text` in crate/core/src/model.rs). */
export function cleaned(name, max = 200) {
  const visible = Array.from(name)
    .filter((c) => {
      const code = c.codePointAt(0);
      const control = code < 0x20 || (code >= 0x7f && code < 0xa0);
      const whitespace = /\s/.test(c);
      const bidi = (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
      return (!control || whitespace) && !bidi;
    })
    .join('');
  const collapsed = visible.split(/\s+/).filter(Boolean).join(' ');
  return Array.from(collapsed).slice(0, max).join('').trimEnd();
}
