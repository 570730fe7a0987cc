/*
 * Fixture kit, shared by every fixture site (served at /__kit/kit.js).
 *
 * Loaded as a classic, synchronous script in <head> so that the error
 * listeners and the removal observer are in place before the site renders.
 *
 * Public surface for tests: window.__fixture (see tests/sites/README.md).
 * Helpers for the fixture sites themselves: window.FixtureKit.
 *
 * Rule for site code: never remove or replace DOM nodes directly. Use
 * FixtureKit.remove / clear / setText so the removal is known to be the
 * site's own; any other removal of a site node is reported in
 * window.__fixture.removedForeign.
 */
(function () {
  'use strict';

  var now = function () { return Date.now(); };

  var F = (window.__fixture = window.__fixture || {});
  F.version = 1;
  F.log = [];
  F.errors = [];
  F.removedForeign = [];
  F.ready = false;
  F.site = null;
  F.api = {};

  // ---- uncaught errors -------------------------------------------------
  window.addEventListener('error', function (e) {
    var t = e && e.target;
    if (t && t !== window && t.nodeType === 1) {
      F.errors.push({ kind: 'resource', message: 'failed to load ' + (t.src || t.href || t.tagName), at: now() });
      return;
    }
    F.errors.push({
      kind: 'error',
      message: String((e && e.message) || 'error'),
      source: e && e.filename, line: e && e.lineno, column: e && e.colno,
      stack: e && e.error && e.error.stack ? String(e.error.stack) : undefined,
      at: now(),
    });
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    var r = e && e.reason;
    F.errors.push({
      kind: 'unhandledrejection',
      message: String(r && r.message ? r.message : r),
      stack: r && r.stack ? String(r.stack) : undefined,
      at: now(),
    });
  });

  // ---- foreign removal detection ---------------------------------------
  var ownRemoved = new WeakSet();
  function markOwn(node) { ownRemoved.add(node); }

  function describe(n) {
    if (!n) return null;
    if (n.nodeType === 3) return '#text';
    if (n.nodeType !== 1) return '#node' + n.nodeType;
    var s = n.tagName.toLowerCase();
    if (n.id) s += '#' + n.id;
    else if (typeof n.className === 'string' && n.className) s += '.' + n.className.split(' ')[0];
    var role = n.getAttribute('role');
    if (role) s += '[role=' + role + ']';
    var al = n.getAttribute('aria-label');
    if (al) s += '[aria-label="' + al.slice(0, 40) + '"]';
    return s;
  }

  function isExtensionHost(n) {
    return n.nodeType === 1 && n.hasAttribute('data-ask-first');
  }

  var observer = new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var r = records[i];
      for (var j = 0; j < r.removedNodes.length; j++) {
        var n = r.removedNodes[j];
        if (ownRemoved.has(n) || isExtensionHost(n)) continue;
        // Whitespace text nodes from the parser are not interesting, but a
        // removal of any visible text is.
        if (n.nodeType === 3 && !/\S/.test(n.data)) continue;
        if (n.nodeType === 8) continue;
        F.removedForeign.push({
          node: describe(n),
          text: (n.textContent || '').trim().slice(0, 80),
          parent: describe(r.target),
          at: now(),
        });
      }
    }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });

  // ---- query, language -------------------------------------------------
  var params = new URLSearchParams(location.search);
  var lang = params.get('lang');
  try {
    if (lang) sessionStorage.setItem('fixture.lang', lang);
    else lang = sessionStorage.getItem('fixture.lang');
  } catch (e) { /* storage may be unavailable */ }
  // ?drift=1: the same site as it might look after a redesign, to prove that detection does not
  // hang on today's labels and hooks. Its texts are French (a language no site pack knows) and
  // every class name, id and test hook (data-* attributes, jsname) is renamed, in the DOM and in
  // the site's style sheets alike. Roles, ARIA states, tag names and input types stay: they are
  // what a page means, not how it is built.
  var drift = params.get('drift') === '1';
  if (drift) lang = 'fr';
  else if (lang !== 'de' && lang !== 'fr') lang = 'en';
  document.documentElement.setAttribute('lang', lang);
  F.lang = lang;
  F.drift = drift;
  /** Text keys a site asked for in a language its table lacks (shown in English instead). */
  F.untranslated = [];

  // ---- helpers ---------------------------------------------------------
  var K = (window.FixtureKit = {});
  K.params = params;
  K.lang = lang;

  K.param = function (name, dflt) {
    var v = params.get(name);
    return v === null ? dflt : v;
  };
  K.flag = function (name, dflt) {
    var v = params.get(name);
    if (v === null) return dflt;
    return v === '1' || v === 'true' || v === 'yes';
  };

  /** Record an action the site performed. */
  K.log = function (action, detail) {
    var entry = { action: action, detail: detail || {}, at: now() };
    F.log.push(entry);
    try { window.dispatchEvent(new CustomEvent('fixture-log', { detail: entry })); } catch (e) { /* ignore */ }
    return entry;
  };
  F.count = function (action) {
    return F.log.filter(function (e) { return e.action === action; }).length;
  };
  F.last = function (action) {
    for (var i = F.log.length - 1; i >= 0; i--) if (!action || F.log[i].action === action) return F.log[i];
    return null;
  };
  F.clear = function () { F.log.length = 0; F.errors.length = 0; F.removedForeign.length = 0; };

  /** Pick a string from a {en:{..}, de:{..}} table and fill {placeholders}. */
  K.t = function (table, key, vars) {
    var s = (table[lang] && table[lang][key]);
    if (s === undefined) {
      if (lang !== 'en' && F.untranslated.indexOf(key) < 0) F.untranslated.push(key);
      s = table.en[key];
    }
    if (s === undefined) s = key;
    if (vars) {
      s = s.replace(/\{(\w+)\}/g, function (m, k) { return vars[k] !== undefined ? String(vars[k]) : m; });
    }
    return s;
  };

  // ---- drift renaming -------------------------------------------------
  function fnv(text) {
    var x = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { x ^= text.charCodeAt(i); x = Math.imul(x, 0x01000193) >>> 0; }
    return x.toString(36);
  }
  // Attributes that are hooks by name (data-*) or hold a hook's value (jsname), or refer to ids.
  var ID_REFS = { id: 1, for: 1, 'aria-labelledby': 1, 'aria-describedby': 1, 'aria-controls': 1, 'aria-owns': 1, 'aria-activedescendant': 1 };
  // Fixture artefacts, not the site's hooks: kept so that the kit's own styles keep working.
  var KEEP_DATA = { 'data-initials': 1 };
  var renameClass = function (token) { return 'k' + fnv('class:' + token); };
  var renameId = function (token) { return 'i' + fnv('id:' + token); };
  var renameValue = function (value) { return 'v' + fnv('value:' + value); };
  var renameDataName = function (name) { return 'data-h' + fnv('attr:' + name); };
  /** The attribute as the page shows it: [name, value], renamed when drifting. */
  K.attrName = function (name) {
    if (!drift) return name;
    return name.indexOf('data-') === 0 && !KEEP_DATA[name] ? renameDataName(name) : name;
  };
  K.attrValue = function (name, value) {
    if (!drift || value === '') return value;
    if (name === 'class') return String(value).split(/\s+/).filter(Boolean).map(renameClass).join(' ');
    if (ID_REFS[name]) return String(value).split(/\s+/).filter(Boolean).map(renameId).join(' ');
    if (name === 'jsname' || (name.indexOf('data-') === 0 && !KEEP_DATA[name])) return renameValue(String(value));
    return value;
  };
  /** Sets an attribute (renamed when drifting); the site's later changes go through here. */
  K.attr = function (el, name, value) {
    if (value === null || value === undefined || value === false) el.removeAttribute(K.attrName(name));
    else el.setAttribute(K.attrName(name), K.attrValue(name, value === true ? '' : String(value)));
  };
  K.toggleClass = function (el, token, on) {
    el.classList.toggle(drift ? renameClass(token) : token, on);
  };
  K.hasClass = function (el, token) {
    return el.classList.contains(drift ? renameClass(token) : token);
  };
  /**
   * A CSS selector as it applies to the page: the class names, ids and hooks in it renamed when
   * drifting (for the site's style sheets and for test drivers, which query the page).
   */
  K.sel = function (selector) {
    if (!drift) return selector;
    return String(selector)
      .replace(/\[\s*(data-[\w-]+|jsname)\s*(?:([~|^$*]?=)\s*("[^"]*"|'[^']*'|[^\]\s]*))?\s*(?:[is]\s*)?\]/g, function (all, name, op, quoted) {
        if (KEEP_DATA[name]) return all;
        var out = '[' + K.attrName(name);
        if (op) {
          var value = quoted.replace(/^["']|["']$/g, '');
          // Prefix and substring matches cannot be renamed value by value: they match nothing.
          out += (op === '=' ? '=' : op) + JSON.stringify(op === '=' ? renameValue(value) : 'v-renamed-' + value);
        }
        return out + ']';
      })
      // Class and id tokens anywhere outside quoted values, also right after a tag name
      // (button.primary, main#app).
      .replace(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([.#])(-?[_a-zA-Z][\w-]*)/g, function (all, quoted, sigil, token) {
        if (quoted) return all;
        return sigil + (sigil === '.' ? renameClass(token) : renameId(token));
      });
  };
  // The site's own style sheets follow the renaming (they are loaded: this script runs after
  // the <link>s in <head>).
  if (drift) {
    var rewrite = function (rules) {
      for (var i = 0; i < rules.length; i++) {
        var rule = rules[i];
        if (rule.selectorText) rule.selectorText = K.sel(rule.selectorText);
        else if (rule.cssRules) rewrite(rule.cssRules);
      }
    };
    for (var si = 0; si < document.styleSheets.length; si++) {
      try { rewrite(document.styleSheets[si].cssRules); } catch (e) { F.errors.push({ kind: 'drift', message: String(e), at: now() }); }
    }
  }

  /**
   * Create an element. attrs: plain attributes, plus
   *   text: textContent, on: {event: handler}, props: {prop: value}.
   * String children become text nodes (never parsed as HTML).
   */
  K.h = function (tag, attrs) {
    var el = document.createElement(tag);
    attrs = attrs || {};
    for (var k in attrs) {
      if (!Object.prototype.hasOwnProperty.call(attrs, k)) continue;
      var v = attrs[k];
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') el.textContent = String(v);
      else if (k === 'on') { for (var ev in v) el.addEventListener(ev, v[ev]); }
      else if (k === 'props') { for (var p in v) el[p] = v[p]; }
      else if (k === 'style' && typeof v === 'object') { for (var sp in v) el.style[sp] = v[sp]; }
      else K.attr(el, k, v);
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  };
  function append(el, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { append(el, x); }); return; }
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  K.append = append;

  /** The site's own removal: recorded as intended. */
  K.remove = function (node) {
    if (!node || !node.parentNode) return;
    markOwn(node);
    node.parentNode.removeChild(node);
  };
  K.clear = function (el) {
    while (el.firstChild) { markOwn(el.firstChild); el.removeChild(el.firstChild); }
  };
  /** Set text without removing nodes where possible (recycled rows). */
  K.setText = function (el, s) {
    s = String(s);
    if (el.childNodes.length === 1 && el.firstChild.nodeType === 3) {
      if (el.firstChild.data !== s) el.firstChild.data = s;
      return;
    }
    K.clear(el);
    el.appendChild(document.createTextNode(s));
  };
  /** document.title without a foreign-removal report for the old text. */
  K.title = function (s) {
    var el = document.querySelector('title');
    if (el) { K.setText(el, s); } else { document.title = s; }
  };
  K.replace = function (el) {
    K.clear(el);
    for (var i = 1; i < arguments.length; i++) append(el, arguments[i]);
  };

  /** setTimeout honouring ?delay=ms (used for dialogs that render late). */
  K.later = function (defaultMs, fn) {
    var d = params.get('delay');
    var ms = d === null ? defaultMs : Number(d) || 0;
    return setTimeout(fn, ms);
  };

  K.toast = function (text, ms) {
    var el = K.h('div', { class: 'fx-toast', role: 'status', text: text });
    document.body.appendChild(el);
    setTimeout(function () { K.remove(el); }, ms || 3000);
    return el;
  };

  /** Close on Escape for the topmost layer registered here. */
  var layers = [];
  K.pushLayer = function (onEscape) { var l = { onEscape: onEscape }; layers.push(l); return l; };
  K.popLayer = function (l) { var i = layers.indexOf(l); if (i >= 0) layers.splice(i, 1); };
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && layers.length) {
      var l = layers[layers.length - 1];
      e.preventDefault();
      l.onEscape();
    }
  });

  // ---- in-app navigation -----------------------------------------------
  var routeHandlers = [];
  K.keptQuery = function () {
    var keep = new URLSearchParams();
    ['lang', 'csp', 'drift'].forEach(function (k) { if (params.has(k)) keep.set(k, params.get(k)); });
    var s = keep.toString();
    return s ? '?' + s : '';
  };
  K.navigate = function (path) {
    var hashIdx = path.indexOf('#');
    var p = hashIdx >= 0 ? path.slice(0, hashIdx) : path;
    var h = hashIdx >= 0 ? path.slice(hashIdx) : '';
    history.pushState({ fixture: true }, '', p + K.keptQuery() + h);
    K.log('navigate', { url: location.pathname + location.search + location.hash });
    routeHandlers.forEach(function (fn) { fn(); });
  };
  K.onRoute = function (fn) { routeHandlers.push(fn); };
  window.addEventListener('popstate', function () { routeHandlers.forEach(function (fn) { fn(); }); });
  /** An <a> that navigates in-app with pushState (no reload). */
  K.link = function (href, attrs) {
    var a = K.h('a', Object.assign({ href: href + K.keptQuery() }, attrs || {}));
    for (var i = 2; i < arguments.length; i++) append(a, arguments[i]);
    a.addEventListener('click', function (e) {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      K.navigate(href);
    });
    return a;
  };

  // ---- people ----------------------------------------------------------
  // Varied names: umlauts, accents, non-Latin scripts, and one name holding
  // literal markup that must be rendered as text.
  K.NAMES = [
    'Anna Schmidt', 'Jürgen Müller', 'Zoë Lefèvre', 'Björn Ødegaard', 'José Álvarez',
    'Çağla Yılmaz', '<b>HTML</b> Tester', 'Łukasz Wójcik', 'Søren Nørgaard', 'Chloé Dubois',
    'Ben Carter', 'Mia Wagner', 'Noah Becker', 'Lea Hoffmann', 'Paul Schäfer',
    'Emma Koch', 'Luca Richter', 'Hannah Klein', 'Felix Wolf', 'Sophie Schröder',
    'Jonas Neumann', 'Marie Schwarz', 'Elias Zimmermann', 'Lina Braun', 'Finn Krüger',
    'Ida Hartmann', 'Oskar Lange', 'Greta Weiß', 'Aylin Demir', 'Mateo García',
    'Priya Natarajan', 'Wei Zhang', 'Olga Petrova', 'Kofi Mensah', 'Saoirse Ní Bhriain',
    'Ines Fernández', 'Tomás Ó Briain', 'Yuki Tanaka', 'Amélie Roux', 'Dragan Jovanović',
    'Fatma Öztürk', 'Henrik Ångström'
  ];
  K.people = function (n) {
    n = n || Number(params.get('people')) || 36;
    var out = [];
    for (var i = 0; i < n; i++) {
      var base = K.NAMES[i % K.NAMES.length];
      var name = i < K.NAMES.length ? base : base + ' ' + (Math.floor(i / K.NAMES.length) + 1);
      out.push({ id: 'p' + (i + 1), name: name });
    }
    return out;
  };
  K.initials = function (name) {
    var parts = String(name).replace(/<[^>]*>/g, '').trim().split(/\s+/);
    return ((parts[0] || '?')[0] + ((parts[1] || '')[0] || '')).toUpperCase();
  };
  K.avatar = function (name, cls) {
    var hue = 0;
    for (var i = 0; i < name.length; i++) hue = (hue * 31 + name.charCodeAt(i)) % 360;
    // Initials are drawn by CSS from data-initials so that an avatar adds no
    // text to its row's textContent (real sites use images).
    return K.h('span', { class: cls || 'fx-avatar', 'aria-hidden': 'true', 'data-initials': K.initials(name), style: { background: K.avatarColor(name) } });
  };
  K.avatarColor = function (name) {
    var hue = 0;
    for (var i = 0; i < name.length; i++) hue = (hue * 31 + name.charCodeAt(i)) % 360;
    return 'hsl(' + hue + ',55%,62%)';
  };
  /**
   * A picture for a person, as an image URL made in the page (no network): for sites whose real
   * avatars are <img> elements. The initials are drawn inside the image, so they add no text.
   */
  K.avatarSrc = function (name) {
    var letters = K.initials(name).replace(/[^\w\u00c0-\u024f\u0370-\u04ff]/g, '');
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48">' +
      '<rect width="48" height="48" fill="' + K.avatarColor(name) + '"/>' +
      '<text x="24" y="30" font-size="18" font-family="sans-serif" text-anchor="middle" fill="#fff">' + letters + '</text></svg>';
    return 'data:image/svg+xml,' + encodeURIComponent(svg);
  };
  /** "A", "A and B", "A, B and C" in the current language. */
  K.joinNames = function (names) {
    var and = lang === 'de' ? ' und ' : lang === 'fr' ? ' et ' : ' and ';
    if (names.length <= 1) return names.join('');
    return names.slice(0, -1).join(', ') + and + names[names.length - 1];
  };

  /**
   * System-message seeds from ?sys=kind:arg[:arg2] (repeatable, or
   * separated by "|"). Returns [{kind, args:[...]}].
   */
  K.sysSeeds = function () {
    var out = [];
    params.getAll('sys').forEach(function (v) {
      v.split('|').forEach(function (part) {
        if (!part) return;
        var bits = part.split(':');
        out.push({ kind: bits[0], args: bits.slice(1) });
      });
    });
    return out;
  };

  // ---- virtualised list --------------------------------------------------
  /**
   * A fixed pool of row elements positioned over a tall spacer; scrolling
   * rebinds the same elements to other items (rows recycle).
   * opts: rowHeight, height (px of viewport), pool (row count),
   *       makeRow() -> element, bindRow(row, item, index), attrs (viewport).
   */
  K.virtualList = function (opts) {
    var rowH = opts.rowHeight, pool = opts.pool || 12;
    var viewport = K.h('div', Object.assign({ class: 'fx-vlist' }, opts.attrs || {}));
    viewport.style.height = opts.height + 'px';
    viewport.style.overflowY = 'auto';
    viewport.style.position = 'relative';
    var spacer = K.h('div', { class: 'fx-vlist-spacer', style: { position: 'relative' } });
    viewport.appendChild(spacer);
    var rows = [];
    for (var i = 0; i < pool; i++) {
      var r = opts.makeRow();
      r.style.position = 'absolute';
      r.style.left = '0';
      r.style.right = '0';
      r.style.height = rowH + 'px';
      rows.push(r);
      spacer.appendChild(r);
    }
    var items = [];
    var api = {
      el: viewport,
      rows: rows,
      setItems: function (list) { items = list; spacer.style.height = Math.max(items.length * rowH, 1) + 'px'; api.refresh(); },
      items: function () { return items; },
      refresh: function () {
        var first = Math.max(0, Math.floor(viewport.scrollTop / rowH) - 1);
        first = Math.min(first, Math.max(0, items.length - pool));
        for (var i = 0; i < pool; i++) {
          var idx = first + i, row = rows[i];
          if (idx < items.length) {
            row.hidden = false;
            row.style.top = idx * rowH + 'px';
            row.__index = idx;
            row.__item = items[idx];
            opts.bindRow(row, items[idx], idx);
          } else {
            row.hidden = true;
            row.__item = null;
          }
        }
      },
    };
    viewport.addEventListener('scroll', api.refresh);
    return api;
  };

  // ---- menus and modals ----------------------------------------------------
  var openMenu = null;
  /**
   * A [role=menu] under `anchor`. items: [{text, attrs, onSelect}] (null = separator).
   * Closes on selection, outside click or Escape.
   */
  K.menu = function (anchor, items, opts) {
    opts = opts || {};
    K.closeMenu();
    var menu = K.h('div', Object.assign({ role: 'menu', class: opts.className || 'fx-menu', tabindex: '-1' }, opts.attrs || {}));
    items.forEach(function (it) {
      if (!it) { menu.appendChild(K.h('div', { role: 'separator', class: 'fx-menu-sep' })); return; }
      var mi = K.h('div', Object.assign({ role: 'menuitem', tabindex: '-1', class: opts.itemClass || 'fx-menuitem' }, it.attrs || {}), it.icon || null, K.h('span', { text: it.text }));
      mi.addEventListener('click', function () { K.closeMenu(); it.onSelect && it.onSelect(); });
      mi.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); mi.click(); } });
      menu.appendChild(mi);
    });
    var r = anchor.getBoundingClientRect();
    menu.style.position = 'fixed';
    menu.style.top = (r.bottom + 4) + 'px';
    if (opts.alignRight) menu.style.right = Math.max(4, window.innerWidth - r.right) + 'px';
    else menu.style.left = r.left + 'px';
    menu.style.zIndex = '900';
    document.body.appendChild(menu);
    anchor.setAttribute('aria-expanded', 'true');
    var layer = K.pushLayer(function () { K.closeMenu(); });
    var outside = function (e) { if (!menu.contains(e.target) && !anchor.contains(e.target)) K.closeMenu(); };
    setTimeout(function () { document.addEventListener('mousedown', outside, true); }, 0);
    openMenu = { el: menu, anchor: anchor, layer: layer, outside: outside };
    var first = menu.querySelector('[role=menuitem]');
    if (first) first.focus();
    return menu;
  };
  K.closeMenu = function () {
    if (!openMenu) return;
    var m = openMenu; openMenu = null;
    document.removeEventListener('mousedown', m.outside, true);
    K.popLayer(m.layer);
    m.anchor.setAttribute('aria-expanded', 'false');
    K.remove(m.el);
  };
  /** Menu toggle on a button: second click closes. */
  K.menuButton = function (btn, build, opts) {
    btn.setAttribute('aria-haspopup', 'menu');
    btn.setAttribute('aria-expanded', 'false');
    btn.addEventListener('click', function () {
      if (openMenu && openMenu.anchor === btn) { K.closeMenu(); return; }
      K.menu(btn, build(), opts);
    });
  };

  /**
   * A modal layer: a backdrop holding `box` (attrs for the box, e.g. role,
   * aria-label). onEscape is called on Escape or backdrop click.
   * Returns {backdrop, box, close()}.
   */
  K.modal = function (opts) {
    var backdrop = K.h('div', { class: opts.backdropClass || 'fx-backdrop' });
    var box = K.h('div', Object.assign({ role: 'dialog', 'aria-modal': 'true', tabindex: '-1' }, opts.attrs || {}));
    backdrop.appendChild(box);
    var layer = K.pushLayer(function () { opts.onEscape && opts.onEscape(); });
    backdrop.addEventListener('mousedown', function (e) { if (e.target === backdrop && opts.onEscape) opts.onEscape(); });
    var m = {
      backdrop: backdrop, box: box, open: true,
      close: function () { if (!m.open) return; m.open = false; K.popLayer(layer); K.remove(backdrop); },
    };
    (opts.parent || document.body).appendChild(backdrop);
    return m;
  };

  /** Make a non-button element act as a button (role, tabindex, keys). */
  K.button = function (attrs) {
    var el = K.h.apply(null, ['div', Object.assign({ role: 'button', tabindex: '0' }, attrs || {})].concat([].slice.call(arguments, 1)));
    el.addEventListener('keydown', function (e) {
      if (e.target === el && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); el.click(); }
    });
    return el;
  };

  /** Call when the site's first render is done. */
  K.ready = function (site, api) {
    F.site = site;
    if (api) F.api = api;
    F.ready = true;
    document.documentElement.setAttribute('data-fixture-ready', '1');
    try { window.dispatchEvent(new CustomEvent('fixture-ready')); } catch (e) { /* ignore */ }
  };
})();
