/* Telegram Web (K/A) fixture. Strings: SITES.md unless marked "invented". */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var S = {
    en: {
      search: 'Search',
      selectChat: 'Select a chat to start messaging',
      members: '{n} members',
      subscribers: '{n} subscribers',
      online: '{n} online',
      more: 'More',
      addMembers: 'Add Members',                          // SITES.md
      addMember: 'Add member',                            // SITES.md
      addN: 'Add {n} members',                            // invented (SITES.md: "Add {n}")
      addPeople: 'Add people...',                         // SITES.md (placeholder)
      next: 'Next',
      addQuestion: 'Are you sure you want to add {names} to {group}?', // SITES.md
      add: 'Add',                                         // SITES.md
      cancel: 'Cancel',
      close: 'Close',
      alreadyMember: 'already a member',
      lastSeen: 'last seen recently',
      privacyRefusal: 'Sorry, you can\u2019t add this user to groups because of user\u2019s privacy settings.', // SITES.md
      ok: 'OK',
      leaveGroup: 'Leave group',                          // SITES.md
      leaveQuestion: 'Are you sure you want to delete and leave the group {group}?', // SITES.md
      deleteChat: 'Delete chat',                          // SITES.md
      groupInfo: 'Group Info',
      membersHeading: 'Members',
      message: 'Message',
      joinGroup: 'JOIN GROUP',
      notMember: 'You are not a member of this group.',
      addedYou: '{actor} added you',                      // SITES.md pattern "{actor} added {user}"
      addedOther: '{actor} added {user}',                 // SITES.md
      youAdded: 'You added {user}',
      leftOther: '{actor} left the group',                // SITES.md
      youLeft: 'You left this group',                     // SITES.md
      joinedLink: '{actor} joined the group via invite link', // SITES.md
      youJoined: 'You joined this group',
      noResults: 'No results',
      you: 'You',
    },
    de: {
      search: 'Suche',
      selectChat: 'W\u00e4hle einen Chat aus, um mit dem Schreiben zu beginnen',
      members: '{n} Mitglieder',
      subscribers: '{n} Abonnenten',
      online: '{n} online',
      more: 'Mehr',
      addMembers: 'Mitglieder hinzuf\u00fcgen',            // SITES.md
      addMember: 'Mitglied hinzuf\u00fcgen',               // SITES.md
      addN: '{n} Mitglieder hinzuf\u00fcgen',              // invented
      addPeople: 'Leute hinzuf\u00fcgen \u2026',            // invented
      next: 'Weiter',
      addQuestion: '{names} dem Chat {group} hinzuf\u00fcgen?', // SITES.md ("%1$s dem Chat %2$s hinzuf\u00fcgen?")
      add: 'Hinzuf\u00fcgen',                              // invented
      cancel: 'Abbrechen',
      close: 'Schlie\u00dfen',
      alreadyMember: 'Nutzer befindet sich schon in der Gruppe', // SITES.md
      lastSeen: 'k\u00fcrzlich online',
      privacyRefusal: 'Du kannst diesen Nutzer wegen seiner Privatsph\u00e4re-Einstellungen leider nicht zu Gruppen hinzuf\u00fcgen.', // invented
      ok: 'OK',
      leaveGroup: 'Gruppe verlassen',                      // SITES.md
      leaveQuestion: 'M\u00f6chtest du die Gruppe {group} wirklich l\u00f6schen und verlassen?', // invented (SITES.md: "M\u00f6chtest du wirklich diese Gruppe verlassen?")
      deleteChat: 'L\u00f6schen und verlassen',            // SITES.md
      groupInfo: 'Gruppeninfo',
      membersHeading: 'Mitglieder',
      message: 'Nachricht',
      joinGroup: 'GRUPPE BEITRETEN',
      notMember: 'Du bist kein Mitglied dieser Gruppe.',
      addedYou: '{actor} hat dich hinzugef\u00fcgt',       // SITES.md
      addedOther: '{actor} hat {user} hinzugef\u00fcgt',   // SITES.md
      youAdded: 'Du hast {user} hinzugef\u00fcgt',         // invented from the pattern
      leftOther: '{actor} hat die Gruppe verlassen',       // SITES.md
      youLeft: 'Du hast die Gruppe verlassen',             // SITES.md
      joinedLink: '{actor} ist der Gruppe \u00fcber den Einladungslink beigetreten', // invented
      youJoined: 'Du bist der Gruppe beigetreten',
      noResults: 'Keine Ergebnisse',
      you: 'Du',
    },
  };
  var t = function (k, v) { return K.t(S, k, v); };
  var fmtN = function (n) { return n.toLocaleString(K.lang === 'de' ? 'de-DE' : 'en-US'); };

  var CONTACTS = K.people(Number(K.param('people', 40)));
  var PRIVATE = { 'Wei Zhang': true };

  var CHATS = [
    { id: '-1001303328644', alt: ['-1303328644'], name: 'Rust Berlin Meetup', group: true, count: 1234,
      members: ['Ben Carter', 'Mia Wagner', 'Noah Becker', 'Lea Hoffmann'],
      messages: [{ from: 'Ben Carter', text: 'Slides from yesterday are pinned.' }, { from: 'Mia Wagner', text: 'Thanks! Next meetup in two weeks?' }] },
    { id: '-1001184623065', alt: ['-1184623065'], name: 'Nachbarschaft Prenzlauer Berg', group: true, count: 312,
      members: ['Paul Sch\u00e4fer', 'Emma Koch', 'Greta Wei\u00df'],
      messages: [{ from: 'Emma Koch', text: 'Lost cat near Helmholtzplatz, grey and white.' }] },
    { id: '@bookworms_de', alt: [], name: 'Bookworms DE', group: true, count: 58,
      members: ['Ida Hartmann', 'Oskar Lange'],
      messages: [{ from: 'Oskar Lange', text: 'Anyone read the new Murakami?' }] },
    { id: '123456789', alt: [], name: 'Anna Schmidt', group: false, count: 0, members: [],
      messages: [{ from: 'Anna Schmidt', text: 'See you at the meetup!' }] },
  ];
  CHATS.forEach(function (c) { c.left = false; c.service = []; });
  var seeds = K.sysSeeds();
  var seededChat = null;
  var startMember = K.flag('member', true);

  function chatForHash() {
    var key = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (!key) return null;
    var topic = /^-?\d+_\d+$/.test(key) ? key.split('_')[0] : key; // forum topics: -100..._5
    return CHATS.filter(function (c) { return c.id === topic || c.alt.indexOf(topic) >= 0; })[0] || null;
  }

  var app = document.getElementById('app');
  var current = null;
  var chatlist = h('ul', { class: 'chatlist', role: 'list' });
  var left = h('div', { class: 'tg-left' },
    h('div', { class: 'tg-lefthead' }, h('button', { class: 'btn-icon tg-burger', 'aria-label': 'Menu', text: '\u2630' }),
      h('input', { type: 'text', class: 'input-search-input', placeholder: t('search'), 'aria-label': t('search') })),
    chatlist);
  var center = h('div', { id: 'column-center', class: 'tg-center' });
  var right = h('div', { class: 'sidebar-right tg-right', hidden: true });
  app.appendChild(h('div', { class: 'tg-app' }, left, center, right));

  function renderChatList() {
    K.clear(chatlist);
    CHATS.forEach(function (c) {
      var last = c.service.length ? c.service[c.service.length - 1].text : (c.messages.length ? c.messages[c.messages.length - 1].text : '');
      var a = h('a', { class: 'chatlist-chat' + (c === current ? ' active' : ''), href: '#' + c.id, 'data-peer-id': c.id },
        K.avatar(c.name, 'fx-avatar tg-av'),
        h('div', { class: 'user-caption' },
          h('div', { class: 'user-title' }, h('span', { class: 'peer-title', dir: 'auto', text: c.name })),
          h('div', { class: 'user-last-message', text: last })));
      chatlist.appendChild(h('li', {}, a));
    });
  }

  function route() {
    K.closeMenu();
    var c = chatForHash();
    current = c;
    if (c && !seededChat) {
      seededChat = c;
      if (!startMember) c.left = true;
      seeds.forEach(function (s) { applySeed(c, s); });
    }
    right.hidden = true;
    K.clear(right);
    renderChatList();
    renderCenter();
  }

  var bubbles, bottom, infoLine;
  function renderCenter() {
    K.clear(center);
    bubbles = bottom = infoLine = null;
    var c = current;
    if (!c) {
      center.appendChild(h('div', { class: 'tg-empty' }, h('span', { class: 'tg-pill', text: t('selectChat') })));
      K.title('Telegram Web');
      return;
    }
    K.title(c.name + ' \u2013 Telegram Web');
    infoLine = h('span', { class: 'info' });
    var info = h('div', { class: 'chat-info', role: 'button', tabindex: '0' }, K.avatar(c.name, 'fx-avatar tg-av'),
      h('div', { class: 'content' }, h('div', { class: 'top' }, h('span', { class: 'peer-title', dir: 'auto', text: c.name })),
        h('div', { class: 'bottom' }, infoLine)));
    info.addEventListener('click', function () { if (c.group) openSidebar(); });
    var more = h('button', { class: 'btn-icon tg-more', 'aria-label': t('more'), text: '\u22ee' });
    if (c.group) {
      K.menuButton(more, function () {
        if (c.left) return [{ text: t('groupInfo'), onSelect: openSidebar }];
        return [
          { text: t('addMembers'), attrs: { class: 'fx-menuitem btn-menu-item' }, onSelect: openAdd },
          { text: t('groupInfo'), attrs: { class: 'fx-menuitem btn-menu-item' }, onSelect: openSidebar },
          null,
          { text: t('leaveGroup'), attrs: { class: 'fx-menuitem btn-menu-item danger' }, onSelect: openLeave },
        ];
      }, { alignRight: true, className: 'fx-menu btn-menu' });
    }
    center.appendChild(h('div', { class: 'topbar sidebar-header' }, info, h('span', { class: 'tg-grow' }),
      h('button', { class: 'btn-icon', 'aria-label': t('search'), text: '\u2315' }), more));
    bubbles = h('div', { class: 'bubbles' });
    center.appendChild(bubbles);
    bottom = h('div', { class: 'chat-input' });
    center.appendChild(bottom);
    renderInfo();
    renderBubbles();
    renderBottom();
  }
  function renderInfo() {
    if (!infoLine) return;
    var c = current;
    K.setText(infoLine, c.group ? t('members', { n: fmtN(c.count) }) + ', ' + t('online', { n: 3 }) : t('lastSeen'));
  }
  function renderBubbles() {
    if (!bubbles) return;
    var c = current;
    K.clear(bubbles);
    c.messages.forEach(function (m) {
      var out = m.from === null;
      bubbles.appendChild(h('div', { class: 'bubble ' + (out ? 'is-out' : 'is-in') },
        h('div', { class: 'bubble-content' },
          !out && c.group ? h('div', { class: 'name', text: m.from }) : null,
          h('div', { class: 'message', dir: 'auto', text: m.text }))));
    });
    c.service.forEach(function (s) {
      bubbles.appendChild(h('div', { class: 'bubble service', 'data-service': s.kind },
        h('div', { class: 'bubble-content' }, h('div', { class: 'service-msg', text: s.text }))));
    });
    bubbles.scrollTop = bubbles.scrollHeight;
  }
  function renderBottom() {
    if (!bottom) return;
    var c = current;
    K.clear(bottom);
    if (c.group && c.left) {
      var join = h('button', { class: 'btn-primary tg-join', text: t('joinGroup') });
      join.addEventListener('click', function () {
        c.left = false;
        K.log('join', { group: c.name, chatId: c.id });
        service(c, 'joined', t('youJoined'));
        renderBottom();
      });
      bottom.appendChild(join);
      return;
    }
    var input = h('input', { type: 'text', class: 'input-message-input', placeholder: t('message'), 'aria-label': t('message') });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && input.value.trim()) { c.messages.push({ from: null, text: input.value.trim() }); input.value = ''; renderBubbles(); }
    });
    bottom.appendChild(input);
  }

  function service(c, kind, text) {
    c.service.push({ kind: kind, text: text });
    if (c === current) renderBubbles();
  }
  function applySeed(c, s) {
    var actor = s.args[0] || 'Anna Schmidt';
    switch (s.kind) {
      case 'added': c.left = false; service(c, 'added', t('addedYou', { actor: actor })); break;
      case 'addedOther': service(c, 'addedOther', t('addedOther', { actor: actor, user: s.args[1] || 'Ben Carter' })); break;
      case 'youAdded': service(c, 'youAdded', t('youAdded', { user: actor })); break;
      case 'left': c.left = true; service(c, 'left', t('youLeft')); break;
      case 'leftOther': service(c, 'leftOther', t('leftOther', { actor: actor })); break;
      case 'joinedLink': service(c, 'joinedLink', t('joinedLink', { actor: actor })); break;
    }
    if (c === current) renderBottom();
  }

  // ---- right sidebar ---------------------------------------------------------
  function openSidebar() {
    var c = current;
    right.hidden = false;
    K.clear(right);
    var x = h('button', { class: 'btn-icon', 'aria-label': t('close'), text: '\u2715' });
    x.addEventListener('click', function () { right.hidden = true; K.clear(right); });
    right.appendChild(h('div', { class: 'sidebar-header' }, x, h('span', { class: 'tg-sidetitle', text: t('groupInfo') })));
    right.appendChild(h('div', { class: 'tg-profile' }, K.avatar(c.name, 'fx-avatar tg-bigav'), h('div', { class: 'peer-title', text: c.name }),
      h('div', { class: 'tg-muted', text: t('members', { n: fmtN(c.count) }) })));
    var list = h('ul', { class: 'tg-members' });
    c.members.forEach(function (n) { list.appendChild(h('li', {}, K.avatar(n, 'fx-avatar tg-av'), h('span', { class: 'peer-title', text: n }))); });
    right.appendChild(h('div', { class: 'tg-muted tg-sechead', text: t('membersHeading') }));
    right.appendChild(list);
    if (!c.left) {
      var fab = h('button', { class: 'btn-circle btn-corner tg-fab', 'aria-label': t('addMembers'), text: '+' });
      fab.addEventListener('click', openAdd);
      right.appendChild(fab);
    }
  }

  // ---- popups ----------------------------------------------------------------
  function popup(opts) {
    var m = K.modal({ backdropClass: 'fx-backdrop popup', attrs: { class: 'popup-container tg-popup', 'aria-label': opts.title }, onEscape: opts.onCancel });
    var desc = h('p', { class: 'popup-description' });
    K.append(desc, opts.body);
    var btns = h('div', { class: 'popup-buttons' });
    opts.buttons.forEach(function (b) {
      var el = h('button', { class: 'btn popup-button' + (b.danger ? ' danger' : ' primary'), text: b.text });
      el.addEventListener('click', b.onClick);
      btns.appendChild(el);
    });
    K.append(m.box, [h('div', { class: 'popup-header' }, h('div', { class: 'popup-title', text: opts.title })), desc, btns]);
    return m;
  }

  // ---- add members picker ---------------------------------------------------------
  var addOpen = false;
  function openAdd() {
    if (addOpen || !current || current.left) return;
    addOpen = true;
    var c = current;
    K.later(300, function () { buildAdd(c); });
  }
  function buildAdd(c) {
    var order = [];
    var m = K.modal({ backdropClass: 'fx-backdrop popup', attrs: { class: 'popup-container popup-add-members tg-picker', 'aria-label': t('addMembers') }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'add', group: c.name, chatId: c.id });
    var input = h('input', { type: 'text', class: 'selector-search-input', placeholder: t('addPeople'), 'aria-label': t('addPeople') });
    var chipsBox = h('div', { class: 'selector-search' });
    var list = h('ul', { class: 'chatlist tg-pick' });
    var none = h('div', { class: 'tg-muted tg-none', hidden: true, text: t('noResults') });
    var next = h('button', { class: 'btn-circle btn-corner tg-next', 'aria-label': t('next'), hidden: true, text: '\u2192' });
    var rows = [];
    var isMember = function (n) { return c.members.indexOf(n) >= 0; };

    CONTACTS.forEach(function (p) {
      var mem = isMember(p.name);
      var cb = h('input', { type: 'checkbox', 'aria-label': p.name, props: { checked: mem, disabled: mem } });
      var li = h('li', { class: 'chatlist-chat tg-pickrow' + (mem ? ' is-disabled' : ''), 'data-peer-id': p.id },
        h('label', { class: 'checkbox-field' }, cb, h('span', { class: 'checkbox-box', 'aria-hidden': 'true' })),
        K.avatar(p.name, 'fx-avatar tg-av'),
        h('div', { class: 'user-caption' }, h('span', { class: 'peer-title', dir: 'auto', text: p.name }),
          h('div', { class: 'tg-muted', text: mem ? t('alreadyMember') : t('lastSeen') })));
      li.addEventListener('click', function (e) {
        if (mem) return;
        if (e.target !== cb) {
          // A click on the label is forwarded to the checkbox by the browser.
          if (e.target.closest('label')) return;
          cb.checked = !cb.checked;
        }
        setSel(p.name, cb.checked);
      });
      rows.push({ li: li, cb: cb, name: p.name });
      list.appendChild(li);
    });
    function setSel(name, on) {
      var i = order.indexOf(name);
      if (on && i < 0) order.push(name);
      if (!on && i >= 0) order.splice(i, 1);
      rows.forEach(function (r) { if (r.name === name) r.cb.checked = on; });
      renderChips();
    }
    function renderChips() {
      // Chips are re-created; the input stays in place.
      Array.prototype.slice.call(chipsBox.querySelectorAll('.selector-user')).forEach(K.remove);
      order.forEach(function (name) {
        var chip = h('div', { class: 'selector-user', role: 'button', tabindex: '0', title: name }, K.avatar(name, 'fx-avatar tg-chipav'), h('span', { text: name }));
        chip.addEventListener('click', function () { setSel(name, false); });
        chipsBox.insertBefore(chip, input);
      });
      next.hidden = order.length === 0;
    }
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (r) { var ok = !q || r.name.toLowerCase().indexOf(q) >= 0; r.li.hidden = !ok; if (ok) shown++; });
      none.hidden = shown > 0;
    });
    function cancel() { K.log('dialog-cancel', { dialog: 'add', group: c.name, chatId: c.id }); close(); }
    function close() { m.close(); addOpen = false; }

    next.addEventListener('click', function () {
      if (!order.length) return;
      var names = order.slice();
      K.log('dialog-open', { dialog: 'add-confirm', group: c.name, chatId: c.id, names: names });
      var body = K.lang === 'de'
        ? [K.joinNames(names) + ' dem Chat ', h('b', { text: c.name }), ' hinzuf\u00fcgen?']
        : ['Are you sure you want to add ' + K.joinNames(names) + ' to ', h('b', { text: c.name }), '?'];
      var pop = popup({
        title: names.length === 1 ? t('addMember') : t('addN', { n: names.length }),
        body: body,
        onCancel: function () { K.log('dialog-cancel', { dialog: 'add-confirm', group: c.name, chatId: c.id }); pop.close(); },
        buttons: [
          { text: t('add'), onClick: function () { pop.close(); close(); commitAdd(c, names); } },
          { text: t('cancel'), onClick: function () { K.log('dialog-cancel', { dialog: 'add-confirm', group: c.name, chatId: c.id }); pop.close(); } },
        ],
      });
    });

    var x = h('button', { class: 'btn-icon', 'aria-label': t('close'), text: '\u2715' });
    x.addEventListener('click', cancel);
    chipsBox.appendChild(input);
    K.append(m.box, [
      h('div', { class: 'sidebar-header' }, x, h('span', { class: 'tg-sidetitle', text: t('addMembers') })),
      h('div', { class: 'selector' }, chipsBox, list, none),
      next,
    ]);
    input.focus();
  }

  // Site's own final add, bound on the confirm popup's "Add" button.
  function commitAdd(c, names) {
    var refused = names.filter(function (n) { return PRIVATE[n]; });
    var added = names.filter(function (n) { return !PRIVATE[n]; });
    K.log('add', { names: added, count: added.length, group: c.name, chatId: c.id, refused: refused });
    added.forEach(function (n) { c.members.push(n); c.count++; });
    if (added.length) service(c, 'youAdded', t('youAdded', { user: K.joinNames(added) }));
    renderInfo();
    renderChatList();
    if (!right.hidden) openSidebar();
    if (refused.length) {
      var pop = popup({ title: t('addMembers'), body: [t('privacyRefusal')], onCancel: function () { pop.close(); },
        buttons: [{ text: t('ok'), onClick: function () { pop.close(); } }] });
    }
  }

  // ---- leave -------------------------------------------------------------------------
  function openLeave() {
    var c = current;
    if (!c || !c.group || c.left) return;
    K.log('dialog-open', { dialog: 'leave', group: c.name, chatId: c.id });
    var body = K.lang === 'de'
      ? ['M\u00f6chtest du die Gruppe ', h('b', { text: c.name }), ' wirklich l\u00f6schen und verlassen?']
      : ['Are you sure you want to delete and leave the group ', h('b', { text: c.name }), '?'];
    var cancel = function () { K.log('dialog-cancel', { dialog: 'leave', group: c.name, chatId: c.id }); pop.close(); };
    var pop = popup({
      title: t('leaveGroup'), body: body, onCancel: cancel,
      buttons: [
        { text: t('deleteChat'), danger: true, onClick: function () {
          pop.close();
          K.log('leave', { group: c.name, chatId: c.id });
          c.left = true;
          c.count--;
          service(c, 'left', t('youLeft'));
          renderBottom(); renderInfo(); renderChatList();
          if (!right.hidden) openSidebar();
        } },
        { text: t('cancel'), onClick: cancel },
      ],
    });
  }

  window.addEventListener('hashchange', function () {
    K.log('navigate', { url: location.pathname + location.search + location.hash });
    route();
  });
  route();
  K.ready('telegram', {
    openAdd: openAdd,
    openLeave: openLeave,
    system: function (spec) { var b = spec.split(':'); if (current) { applySeed(current, { kind: b[0], args: b.slice(1) }); renderChatList(); } },
    state: function () { return current && { group: current.name, chatId: current.id, left: current.left, members: current.members.slice() }; },
  });
  if (current && K.param('open') === 'add') openAdd();
  else if (current && K.param('open') === 'leave') openLeave();
})();
