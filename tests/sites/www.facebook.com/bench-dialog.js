/* Benchmark page (tests/bench/run.mjs): a Facebook-like group page with the invite dialog open,
 * holding `?rows=` (default 1,000) friends, all in the DOM (not virtualised). Rows are
 * `[role=checkbox]` with `aria-checked`; the counter "N FRIENDS SELECTED" and the chips sit
 * after the list, the confirm "Send invitations" in the footer, as in the Facebook fixture, so the
 * bundled Facebook pack reads it. Clicking a row toggles it (the site's own handler).
 * Not part of the fixture catalogue (index.json); the end-to-end tests never open it. */
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var ROWS = Number(params.get('rows') || 1000);
  history.replaceState(null, '', '/groups/bench-invite/' + location.search);

  var FIRST = ['Anna', 'Jonas', 'Lea', 'Paul', 'Mia', 'Ben', 'Emma', 'Noah', 'Sofia', 'Elias',
    'Hanna', 'Luis', 'Clara', 'Felix', 'Ida', 'Max', 'Lina', 'Emil', 'Marie', 'Theo'];
  var LAST = ['Schmidt', 'Weber', 'Fischer', 'Wagner', 'Becker', 'Hoffmann', 'Schulz', 'Koch',
    'Richter', 'Klein', 'Wolf', 'Neumann', 'Braun', 'Zimmermann', 'Hartmann', 'Lange', 'Krause',
    'Werner', 'Lehmann', 'Schmitt', 'Meier', 'Keller', 'Huber', 'Vogel', 'Frank', 'Berger',
    'Roth', 'Beck', 'Jung', 'Kaiser', 'Fuchs', 'Scholz', 'Peters', 'Lang', 'Graf', 'Kraus',
    'Busch', 'Sommer', 'Dietrich', 'Engel', 'Albrecht', 'Haas', 'Schreiber', 'Simon', 'Ludwig',
    'Winter', 'Franke', 'Otto', 'Baumann', 'Seidel'];

  function h(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text != null) el.textContent = text;
    return el;
  }

  var app = document.getElementById('app');
  app.appendChild(h('div', { role: 'banner', class: 'b-top' }, 'facebook'));
  var main = h('div', { role: 'main', class: 'b-main' });
  var header = h('div', { class: 'b-card' });
  var title = h('h1');
  title.appendChild(h('a', { href: '/groups/bench-invite/' }, 'Bench Invite Group'));
  header.appendChild(title);
  header.appendChild(h('div', { role: 'button', tabindex: '0', class: 'b-btn' }, 'Joined'));
  header.appendChild(h('div', { role: 'button', tabindex: '0', class: 'b-btn b-primary' }, 'Invite'));
  main.appendChild(header);
  app.appendChild(main);

  var LABEL = 'Invite friends to join this group';
  var backdrop = h('div', { class: 'b-backdrop' });
  var dialog = h('div', { role: 'dialog', 'aria-modal': 'true', tabindex: '-1', class: 'b-dialog', 'aria-label': LABEL });
  backdrop.appendChild(dialog);
  var head = h('div', { class: 'b-dhead' });
  head.appendChild(h('h2', {}, LABEL));
  dialog.appendChild(head);
  var body = h('div', { class: 'b-dbody' });
  var left = h('div', { class: 'b-dleft' });
  left.appendChild(h('input', { type: 'search', placeholder: 'Search for friends by name', 'aria-label': 'Search for friends by name' }));
  var list = h('div', { role: 'list', class: 'b-list', 'aria-label': LABEL });
  left.appendChild(list);
  var right = h('div', { class: 'b-dright' });
  // As on Facebook (REAL-DOM 2.3): the counter is a span[dir=auto], number first.
  var counter = h('span', { class: 'b-counter', dir: 'auto' });
  var chips = h('div', { class: 'b-chips' });
  right.appendChild(counter);
  right.appendChild(chips);
  body.appendChild(left);
  body.appendChild(right);
  dialog.appendChild(body);
  var foot = h('div', { class: 'b-dfoot' });
  foot.appendChild(h('div', { role: 'button', tabindex: '0', class: 'b-btn' }, 'Cancel'));
  var send = h('div', { role: 'button', tabindex: '0', class: 'b-btn b-primary', 'aria-label': 'Send invitations', 'aria-disabled': 'true' }, 'Send invitations');
  foot.appendChild(send);
  dialog.appendChild(foot);

  var rows = [];
  var order = [];
  for (var i = 0; i < ROWS; i++) {
    var name = FIRST[i % FIRST.length] + ' ' + LAST[Math.floor(i / FIRST.length) % LAST.length] + (i >= 1000 ? ' ' + i : '');
    var invited = i === 3 || i === 17;
    var row = h('div', { role: 'checkbox', 'aria-checked': 'false', tabindex: '0', class: 'b-row' });
    row.appendChild(h('span', { class: 'b-avatar', 'aria-hidden': 'true' }));
    var col = h('span', { class: 'b-col' });
    col.appendChild(h('span', { class: 'b-name', dir: 'auto' }, name));
    col.appendChild(h('span', { class: 'b-muted' }, invited ? 'Invited' : ''));
    row.appendChild(col);
    row.appendChild(h('span', { class: 'b-check', 'aria-hidden': 'true' }));
    if (invited) row.setAttribute('aria-disabled', 'true');
    row.__name = name;
    rows.push(row);
    list.appendChild(row);
  }

  function update() {
    var n = order.length;
    counter.textContent = n === 1 ? '1 FRIEND SELECTED' : n + ' FRIENDS SELECTED';
    send.setAttribute('aria-disabled', n ? 'false' : 'true');
    while (chips.firstChild) chips.removeChild(chips.firstChild);
    order.forEach(function (name) { chips.appendChild(h('span', { class: 'b-chip' }, name)); });
  }
  // The site's own handler: one listener on the list, like a delegating framework.
  list.addEventListener('click', function (event) {
    var row = event.target.closest('[role=checkbox]');
    if (!row || row.getAttribute('aria-disabled') === 'true') return;
    var on = row.getAttribute('aria-checked') !== 'true';
    row.setAttribute('aria-checked', on ? 'true' : 'false');
    if (on) order.push(row.__name); else order.splice(order.indexOf(row.__name), 1);
    update();
  });
  send.addEventListener('click', function () { /* a benchmark never sends */ });
  document.body.appendChild(backdrop);
  update();

  window.__bench = {
    ready: true,
    rows: ROWS,
    selected: function () { return order.length; },
    /** Ticks rows `from`, `from + 1`, … (skipping invited ones) until `n` more are selected. */
    select: function (n, from) {
      for (var i = from; n > 0 && i < rows.length; i++) {
        if (rows[i].getAttribute('aria-disabled') === 'true' || rows[i].getAttribute('aria-checked') === 'true') continue;
        rows[i].click();
        n -= 1;
      }
      return order.length;
    },
  };
  document.documentElement.setAttribute('data-bench-ready', '1');
})();
