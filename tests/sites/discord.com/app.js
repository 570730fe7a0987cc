/* Discord group-DM fixture. SITES.md has no Discord UI strings: all strings are invented. */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var S = {
    en: {
      findConversation: 'Find or start a conversation',
      friends: 'Friends',
      dms: 'Direct Messages',
      privateChannels: 'Private channels',
      addFriends: 'Add Friends to DM',
      selectFriends: 'Select Friends',
      canAdd: 'You can add {n} more friends.',
      canAdd1: 'You can add 1 more friend.',
      full: 'This group has a 10 member limit.',
      typeUsername: 'Type the username of a friend',
      add: 'Add',
      cancel: 'Cancel',
      close: 'Close',
      showMembers: 'Show Member List',
      more: 'More',
      members: 'Members\u2014{n}',
      message: 'Message {group}',
      leaveGroup: 'Leave Group',                          // brief
      leaveTitle: 'Leave \u2018{group}\u2019',
      leaveBody: 'Are you sure you want to leave {group}? You won\u2019t be able to rejoin this group unless you are re-invited.',
      markRead: 'Mark As Read',
      changeIcon: 'Change Icon',
      added: '{actor} added {user} to the group.',        // "recipient add"
      removed: '{actor} removed {user} from the group.',  // "recipient remove"
      left: '{actor} left the group.',                    // own "recipient remove"
      online: 'Online',
      noFriends: 'No friends found',
      friendsWelcome: 'Select a conversation on the left.',
      today: 'Today',
    },
    de: {
      findConversation: 'Finde oder starte ein Gespr\u00e4ch',
      friends: 'Freunde',
      dms: 'Direktnachrichten',
      privateChannels: 'Private Kan\u00e4le',
      addFriends: 'Freunde zur DM hinzuf\u00fcgen',
      selectFriends: 'Freunde ausw\u00e4hlen',
      canAdd: 'Du kannst noch {n} Freunde hinzuf\u00fcgen.',
      canAdd1: 'Du kannst noch 1 Freund hinzuf\u00fcgen.',
      full: 'Diese Gruppe ist auf 10 Mitglieder begrenzt.',
      typeUsername: 'Gib den Benutzernamen eines Freundes ein',
      add: 'Hinzuf\u00fcgen',
      cancel: 'Abbrechen',
      close: 'Schlie\u00dfen',
      showMembers: 'Mitgliederliste anzeigen',
      more: 'Mehr',
      members: 'Mitglieder \u2014 {n}',
      message: 'Nachricht an {group}',
      leaveGroup: 'Gruppe verlassen',
      leaveTitle: '\u201e{group}\u201c verlassen',
      leaveBody: 'Bist du sicher, dass du {group} verlassen willst? Du kannst der Gruppe nur wieder beitreten, wenn du erneut eingeladen wirst.',
      markRead: 'Als gelesen markieren',
      changeIcon: 'Symbol \u00e4ndern',
      added: '{actor} hat {user} zur Gruppe hinzugef\u00fcgt.',
      removed: '{actor} hat {user} aus der Gruppe entfernt.',
      left: '{actor} hat die Gruppe verlassen.',
      online: 'Online',
      noFriends: 'Keine Freunde gefunden',
      friendsWelcome: 'W\u00e4hle links eine Unterhaltung aus.',
      today: 'Heute',
    },
  };
  var t = function (k, v) { return K.t(S, k, v); };

  var ME = 'Robin Meyer';
  var LIMIT = 10;
  var FRIENDS = K.people(Number(K.param('people', 40))).map(function (p) {
    return { name: p.name, username: p.name.replace(/<[^>]*>/g, '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '') };
  });
  var DMS = [
    { id: '1100000000000000001', name: 'Weekend Trip', members: ['Ben Carter', 'Mia Wagner', 'Noah Becker'],
      messages: [{ from: 'Ben Carter', text: 'Train leaves at 9:12, platform 4.' }, { from: 'Mia Wagner', text: 'I\u2019ll bring snacks.' }] },
    { id: '1100000000000000002', name: 'Study Group', members: ['Lea Hoffmann', 'Paul Sch\u00e4fer', 'Emma Koch', 'Luca Richter', 'Hannah Klein', 'Felix Wolf', 'Sophie Schr\u00f6der'],
      messages: [{ from: 'Emma Koch', text: 'Exam prep at the library tonight?' }] },
    { id: '1100000000000000003', name: 'Board Game Night', members: ['Jonas Neumann', 'Marie Schwarz'],
      messages: [{ from: 'Marie Schwarz', text: 'Catan or Azul?' }] },
  ];
  var startMember = K.flag('member', true);
  DMS.forEach(function (d) { d.left = !startMember; d.system = []; });
  var seeds = K.sysSeeds();
  var seeded = false;

  var app = document.getElementById('app');
  var guilds = h('nav', { class: 'dc-guilds', 'aria-label': 'Servers sidebar' }, h('div', { class: 'dc-home', 'aria-label': t('dms') }));
  var sidebar = h('nav', { class: 'dc-sidebar', 'aria-label': t('privateChannels') });
  var content = h('main', { class: 'dc-content' });
  var userArea = h('section', { class: 'dc-user', 'aria-label': 'User area' }, K.avatar(ME, 'fx-avatar dc-av'),
    h('div', {}, h('div', { class: 'dc-username', text: ME }), h('div', { class: 'dc-muted', text: t('online') })));
  app.appendChild(h('div', { class: 'dc-app' }, guilds, h('div', { class: 'dc-sidecol' }, sidebar, userArea), content));

  var current = null;
  function route() {
    K.closeMenu();
    var m = location.pathname.match(/^\/channels\/@me\/(\d+)/);
    current = m ? (DMS.filter(function (d) { return d.id === m[1]; })[0] || null) : null;
    if (current && !seeded) { seeded = true; seeds.forEach(function (s) { applySeed(current, s); }); }
    renderSidebar();
    renderContent();
  }

  function dmMenu(d) {
    var items = [{ text: t('markRead'), onSelect: function () {} }, { text: t('changeIcon'), onSelect: function () {} }];
    if (!d.left) items.push(null, { text: t('leaveGroup'), attrs: { class: 'fx-menuitem dc-danger', id: 'private-channel-ctx-leave-channel' }, onSelect: function () { openLeave(d); } });
    return items;
  }
  function renderSidebar() {
    K.clear(sidebar);
    sidebar.appendChild(h('div', { class: 'dc-search' }, h('input', { type: 'text', placeholder: t('findConversation'), 'aria-label': t('findConversation') })));
    sidebar.appendChild(K.link('/channels/@me', { class: 'dc-dm' + (!current ? ' dc-selected' : '') }, t('friends')));
    sidebar.appendChild(h('h2', { class: 'dc-sechead', text: t('dms').toUpperCase() }));
    DMS.forEach(function (d) {
      if (d.left && d !== current) return;
      var a = K.link('/channels/@me/' + d.id, { class: 'dc-dm' + (d === current ? ' dc-selected' : ''), 'aria-current': d === current ? 'page' : null },
        K.avatar(d.name, 'fx-avatar dc-av'), h('span', { class: 'dc-col' }, h('span', { class: 'dc-dmname', text: d.name }),
          h('span', { class: 'dc-muted', text: t('members', { n: d.members.length + (d.left ? 0 : 1) }) })));
      a.addEventListener('contextmenu', function (e) { e.preventDefault(); K.menu(a, dmMenu(d), { attrs: { id: 'private-channel-ctx', 'aria-label': 'Channel Actions' } }); });
      sidebar.appendChild(a);
    });
  }

  var msgList, membersAside, composer;
  function renderContent() {
    K.clear(content);
    msgList = membersAside = composer = null;
    var d = current;
    if (!d) {
      K.title('Discord | Friends');
      content.appendChild(h('div', { class: 'dc-header' }, h('h1', { class: 'dc-title', text: t('friends') })));
      content.appendChild(h('div', { class: 'dc-empty', text: t('friendsWelcome') }));
      return;
    }
    K.title('Discord | ' + d.name);
    var addBtn = h('div', { role: 'button', tabindex: '0', class: 'dc-iconbtn', 'aria-label': t('addFriends'), text: '+' });
    addBtn.addEventListener('click', function () { openAdd(addBtn); });
    var membersBtn = h('div', { role: 'button', tabindex: '0', class: 'dc-iconbtn', 'aria-label': t('showMembers'), text: '\u2261' });
    membersBtn.addEventListener('click', function () { membersAside.hidden = !membersAside.hidden; });
    var moreBtn = h('div', { role: 'button', tabindex: '0', class: 'dc-iconbtn', 'aria-label': t('more'), text: '\u22ef' });
    K.menuButton(moreBtn, function () { return dmMenu(d); }, { alignRight: true });
    var header = h('section', { class: 'dc-header', 'aria-label': 'Channel header' }, K.avatar(d.name, 'fx-avatar dc-av'),
      h('h1', { class: 'dc-title', text: d.name }), h('span', { class: 'dc-grow' }));
    if (!d.left) header.appendChild(addBtn);
    header.appendChild(membersBtn);
    header.appendChild(moreBtn);
    content.appendChild(header);
    msgList = h('ol', { class: 'dc-messages', role: 'list', 'aria-label': t('message', { group: d.name }) });
    membersAside = h('aside', { class: 'dc-members', 'aria-label': 'Members' });
    composer = h('div', { class: 'dc-composer' });
    content.appendChild(h('div', { class: 'dc-body' }, h('div', { class: 'dc-chat' }, msgList, composer), membersAside));
    renderMessages();
    renderMembers();
    renderComposer();
  }
  function renderMessages() {
    if (!msgList) return;
    var d = current;
    K.clear(msgList);
    msgList.appendChild(h('li', { class: 'dc-divider', text: t('today') }));
    d.messages.forEach(function (m) {
      msgList.appendChild(h('li', { class: 'dc-msg', role: 'listitem' }, K.avatar(m.from, 'fx-avatar dc-av'),
        h('div', {}, h('span', { class: 'dc-author', text: m.from }), h('div', { class: 'dc-text', text: m.text }))));
    });
    d.system.forEach(function (s) {
      msgList.appendChild(h('li', { class: 'dc-msg dc-system', role: 'listitem', 'data-system': s.kind },
        h('span', { class: 'dc-sysicon', 'aria-hidden': 'true', text: s.kind === 'recipient-add' ? '\u2192' : '\u2190' }),
        h('div', { class: 'dc-text', text: s.text })));
    });
    msgList.scrollTop = msgList.scrollHeight;
  }
  function renderMembers() {
    if (!membersAside) return;
    var d = current;
    K.clear(membersAside);
    var all = d.left ? d.members.slice() : [ME].concat(d.members);
    membersAside.appendChild(h('h2', { class: 'dc-sechead', text: t('members', { n: all.length }).toUpperCase() }));
    all.forEach(function (n) { membersAside.appendChild(h('div', { class: 'dc-member' }, K.avatar(n, 'fx-avatar dc-av'), h('span', { text: n }))); });
  }
  function renderComposer() {
    if (!composer) return;
    var d = current;
    K.clear(composer);
    if (d.left) return;
    var input = h('input', { type: 'text', class: 'dc-input', placeholder: t('message', { group: d.name }), 'aria-label': t('message', { group: d.name }) });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && input.value.trim()) { d.messages.push({ from: ME, text: input.value.trim() }); input.value = ''; renderMessages(); }
    });
    composer.appendChild(input);
  }
  function system(d, kind, text) { d.system.push({ kind: kind, text: text }); if (d === current) renderMessages(); }
  function applySeed(d, s) {
    var actor = s.args[0] || 'Anna Schmidt';
    if (s.kind === 'added') { d.left = false; if (d.members.indexOf(actor) < 0) d.members.push(actor); system(d, 'recipient-add', t('added', { actor: actor, user: ME })); }
    else if (s.kind === 'addedOther') system(d, 'recipient-add', t('added', { actor: actor, user: s.args[1] || 'Ben Carter' }));
    else if (s.kind === 'left') { d.left = true; system(d, 'recipient-remove', t('left', { actor: ME })); }
    else if (s.kind === 'leftOther') system(d, 'recipient-remove', t('left', { actor: actor }));
    else if (s.kind === 'removed') { d.left = true; system(d, 'recipient-remove', t('removed', { actor: actor, user: ME })); }
    if (d === current) { renderMembers(); renderComposer(); }
  }

  // ---- add friends popout (renders late) ------------------------------------------
  var addOpen = false;
  function openAdd() {
    if (addOpen || !current || current.left) return;
    addOpen = true;
    var d = current;
    K.later(300, function () { buildAdd(d); });
  }
  function buildAdd(d) {
    var order = [];
    var remaining = function () { return LIMIT - (d.members.length + 1) - order.length; };
    var m = K.modal({ backdropClass: 'fx-backdrop dc-layer', attrs: { class: 'dc-popout', 'aria-label': t('selectFriends') }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'add', group: d.name, channelId: d.id });
    var sub = h('div', { class: 'dc-muted' });
    var tags = h('div', { class: 'dc-tags' });
    var input = h('input', { type: 'text', class: 'dc-tagsinput', placeholder: t('typeUsername'), 'aria-label': t('typeUsername') });
    var list = h('div', { class: 'dc-friendlist', role: 'list' });
    var none = h('div', { class: 'dc-muted dc-none', hidden: true, text: t('noFriends') });
    var addBtn = h('button', { type: 'button', class: 'dc-button dc-primary', disabled: true, text: t('add') });
    var rows = [];
    FRIENDS.forEach(function (f) {
      if (d.members.indexOf(f.name) >= 0) return; // members are not offered
      var cb = h('input', { type: 'checkbox', class: 'dc-cb', 'aria-label': f.name });
      var row = h('label', { class: 'dc-friendrow', role: 'listitem' }, K.avatar(f.name, 'fx-avatar dc-av'),
        h('span', { class: 'dc-col' }, h('span', { class: 'dc-fname', text: f.name }), h('span', { class: 'dc-muted', text: f.username })), cb);
      cb.addEventListener('change', function () {
        var i = order.indexOf(f.name);
        if (cb.checked && i < 0) order.push(f.name);
        if (!cb.checked && i >= 0) order.splice(i, 1);
        update();
      });
      rows.push({ row: row, cb: cb, f: f });
      list.appendChild(row);
    });
    function update() {
      var r = remaining();
      K.setText(sub, r <= 0 ? t('full') : (r === 1 ? t('canAdd1') : t('canAdd', { n: r })));
      rows.forEach(function (x) {
        x.cb.disabled = !x.cb.checked && r <= 0;
        x.row.classList.toggle('dc-disabled', x.cb.disabled);
      });
      Array.prototype.slice.call(tags.querySelectorAll('.dc-tag')).forEach(K.remove);
      order.forEach(function (n) {
        var tag = h('span', { class: 'dc-tag', role: 'button', tabindex: '0' }, h('span', { text: n }));
        tag.addEventListener('click', function () { rows.forEach(function (x) { if (x.f.name === n) { x.cb.checked = false; } }); order.splice(order.indexOf(n), 1); update(); });
        tags.insertBefore(tag, input);
      });
      addBtn.disabled = order.length === 0;
    }
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase(), shown = 0;
      rows.forEach(function (x) { var ok = !q || x.f.name.toLowerCase().indexOf(q) >= 0 || x.f.username.indexOf(q) >= 0; x.row.hidden = !ok; if (ok) shown++; });
      none.hidden = shown > 0;
    });
    function cancel() { K.log('dialog-cancel', { dialog: 'add', group: d.name, channelId: d.id }); close(); }
    function close() { m.close(); addOpen = false; }
    // The site's own confirm handler, on the element.
    addBtn.addEventListener('click', function () {
      if (!order.length) return;
      var names = order.slice();
      K.log('add', { names: names, count: names.length, group: d.name, channelId: d.id });
      names.forEach(function (n) { d.members.push(n); system(d, 'recipient-add', t('added', { actor: ME, user: n })); });
      close();
      renderMembers(); renderSidebar();
    });
    var x = h('button', { type: 'button', class: 'dc-x', 'aria-label': t('close'), text: '\u2715' });
    x.addEventListener('click', cancel);
    tags.appendChild(input);
    K.append(m.box, [
      h('div', { class: 'dc-pophead' }, h('h1', { class: 'dc-poptitle', text: t('selectFriends') }), x),
      sub, tags, list, none,
      h('div', { class: 'dc-popfoot' }, addBtn),
    ]);
    update();
    input.focus();
  }

  // ---- leave ---------------------------------------------------------------------------
  function openLeave(d) {
    d = d || current;
    if (!d || d.left) return;
    K.log('dialog-open', { dialog: 'leave', group: d.name, channelId: d.id });
    var cancel = function () { K.log('dialog-cancel', { dialog: 'leave', group: d.name, channelId: d.id }); m.close(); };
    var m = K.modal({ backdropClass: 'fx-backdrop dc-layer', attrs: { class: 'dc-modal', 'aria-label': t('leaveTitle', { group: d.name }) }, onEscape: cancel });
    var cancelBtn = h('button', { type: 'button', class: 'dc-button dc-link', text: t('cancel') });
    cancelBtn.addEventListener('click', cancel);
    var ok = h('button', { type: 'button', class: 'dc-button dc-red', text: t('leaveGroup') });
    ok.addEventListener('click', function () {
      m.close();
      K.log('leave', { group: d.name, channelId: d.id });
      d.left = true;
      system(d, 'recipient-remove', t('left', { actor: ME }));
      // Discord closes the group DM and returns to the friends page.
      if (d === current) K.navigate('/channels/@me'); else renderSidebar();
    });
    K.append(m.box, [
      h('h1', { class: 'dc-modaltitle', text: t('leaveTitle', { group: d.name }) }),
      h('p', { class: 'dc-modalbody', text: t('leaveBody', { group: d.name }) }),
      h('div', { class: 'dc-modalfoot' }, cancelBtn, ok),
    ]);
  }

  K.onRoute(route);
  route();
  K.ready('discord', {
    openAdd: openAdd,
    openLeave: function () { openLeave(current); },
    system: function (spec) { var b = spec.split(':'); if (current) applySeed(current, { kind: b[0], args: b.slice(1) }); },
    state: function () { return current && { group: current.name, channelId: current.id, left: current.left, members: current.members.slice() }; },
    me: ME,
  });
  if (K.param('open') === 'add') openAdd();
  else if (K.param('open') === 'leave') openLeave(current);
})();
