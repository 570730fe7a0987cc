/* WhatsApp Web fixture. Strings: SITES.md unless marked "invented". */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var S = {
    en: {
      chats: 'Chats',
      searchChats: 'Search or start new chat',
      chatList: 'Chat list',
      typeMessage: 'Type a message',
      clickInfo: 'click here for group info',
      groupInfo: 'Group info',
      group: 'Group',
      participants: '{n} participants',
      addParticipant: 'Add participant',                  // SITES.md
      addParticipantsBtn: 'Add participants',             // SITES.md
      inviteLink: 'Invite to group via link',
      exitGroup: 'Exit group',                            // SITES.md
      deleteGroup: 'Delete group',
      searchContacts: 'Search name or number',
      alreadyAdded: 'Already added to group',             // SITES.md
      status: 'Hey there! I am using WhatsApp.',
      confirm: 'Confirm',                                 // SITES.md (aria-label)
      close: 'Close',
      cancel: 'Cancel',
      addQuestion: 'Add {members} to "{group}" group?',   // SITES.md
      exitQuestion: 'Exit "{group}" group?',              // SITES.md
      couldntAdd: 'Couldn\u2019t add {names}',
      couldntAddBody: 'You can invite them privately to join this group.',
      sendInvite: 'Send invite',
      you: 'You',
      addedYou: '{actor} added you',                      // SITES.md
      addedOther: '{actor} added {user}',
      youAdded: 'You added {user}',
      youLeft: 'You left',                                // brief
      leftOther: '{actor} left',
      removedYou: '{actor} removed you',
      notParticipant: 'You can\u2019t send messages to this group because you\u2019re no longer a participant.',
      menu: 'Menu',
      search: 'Search',
      noContacts: 'No contacts found',
      today: 'TODAY',
    },
    de: {
      chats: 'Chats',
      searchChats: 'Suchen oder neuen Chat beginnen',
      chatList: 'Chatliste',
      typeMessage: 'Gib eine Nachricht ein.',
      clickInfo: 'Hier klicken f\u00fcr Gruppeninfo',
      groupInfo: 'Gruppeninfo',
      group: 'Gruppe',
      participants: '{n} Teilnehmer',
      addParticipant: 'Teilnehmer hinzuf\u00fcgen',          // SITES.md
      addParticipantsBtn: 'Teilnehmer hinzuf\u00fcgen',      // invented (button in the add popup)
      inviteLink: 'Mit Link einladen',                     // SITES.md
      exitGroup: 'Gruppe verlassen',                       // SITES.md
      deleteGroup: 'Gruppe l\u00f6schen',
      searchContacts: 'Name oder Nummer suchen',
      alreadyAdded: 'Bereits zur Gruppe hinzugef\u00fcgt',   // invented
      status: 'Hey there! I am using WhatsApp.',
      confirm: 'Best\u00e4tigen',                          // invented (aria-label)
      close: 'Schlie\u00dfen',
      cancel: 'Abbrechen',
      addQuestion: '{members} zur Gruppe \u201e{group}\u201c hinzuf\u00fcgen?', // invented
      exitQuestion: 'Gruppe \u201e{group}\u201c verlassen?', // invented
      exitConfirm: 'Verlassen',                            // SITES.md (confirm button)
      couldntAdd: '{names} konnte nicht hinzugef\u00fcgt werden',
      couldntAddBody: 'Du kannst sie privat einladen, dieser Gruppe beizutreten.',
      sendInvite: 'Einladung senden',
      you: 'Du',
      addedYou: '{actor} hat dich hinzugef\u00fcgt.',        // SITES.md
      addedOther: '{actor} hat {user} hinzugef\u00fcgt.',    // SITES.md
      youAdded: 'Du hast {user} hinzugef\u00fcgt.',          // SITES.md
      youLeft: 'Du hast die Gruppe verlassen.',            // SITES.md
      leftOther: '{actor} hat die Gruppe verlassen.',      // SITES.md
      removedYou: '{actor} hat dich entfernt.',            // SITES.md
      notParticipant: 'Du kannst keine Nachrichten an diese Gruppe senden, da du kein Teilnehmer mehr bist.',
      menu: 'Men\u00fc',
      search: 'Suchen',
      noContacts: 'Keine Kontakte gefunden',
      today: 'HEUTE',
    },
  };
  // ?variant=community: the labels used in communities / newer clients (SITES.md:
  // "Add member"; German "Mitglieder hinzufügen").
  if (K.param('variant') === 'community') {
    S.en.addParticipant = 'Add member';
    S.en.addParticipantsBtn = 'Add members';
    S.de.addParticipant = 'Mitglieder hinzuf\u00fcgen';
    S.de.addParticipantsBtn = 'Mitglieder hinzuf\u00fcgen';
  }
  var t = function (k, v) { return K.t(S, k, v); };

  var CONTACTS = K.people(Number(K.param('people', 40)));
  // These contacts' privacy settings refuse direct adds (WhatsApp then
  // offers an invite instead).
  var PRIVATE = { 'Olga Petrova': true, 'Kofi Mensah': true };

  var CHATS = [
    { id: 'g1', name: 'Book Club', group: true, members: ['Mia Wagner', 'Noah Becker', 'Lea Hoffmann', 'J\u00fcrgen M\u00fcller'],
      messages: [{ from: 'Mia Wagner', text: 'Next book: "The Overstory". Thoughts?' }, { from: 'Noah Becker', text: 'Count me in!' }] },
    { id: 'g2', name: 'Sportverein Blau-Wei\u00df', group: true, members: ['Paul Sch\u00e4fer', 'Emma Koch', 'Luca Richter', 'Hannah Klein', 'Felix Wolf'],
      messages: [{ from: 'Paul Sch\u00e4fer', text: 'Training tomorrow at 18:00.' }] },
    { id: 'g3', name: 'Family', group: true, members: ['Sophie Schr\u00f6der', 'Jonas Neumann'],
      messages: [{ from: 'Sophie Schr\u00f6der', text: 'Who brings the cake on Sunday?' }] },
    { id: 'c1', name: 'Anna Schmidt', group: false, members: [], messages: [{ from: 'Anna Schmidt', text: 'See you later!' }] },
  ];
  CHATS.forEach(function (c) { c.left = false; c.system = []; });

  var startChat = (function () {
    var q = K.param('chat', null);
    if (q === null) return CHATS[0];
    var byIdx = CHATS[Number(q)];
    if (/^\d+$/.test(q) && byIdx) return byIdx;
    return CHATS.filter(function (c) { return c.name === q || c.id === q; })[0] || CHATS[0];
  })();
  if (!K.flag('member', true)) startChat.left = true;

  var current = null;
  var app = document.getElementById('app');

  // ---- shell -------------------------------------------------------------
  var chatList = h('div', { id: 'pane-side', role: 'grid', 'aria-label': t('chatList'), class: 'wa-chatlist' });
  var side = h('div', { id: 'side', class: 'wa-side' },
    h('header', { class: 'wa-sidehead' }, K.avatar('Robin Meyer'), h('span', { class: 'wa-grow' }),
      h('span', { 'data-icon': 'menu', role: 'button', 'aria-label': t('menu'), class: 'wa-icon', text: '\u22ee' })),
    h('div', { class: 'wa-searchbar' }, h('input', { type: 'text', placeholder: t('searchChats'), 'aria-label': t('searchChats') })),
    chatList);
  var mainPane = h('div', { id: 'main', class: 'wa-main' });
  var drawer = h('div', { class: 'wa-drawer', hidden: true });
  app.appendChild(h('div', { class: 'wa-app' }, side, mainPane, drawer));

  function renderChatList() {
    K.clear(chatList);
    CHATS.forEach(function (c) {
      var last = c.system.length ? c.system[c.system.length - 1].text : (c.messages.length ? c.messages[c.messages.length - 1].text : '');
      var row = h('div', { role: 'listitem', class: 'wa-chatrow', tabindex: '0', 'aria-selected': c === current ? 'true' : 'false' },
        h('div', { 'data-testid': 'cell-frame-container', class: 'wa-cell' },
          K.avatar(c.name, 'fx-avatar wa-av'),
          h('div', { class: 'wa-cellbody' },
            h('div', { 'data-testid': 'cell-frame-title', class: 'wa-celltitle' }, h('span', { title: c.name, dir: 'auto', text: c.name })),
            h('div', { class: 'wa-cellsub' }, h('span', { title: last, text: last })))));
      row.addEventListener('click', function () { openChat(c); });
      chatList.appendChild(row);
    });
  }

  function openChat(c) {
    if (current === c) return;
    current = c;
    closeDrawer();
    K.log('navigate', { chat: c.name });
    renderChatList();
    renderMain();
  }

  // ---- conversation -----------------------------------------------------------
  var msgBox, footer, subtitle;
  function renderMain() {
    var c = current;
    K.clear(mainPane);
    subtitle = h('div', { class: 'wa-sub', text: '' });
    var titleSpan = h('span', { title: c.name, dir: 'auto', 'data-testid': 'conversation-info-header-chat-title', text: c.name });
    var info = h('div', { class: 'wa-headinfo', role: 'button', tabindex: '0', title: c.group ? t('clickInfo') : '' }, titleSpan, subtitle);
    info.addEventListener('click', function () { if (c.group) openDrawer(); });
    var menuBtn = h('span', { 'data-icon': 'menu', role: 'button', tabindex: '0', 'aria-label': t('menu'), class: 'wa-icon', text: '\u22ee' });
    if (c.group) {
      K.menuButton(menuBtn, function () {
        var items = [{ text: t('groupInfo'), onSelect: openDrawer }];
        if (!c.left) items.push({ text: t('exitGroup'), onSelect: openExit });
        return items;
      }, { alignRight: true });
    }
    mainPane.appendChild(h('header', { class: 'wa-head' }, K.avatar(c.name, 'fx-avatar wa-av'), info,
      h('span', { 'data-icon': 'search', role: 'button', 'aria-label': t('search'), class: 'wa-icon', text: '\u2315' }), menuBtn));
    msgBox = h('div', { class: 'wa-messages', role: 'application' });
    mainPane.appendChild(msgBox);
    footer = h('footer', { class: 'wa-foot' });
    mainPane.appendChild(footer);
    renderSubtitle();
    renderMessages();
    renderFooter();
  }
  function renderSubtitle() {
    if (!subtitle) return;
    var c = current;
    K.setText(subtitle, c.group ? (c.left ? '' : c.members.concat([t('you')]).join(', ')) : '');
  }
  function renderMessages() {
    var c = current;
    K.clear(msgBox);
    msgBox.appendChild(h('div', { class: 'wa-date' }, h('span', { text: t('today') })));
    c.messages.forEach(function (m) {
      if (m.sys) return;
      var mine = m.from === null;
      msgBox.appendChild(h('div', { role: 'row', class: 'wa-msg ' + (mine ? 'wa-out' : 'wa-in') },
        h('div', { class: 'wa-bubble' },
          mine || !c.group ? null : h('div', { class: 'wa-author', text: m.from }),
          h('span', { class: 'selectable-text', dir: 'ltr', text: m.text }))));
    });
    c.system.forEach(function (s) {
      msgBox.appendChild(h('div', { role: 'row', class: 'wa-sys', 'data-system': s.kind }, h('span', { dir: 'auto', text: s.text })));
    });
    msgBox.scrollTop = msgBox.scrollHeight;
  }
  function renderFooter() {
    var c = current;
    K.clear(footer);
    if (c.group && c.left) {
      footer.appendChild(h('div', { class: 'wa-readonly', text: t('notParticipant') }));
      return;
    }
    var input = h('input', { type: 'text', class: 'wa-input', placeholder: t('typeMessage'), 'aria-label': t('typeMessage') });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && input.value.trim()) {
        c.messages.push({ from: null, text: input.value.trim() });
        input.value = '';
        renderMessages();
      }
    });
    footer.appendChild(input);
  }

  function system(c, kind, text) {
    c.system.push({ kind: kind, text: text });
    if (c === current && msgBox) renderMessages();
  }
  function applySeed(c, s) {
    var actor = s.args[0] || 'Anna Schmidt';
    switch (s.kind) {
      case 'added': c.left = false; system(c, 'added', t('addedYou', { actor: actor })); break;
      case 'addedOther': system(c, 'addedOther', t('addedOther', { actor: actor, user: s.args[1] || 'Ben Carter' })); break;
      case 'youAdded': system(c, 'youAdded', t('youAdded', { user: actor })); break;
      case 'left': c.left = true; system(c, 'left', t('youLeft')); break;
      case 'leftOther': system(c, 'leftOther', t('leftOther', { actor: actor })); break;
      case 'removed': c.left = true; system(c, 'removed', t('removedYou', { actor: actor })); break;
    }
    if (c === current && footer) { renderFooter(); renderSubtitle(); renderDrawer(); }
  }
  K.sysSeeds().forEach(function (s) { applySeed(startChat, s); });

  // ---- group info drawer ---------------------------------------------------------
  function openDrawer() { drawer.hidden = false; renderDrawer(); }
  function closeDrawer() { drawer.hidden = true; K.clear(drawer); }
  function renderDrawer() {
    if (drawer.hidden) return;
    var c = current;
    K.clear(drawer);
    var x = h('span', { 'data-icon': 'x', role: 'button', tabindex: '0', 'aria-label': t('close'), class: 'wa-icon', text: '\u2715' });
    x.addEventListener('click', closeDrawer);
    drawer.appendChild(h('header', { class: 'wa-drawhead' }, x, h('h1', { text: t('groupInfo') })));
    drawer.appendChild(h('div', { class: 'wa-drawcard wa-center' }, K.avatar(c.name, 'fx-avatar wa-bigav'),
      h('h2', { text: c.name }), h('div', { class: 'wa-muted', text: t('group') + ' \u00b7 ' + t('participants', { n: c.left ? c.members.length : c.members.length + 1 }) })));
    var sec = h('div', { class: 'wa-drawcard' }, h('div', { class: 'wa-muted', text: t('participants', { n: c.left ? c.members.length : c.members.length + 1 }) }));
    if (!c.left) {
      var add = h('div', { role: 'button', tabindex: '0', class: 'wa-action' },
        h('span', { class: 'wa-actionicon' }, h('span', { 'data-icon': 'add-user', text: '+' })), h('span', { text: t('addParticipant') }));
      add.addEventListener('click', openAdd);
      sec.appendChild(add);
      sec.appendChild(h('div', { role: 'button', tabindex: '0', class: 'wa-action' },
        h('span', { class: 'wa-actionicon' }, h('span', { 'data-icon': 'link', text: '\u26ad' })), h('span', { text: t('inviteLink') })));
      sec.appendChild(h('div', { class: 'wa-member' }, K.avatar('Robin Meyer'), h('span', { text: t('you') })));
    }
    c.members.forEach(function (n) {
      sec.appendChild(h('div', { class: 'wa-member' }, K.avatar(n), h('span', { dir: 'auto', text: n })));
    });
    drawer.appendChild(sec);
    var exit = h('div', { role: 'button', tabindex: '0', class: 'wa-action wa-danger' },
      h('span', { 'data-icon': c.left ? 'delete' : 'exit', text: '\u21e5' }), h('span', { text: c.left ? t('deleteGroup') : t('exitGroup') }));
    if (!c.left) exit.addEventListener('click', openExit);
    drawer.appendChild(h('div', { class: 'wa-drawcard' }, exit));
  }

  // ---- popups (platform's own confirmation) -------------------------------------
  function popup(text, buttons, label) {
    var m = K.modal({ backdropClass: 'fx-backdrop wa-overlay', attrs: { class: 'wa-popup', 'data-animate-modal-popup': 'true', 'aria-label': label || text }, onEscape: function () { buttons[0].onClick(); } });
    var row = h('div', { class: 'wa-popbtns' });
    buttons.forEach(function (b) {
      var el = h('div', { role: 'button', tabindex: '0', class: 'wa-popbtn' + (b.primary ? ' wa-popprimary' : '') }, h('div', { text: b.text }));
      el.addEventListener('click', b.onClick);
      row.appendChild(el);
    });
    K.append(m.box, [h('div', { 'data-animate-modal-body': 'true', class: 'wa-popbody' }, h('div', { class: 'wa-poptext', text: text })), row]);
    return m;
  }

  // ---- add participant picker (virtualised, renders late) ---------------------------
  var addOpen = false;
  function openAdd() {
    if (addOpen) return;
    addOpen = true;
    var c = current;
    K.later(350, function () { buildAdd(c); });
  }
  function buildAdd(c) {
    var selected = {};
    var order = [];
    var m = K.modal({ backdropClass: 'fx-backdrop wa-overlay', attrs: { class: 'wa-picker', 'data-animate-modal-popup': 'true', 'aria-label': t('addParticipant') }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'add', group: c.name });
    var chips = h('div', { class: 'wa-chips' });
    var search = h('input', { type: 'text', class: 'wa-psearch', placeholder: t('searchContacts'), 'aria-label': t('searchContacts') });
    var empty = h('div', { class: 'wa-muted wa-empty', hidden: true, text: t('noContacts') });
    var confirmWrap = h('div', { class: 'wa-confirmwrap', hidden: true });
    var confirmBtn = h('div', { role: 'button', tabindex: '0', class: 'wa-confirm' },
      h('span', { 'data-icon': 'checkmark-medium', 'aria-label': t('confirm'), text: '\u2713' }));
    confirmWrap.appendChild(confirmBtn);

    var isMember = function (name) { return c.members.indexOf(name) >= 0; };
    var vlist = K.virtualList({
      rowHeight: 72, height: 360, pool: 12,
      attrs: { role: 'grid', 'aria-label': t('addParticipant') },
      makeRow: function () {
        var nameSpan = h('span', { dir: 'auto', title: '' }, '');
        var sub = h('span', { title: '' }, '');
        var av = h('span', { class: 'fx-avatar wa-av', 'aria-hidden': 'true' });
        var box = h('span', { class: 'wa-check', 'aria-hidden': 'true' });
        var row = h('div', { role: 'checkbox', 'aria-checked': 'false', tabindex: '-1', class: 'wa-prow' },
          h('div', { 'data-testid': 'cell-frame-container', class: 'wa-cell' }, box, av,
            h('div', { class: 'wa-cellbody' },
              h('div', { 'data-testid': 'cell-frame-title', class: 'wa-celltitle' }, nameSpan),
              h('div', { class: 'wa-cellsub' }, sub))));
        row.__name = nameSpan; row.__sub = sub; row.__av = av; row.__box = box;
        row.addEventListener('click', function () { toggle(row.__item); });
        row.addEventListener('keydown', function (e) { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); toggle(row.__item); } });
        return row;
      },
      bindRow: function (row, item) {
        var mem = isMember(item.name);
        K.setText(row.__name, item.name);
        row.__name.setAttribute('title', item.name);
        var subText = mem ? t('alreadyAdded') : t('status');
        K.setText(row.__sub, subText);
        row.__sub.setAttribute('title', subText);
        row.__av.setAttribute('data-initials', K.initials(item.name));
        row.__av.style.background = K.avatarColor(item.name);
        var on = mem || !!selected[item.name];
        row.setAttribute('aria-checked', on ? 'true' : 'false');
        if (mem) row.setAttribute('aria-disabled', 'true'); else row.removeAttribute('aria-disabled');
      },
    });
    function toggle(item) {
      if (!item || isMember(item.name)) return;
      if (selected[item.name]) { delete selected[item.name]; order.splice(order.indexOf(item.name), 1); }
      else { selected[item.name] = true; order.push(item.name); }
      update();
    }
    function update() {
      vlist.refresh();
      K.clear(chips);
      order.forEach(function (name) {
        var rm = h('span', { role: 'button', 'aria-label': t('close'), class: 'wa-chipx fx-x', 'data-icon': 'x-alt' });
        rm.addEventListener('click', function () { toggle({ name: name }); });
        chips.appendChild(h('div', { class: 'wa-chip' }, K.avatar(name, 'fx-avatar wa-chipav'), h('span', { dir: 'auto', text: name }), rm));
      });
      confirmWrap.hidden = order.length === 0;
    }
    function filter() {
      var q = search.value.trim().toLowerCase();
      var items = CONTACTS.filter(function (p) { return !q || p.name.toLowerCase().indexOf(q) >= 0; });
      vlist.el.scrollTop = 0;
      vlist.setItems(items);
      empty.hidden = items.length > 0;
    }
    search.addEventListener('input', filter);
    function cancel() { K.log('dialog-cancel', { dialog: 'add', group: c.name }); close(); }
    function close() { m.close(); addOpen = false; }

    confirmBtn.addEventListener('click', function () {
      if (!order.length) return;
      var names = order.slice();
      K.log('dialog-open', { dialog: 'add-confirm', group: c.name, names: names });
      var btnText = names.length === 1 ? t('addParticipant') : t('addParticipantsBtn');
      var pop = popup(t('addQuestion', { members: K.joinNames(names), group: c.name }), [
        { text: t('cancel'), onClick: function () { K.log('dialog-cancel', { dialog: 'add-confirm', group: c.name }); pop.close(); } },
        { text: btnText, primary: true, onClick: function () { pop.close(); close(); commitAdd(c, names); } },
      ]);
    });

    var x = h('span', { 'data-icon': 'x', role: 'button', tabindex: '0', 'aria-label': t('close'), class: 'wa-icon', text: '\u2715' });
    x.addEventListener('click', cancel);
    K.append(m.box, [
      h('header', { class: 'wa-pickhead' }, x, h('h1', { text: t('addParticipant') })),
      h('div', { 'data-animate-modal-body': 'true', class: 'wa-pickbody' }, chips, search, vlist.el, empty),
      confirmWrap,
    ]);
    vlist.setItems(CONTACTS);
    update();
    search.focus();
  }

  // The site's own final add (bound on the popup's confirm button).
  function commitAdd(c, names) {
    var refused = names.filter(function (n) { return PRIVATE[n]; });
    var added = names.filter(function (n) { return !PRIVATE[n]; });
    K.log('add', { names: added, count: added.length, group: c.name, refused: refused });
    added.forEach(function (n) { c.members.push(n); system(c, 'youAdded', t('youAdded', { user: n })); });
    renderSubtitle();
    renderDrawer();
    renderChatList();
    if (refused.length) {
      var pop = popup(t('couldntAdd', { names: K.joinNames(refused) }) + '. ' + t('couldntAddBody'), [
        { text: t('cancel'), onClick: function () { pop.close(); } },
        { text: t('sendInvite'), primary: true, onClick: function () {
          pop.close();
          K.log('invite', { names: refused, count: refused.length, group: c.name, via: 'link' });
        } },
      ]);
    }
  }

  // ---- exit ------------------------------------------------------------------------
  function openExit() {
    var c = current;
    if (!c.group || c.left) return;
    K.log('dialog-open', { dialog: 'leave', group: c.name });
    var pop = popup(t('exitQuestion', { group: c.name }), [
      { text: t('cancel'), onClick: function () { K.log('dialog-cancel', { dialog: 'leave', group: c.name }); pop.close(); } },
      { text: K.lang === 'de' ? t('exitConfirm') : t('exitGroup'), primary: true, onClick: function () {
        pop.close();
        K.log('leave', { group: c.name });
        c.left = true;
        system(c, 'left', t('youLeft'));
        renderFooter(); renderSubtitle(); renderDrawer(); renderChatList();
      } },
    ]);
  }

  current = startChat;
  renderChatList();
  renderMain();
  K.ready('whatsapp', {
    openAdd: function () { openDrawer(); openAdd(); },
    openLeave: openExit,
    openChat: function (name) { var c = CHATS.filter(function (x) { return x.name === name || x.id === name; })[0]; if (c) openChat(c); },
    /** Append a system message to the open chat, e.g. system('added:Anna Schmidt'). */
    system: function (spec) { var b = spec.split(':'); applySeed(current, { kind: b[0], args: b.slice(1) }); renderChatList(); },
    state: function () { return { chat: current.name, left: current.left, members: current.members.slice() }; },
  });
  if (K.param('open') === 'add') { openDrawer(); openAdd(); }
  else if (K.param('open') === 'leave') openExit();
})();
