// Ask First's overlays, drawn from the views the Rust content core computes
// (`ask_first_core::view`): the notice and the leave hint inside a site's dialog, the re-add flag
// at the top of the page, and the gate that holds a bulk add back.
//
// This file decides nothing. Every text, button and box comes in a view and goes in as text,
// never as markup. It reports the user's own clicks back to the core by the buttons' actions; a
// page script's clicks and keys are not passed on. The core keeps the state and decides what a
// click means. Drawing lives here, not in Rust, for the core's size (issue 15): each DOM call
// from wasm is a crossing with glue of its own.
//
// Each overlay lives in an open shadow root. Its host is a plain `div`, not a custom element: a
// page can define a custom element's name first and then run its own code inside ours. The host
// carries `data-ask-first="KIND"` and resets every inherited style inline, with priority, through
// the CSSOM (a page's CSP may forbid `style` attributes, not this).
(() => {
  if (globalThis.askFirstUi) return;

  // Written compact: one rule a line.
  const STYLE = [
    ':host{all:initial}',
    '.box{display:block;box-sizing:border-box;margin:8px 12px;padding:10px 12px;border-radius:8px;border:1px solid;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff8e1;border-color:#d4a72c}',
    '.box.note{background:#eef4ff;border-color:#9ab6f5}',
    '.box strong,.flag strong{display:block;margin-bottom:2px}',
    '.box p,.flag p{margin:2px 0}',
    '.flag{position:fixed;top:12px;left:50%;transform:translateX(-50%);z-index:2147483646;width:min(560px,calc(100vw - 24px));box-sizing:border-box;padding:12px 14px;border-radius:10px;border:1px solid #cf222e;background:#fff5f5;color:#1f2328;box-shadow:0 8px 28px rgba(0,0,0,.25);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
    '.flag strong{font-size:15px;margin-bottom:4px}',
    '.flag .actions{margin-top:10px}',
    '.flag .actions button[data-action="leave-again"]{background:#cf222e;border-color:#cf222e;color:#fff}',
    '.backdrop{position:fixed;inset:0;z-index:2147483647;display:flex;align-items:center;justify-content:center;background:rgba(15,23,42,.55)}',
    '.gate{max-width:460px;width:calc(100vw - 32px);box-sizing:border-box;padding:20px;border-radius:12px;background:#fff;color:#1f2328;box-shadow:0 12px 40px rgba(0,0,0,.35);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
    '.gate h2{margin:0 0 8px;font-size:18px}',
    '.gate p{margin:6px 0}',
    '.gate textarea{width:100%;box-sizing:border-box;min-height:84px;margin:8px 0;padding:8px;font:inherit;font-size:13px;color:inherit;background:#f6f8fa;border:1px solid #6e7781;border-radius:6px}',
    '.actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}',
    '.actions button{font:inherit;padding:8px 14px;border-radius:8px;border:1px solid #d0d7de;cursor:pointer;background:#f6f8fa;color:#1f2328}',
    '.actions button[data-action="ask"]{background:#1d4ed8;border-color:#1d4ed8;color:#fff}',
    '.actions button:focus-visible,.yes input:focus-visible{outline:3px solid #0969da;outline-offset:2px}',
    '.status{min-height:1.4em;font-size:13px;color:#57606a}',
    '.yes{margin:10px 0 0;padding:8px 10px;border:1px solid #d0d7de;border-radius:8px}',
    '.yes[hidden]{display:none}',
    '.yes h3{margin:0 0 4px;font-size:15px}',
    '.yes ul{list-style:none;margin:6px 0;padding:0;max-height:160px;overflow:auto}',
    '.yes li label,.yes .only{display:flex;gap:6px;align-items:center;margin:2px 0}',
    '@media (prefers-color-scheme:dark){',
    '.box{color:#e6edf3;background:#3a2e05;border-color:#9e6a03}',
    '.box.note{background:#0d1d3a;border-color:#2f5fb3}',
    '.flag{background:#2d1215;color:#e6edf3;border-color:#f85149}',
    '.gate{background:#161b22;color:#e6edf3}',
    '.gate textarea{background:#0d1117;border-color:#6e7681}',
    '.actions button{background:#21262d;border-color:#30363d;color:#e6edf3}',
    '.actions button[data-action="ask"]{background:#3b6fe0;border-color:#3b6fe0;color:#fff}',
    '.status{color:#9da7b3}',
    '.yes{border-color:#30363d}',
    '}',
  ].join('');

  const ROLES = { note: 'status', 'leave-hint': 'status', warn: 'alert', readd: 'alert', gate: 'alertdialog' };
  // What a host holds: its view's kind, the parts a redraw or a call changes.
  const drawn = new WeakMap();
  // The core's handler for the user's actions: `(action, detail)`.
  let onAction = () => {};

  // A new `tag` element appended to `parent`, with `attributes` and `text` (as text).
  function add(parent, tag, attributes = [], text = '') {
    const element = document.createElement(tag);
    for (const [name, value] of attributes) element.setAttribute(name, value);
    if (text) element.textContent = text;
    parent.append(element);
    return element;
  }

  // Replaces `body`'s children with one paragraph per line.
  function showLines(body, lines) {
    body.replaceChildren(...lines.map((line) => {
      const paragraph = document.createElement('p');
      paragraph.textContent = line;
      return paragraph;
    }));
  }

  function buttons(parent, list) {
    const actions = add(parent, 'div', [['class', 'actions']]);
    return list.map(([action, text]) => add(actions, 'button', [['type', 'button'], ['data-action', action]], text));
  }

  // The controls that take focus in tab order: buttons, and the panel's boxes while it shows.
  function controls(shadow) {
    return [...shadow.querySelectorAll('button[data-action], input[data-yes]')]
      .filter((element) => !element.closest('[hidden]'));
  }

  function newHost(view) {
    const host = document.createElement('div');
    host.setAttribute('data-ask-first', view.kind);
    host.setAttribute('role', ROLES[view.kind] || 'status');
    host.style.setProperty('all', 'initial', 'important');
    const shadow = host.attachShadow({ mode: 'open' });
    add(shadow, 'style', [], STYLE);
    const parts = { kind: view.kind, shadow };
    if (view.kind === 'gate') drawGate(host, shadow, view, parts);
    else {
      const card = add(shadow, 'div', [['class', view.kind === 'readd' ? 'flag' : view.kind === 'warn' ? 'box warn' : 'box note']]);
      parts.title = add(card, 'strong');
      parts.body = add(card, 'div');
      parts.buttons = buttons(card, view.buttons);
      if (view.buttons.length) listen(shadow, false);
    }
    drawn.set(host, parts);
    return host;
  }

  function drawGate(host, shadow, view, parts) {
    host.setAttribute('aria-modal', 'true');
    host.setAttribute('aria-label', view.title);
    const card = add(add(shadow, 'div', [['class', 'backdrop']]), 'div', [['class', 'gate']]);
    add(card, 'h2', [], view.title);
    for (const line of view.lines) add(card, 'p', [], line);
    if (view.message) {
      const label = add(card, 'label', [], view.message.label);
      parts.message = add(label, 'textarea', [['readonly', ''], ['data-field', 'ask-message']], view.message.text);
    }
    buttons(card, view.buttons);
    if (view.yes) {
      const yes = view.yes;
      const panel = parts.yes = add(card, 'div', [['class', 'yes'], ['hidden', ''], ['data-field', 'yes'], ['role', 'group'], ['aria-labelledby', 'ask-first-yes-heading']]);
      add(panel, 'h3', [['id', 'ask-first-yes-heading']], yes.heading);
      add(panel, 'p', [], yes.help);
      const list = add(panel, 'ul');
      yes.names.forEach((name, index) => tickBox(add(list, 'li'), [], String(index), name));
      if (yes.group != null) tickBox(panel, [['class', 'only']], 'group', yes.group);
      buttons(panel, [['yes', yes.mark]]);
    }
    parts.status = add(card, 'p', [['class', 'status'], ['role', 'status']]);
    listen(shadow, true);
    host.addEventListener('keydown', (event) => {
      event.stopPropagation();
      // A page script's keys neither cancel the gate nor move its focus.
      if (!event.isTrusted) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        onAction('cancel', '');
      } else if (event.key === 'Tab') {
        // Focus stays on the gate's controls, in a cycle.
        const list = controls(shadow);
        if (!list.length) return;
        const at = list.indexOf(shadow.activeElement);
        const next = event.shiftKey ? (at <= 0 ? list.length - 1 : at - 1) : (at < 0 || at + 1 >= list.length ? 0 : at + 1);
        event.preventDefault();
        list[next].focus();
      }
    });
  }

  function tickBox(parent, attributes, key, text) {
    const label = add(parent, 'label', attributes);
    add(label, 'input', [['type', 'checkbox'], ['data-yes', key]]);
    add(label, 'span', [], text);
  }

  // Clicks inside an overlay are ours: the site never sees them. Only the user's own reach the
  // core; in the gate a page script's click is undone too (a box it ticks stays unticked).
  function listen(shadow, gate) {
    shadow.addEventListener('click', (event) => {
      event.stopPropagation();
      if (!event.isTrusted) {
        if (gate) event.preventDefault();
        return;
      }
      const target = event.target;
      if (target.localName === 'input' && target.hasAttribute('data-yes')) {
        onAction(target.checked ? 'tick' : 'untick', target.getAttribute('data-yes'));
      }
      const control = event.composedPath().find((node) => node.nodeType === Node.ELEMENT_NODE && node.hasAttribute('data-action'));
      if (!control) return;
      const action = control.getAttribute('data-action');
      // "They said yes": the boxes shown ticked and not yet marked; the core takes only those
      // the user ticked.
      const detail = action === 'yes'
        ? [...shadow.querySelectorAll('input[data-yes]')].filter((box) => box.checked && !box.disabled).map((box) => box.getAttribute('data-yes')).join(' ')
        : '';
      onAction(action, detail);
    });
  }

  function update(host, parts, view) {
    if (parts.title) {
      parts.title.textContent = view.title;
      showLines(parts.body, view.lines);
      view.buttons.forEach(([, text], index) => { if (parts.buttons[index]) parts.buttons[index].textContent = text; });
      if (view.kind === 'readd') host.setAttribute('aria-label', view.title);
    }
  }

  globalThis.askFirstUi = Object.freeze({
    // Sets the core's handler for the user's actions, `(action, detail)`.
    listen(handler) {
      onAction = handler;
    },
    // Draws `view` (JSON text; null: unchanged) in `host` (null: a new host) and keeps the host
    // in `parent`, as its first child or its last (put back if the site re-rendered). Returns
    // the host.
    draw(host, viewText, parent, first) {
      const view = viewText == null ? null : JSON.parse(viewText);
      if (view && (!host || drawn.get(host)?.kind !== view.kind)) host = newHost(view);
      if (!host) throw new Error('nothing to draw');
      if (view) update(host, drawn.get(host), view);
      if (host.parentElement !== parent) {
        if (first) parent.prepend(host);
        else parent.append(host);
      }
      return host;
    },
    // Focuses the gate's first control.
    focus(host) {
      const parts = drawn.get(host);
      controls(parts.shadow)[0]?.focus();
    },
    // The gate's status line.
    status(host, text) {
      drawn.get(host).status.textContent = text;
    },
    // Shows the gate's "they said yes" panel; focuses its first box when asked.
    showYes(host, focus) {
      const panel = drawn.get(host).yes;
      if (!panel) return;
      panel.removeAttribute('hidden');
      if (focus) panel.querySelector('input[data-yes]')?.focus();
    },
    // Disables the panel's boxes of `keys` (space-separated): those people are marked.
    disable(host, keys) {
      const panel = drawn.get(host).yes;
      for (const key of keys.split(' ')) {
        const box = panel?.querySelector(`input[data-yes="${CSS.escape(key)}"]`);
        if (box) box.disabled = true;
      }
    },
    // Copies the gate's message: the clipboard, else the copy command on its selected text.
    // Resolves to whether it was copied.
    copy(host) {
      const area = drawn.get(host).message;
      const bySelection = () => {
        area.select();
        try {
          return document.execCommand('copy');
        } catch {
          return false;
        }
      };
      let written;
      try {
        written = navigator.clipboard.writeText(area.value);
      } catch (error) {
        written = Promise.reject(error);
      }
      return written.then(() => true, bySelection);
    },
  });
})();
