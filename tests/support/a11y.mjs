// Accessibility probes that run inside a page (Chromium and Firefox alike): every function here
// is the source of a plain expression built with `call` (tests/support/drivers.mjs), so it runs
// through Playwright's `page.evaluate` and WebDriver's `executeScript`.
//
// - AUDIT(scope): the interactive controls (and whether each has an accessible name) and every
//   visible piece of text whose contrast against its effective background is below WCAG AA.
// - FOCUS_STEP(scope): after a Tab press: which expected control has focus, and whether it shows a
//   focus indicator (outline or box-shadow that differs from the same control unfocused).
//
// `scope` is 'document' (an extension page) or 'inserted' (only what Ask First put into a site
// page: the open shadow roots of `[data-ask-first]` hosts; the site's own nodes are not ours).

const LIB = String.raw`
  const roots = scope === 'inserted'
    ? Array.from(document.querySelectorAll('[data-ask-first]')).map((h) => h.shadowRoot).filter(Boolean)
    : [document];
  const all = (sel) => roots.flatMap((r) => Array.from(r.querySelectorAll(sel)));
  const parentOf = (n) => n.parentElement || (n.getRootNode && n.getRootNode().host) || null;
  const shown = (el) => {
    if (!el.isConnected || el.getClientRects().length === 0) return false;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden') return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1;
  };
  const CONTROLS = 'button, input:not([type=hidden]), select, textarea, a[href], summary, [tabindex]';
  // The controls a Tab press should reach, in document order: one radio per group (the checked one).
  const tabStops = () => {
    const seen = new Set();
    return all(CONTROLS).filter((el) => {
      if (!shown(el) || el.disabled || el.getAttribute('tabindex') === '-1') return false;
      if (el.type === 'radio' && el.name) {
        const group = all('input[type=radio]').filter((r) => r.name === el.name);
        const stop = group.find((r) => r.checked) || group[0];
        if (el !== stop || seen.has(el.name)) return false;
        seen.add(el.name);
      }
      return true;
    });
  };
  const rgba = (text) => {
    const m = /rgba?\(([^)]+)\)/.exec(text || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const dark = matchMedia('(prefers-color-scheme: dark)').matches;
  // What shows behind an element: its own and its ancestors' backgrounds, composed down to the
  // first opaque one (the canvas when none is).
  const background = (el) => {
    const layers = [];
    for (let n = el; n; n = parentOf(n)) {
      if (n.nodeType !== 1) continue;
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) layers.push(c);
      if (c && c.a >= 1) break;
    }
    let base = layers.length && layers[layers.length - 1].a >= 1 ? layers.pop() : (dark ? { r: 18, g: 18, b: 18, a: 1 } : { r: 255, g: 255, b: 255, a: 1 });
    for (const layer of layers.reverse()) base = over(layer, base);
    return base;
  };
  const luminance = ({ r, g, b }) => {
    const lin = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const hex = (c) => '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const describe = (el) => {
    const bits = [el.tagName.toLowerCase()];
    if (el.id) bits.push('#' + el.id);
    for (const a of ['data-action', 'data-field', 'name', 'type']) if (el.getAttribute(a)) bits.push('[' + a + '=' + el.getAttribute(a) + ']');
    return bits.join('');
  };
  const textOf = (el) => (el.textContent || '').replace(/\s+/g, ' ').trim();
  // The accessible name, as far as these pages need it (aria-labelledby, aria-label, label
  // elements, content for buttons and links, title).
  const nameOf = (el) => {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const root = el.getRootNode();
      const text = by.split(/\s+/).map((id) => root.getElementById?.(id) || document.getElementById(id)).filter(Boolean).map(textOf).join(' ').trim();
      if (text) return text;
    }
    const label = (el.getAttribute('aria-label') || '').trim();
    if (label) return label;
    if (el.labels && el.labels.length) {
      const text = Array.from(el.labels).map(textOf).join(' ').trim();
      if (text) return text;
    }
    if (el.tagName === 'BUTTON' || el.tagName === 'A' || el.tagName === 'SUMMARY') {
      const text = textOf(el);
      if (text) return text;
    }
    return (el.getAttribute('title') || '').trim();
  };
`;

/** Controls with their names, and text below the contrast it needs. */
export const AUDIT = `(scope) => {
  ${LIB}
  const controls = all(CONTROLS).filter(shown).map((el) => ({ what: describe(el), name: nameOf(el) }));
  const low = [];
  let checked = 0;
  let lowest = null;
  const texts = all('*').filter((el) => shown(el) && (
    Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim()) ||
    (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) && el.type !== 'checkbox' && el.type !== 'radio' && el.type !== 'file' && String(el.value || '').trim())
  ));
  for (const el of texts) {
    const s = getComputedStyle(el);
    const fg = rgba(s.color);
    if (!fg) continue;
    const bg = background(el);
    const shownFg = fg.a < 1 ? over(fg, bg) : fg;
    const size = parseFloat(s.fontSize);
    const bold = Number(s.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const need = large ? 3 : 4.5;
    const r = ratio(shownFg, bg);
    checked += 1;
    const entry = { what: describe(el), text: (textOf(el) || String(el.value)).slice(0, 40), color: hex(shownFg), background: hex(bg), ratio: Math.round(r * 100) / 100, need };
    if (!lowest || r / need < lowest.ratio / lowest.need) lowest = entry;
    if (r < need) low.push({ what: describe(el), text: (textOf(el) || String(el.value)).slice(0, 40), color: hex(shownFg), background: hex(bg), ratio: Math.round(r * 100) / 100, need });
  }
  // A field (text, number, list, text area) is found by its outline: its border, or its own
  // background, must stand out 3:1 from what is around it (WCAG 1.4.11). Buttons are found by
  // their text; check boxes, radios and the file chooser are drawn by the browser.
  const FIELDS = 'input:not([type=checkbox]):not([type=radio]):not([type=file]):not([type=hidden]), select, textarea';
  const boundaries = [];
  for (const el of all(FIELDS).filter(shown)) {
    const s = getComputedStyle(el);
    const around = background(parentOf(el) || el);
    const border = rgba(s.borderTopColor);
    const borderRatio = border && s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) >= 1 ? ratio(border.a < 1 ? over(border, around) : border, around) : 1;
    const fillRatio = ratio(background(el), around);
    const best = Math.max(borderRatio, fillRatio);
    if (best < 3) boundaries.push({ what: describe(el), border: s.borderTopColor, around: hex(around), ratio: Math.round(best * 100) / 100 });
  }
  return { controls, low, checked, dark, lowest, boundaries };
}`;

/** Marks the controls a Tab press should reach (call once before the first Tab). */
export const FOCUS_START = `(scope) => {
  ${LIB}
  if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
  window.__a11yStops = tabStops();
  window.__a11yFocused = [];
  return window.__a11yStops.map(describe);
}`;

/** After a Tab press: the index of the focused control among the stops and its focus styles. */
export const FOCUS_STEP = `(scope) => {
  ${LIB}
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  const s = getComputedStyle(el);
  (window.__a11yFocused = window.__a11yFocused || []).push(el);
  return {
    index: (window.__a11yStops || []).indexOf(el),
    what: describe(el),
    action: el.getAttribute('data-action'),
    host: el.getRootNode().host?.getAttribute('data-ask-first') ?? null,
    focusVisible: el.matches(':focus-visible'),
    outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
    outlineWidth: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth),
    outlineContrast: Math.round(ratio(rgba(s.outlineColor) || { r: 0, g: 0, b: 0 }, background(parentOf(el) || el)) * 100) / 100,
    shadow: s.boxShadow,
  };
}`;

/** After the Tab walk: each visited control's styles without focus, to compare. */
export const FOCUS_END = `(scope) => {
  ${LIB}
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (el && el.blur) el.blur();
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
  return window.__a11yFocused.map((f) => {
    const s = getComputedStyle(f);
    return { outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor, shadow: s.boxShadow };
  });
}`;
