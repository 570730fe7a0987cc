/*
 * Discord fixture: group DMs with the "Add Friends to DM" modal, in two row shapes.
 *
 * Sources (REAL-DOM.md = docs/evidence/real-dom.md, SITES.md = docs/evidence/sites-fact-sheet.md):
 * - REAL-DOM 1.5, 2.7 and 3 "Discord – add friends modal rows" (a datamined build of the current
 *   web client with the experiment 2026-02-longer-group-dm-invites, read from a public script):
 *   the picker is a design-system Modal; rows are clickable elements with role="checkbox",
 *   aria-checked, aria-disabled, aria-setsize/aria-posinset and id `user-row-N`, the name in a
 *   <strong>; the search input has role="combobox" and shows the chosen people as tags; for an
 *   existing group DM the add button sits next to the search bar; a subtitle "You can add {n}
 *   more …" (string key HrSDPF). This is `shape=checkbox-rows`, the default.
 * - The entry `[aria-label="Add Friends to DM"]` (an a11y snapshot shows `button "Add Friends to
 *   DM"`), the leave menu item `MenuItem({id: "leave-channel", color: "danger"})` (its id prefix is
 *   the menu's, unknown) followed by a confirmation modal, and the system messages RECIPIENT_ADD
 *   (actor and added user by name) and RECIPIENT_REMOVE (author == removed user: left): REAL-DOM
 *   2.7. Group DMs hold at most 10 people and only friends can be added: SITES.md.
 * - `shape=label-rows`: the previous fixture's rows, `label` › `input[type=checkbox]`, with a footer
 *   "Add" button. Kept as an older shape; no source shows it (UNVERIFIED).
 * - Message list `ol[data-list-id="chat-messages"]` > `li[id^="chat-messages-"]` with the text in
 *   `[id^="message-content-"]`: public scripts (code search), not in REAL-DOM. People's messages
 *   have `[id^="message-username-"]` in their header and `[id^="message-accessories-"]` (public
 *   scripts, a datamined client); that system messages have neither is UNVERIFIED.
 *
 * UNVERIFIED (invented, no evidence): every text (the modal title "Select Friends", "You can add
 * {n} more friends.", "This group has a 10 member limit.", "Add", "Leave Group", "Leave '{group}'",
 * the system messages' words "{actor} added {user} to the group." / "{user} left the group." /
 * "{actor} removed {user} from the group."), all German and French texts, the tags' markup, the
 * visual checkbox inside a row, the list container, whether the list is virtualised (it is not
 * here), the id prefix `private-channel-ctx` of the menu, the "User area" and "Channel header"
 * sections, and the class names (Discord's are hashed CSS-module names; the fixture's own `dc-`
 * names stand in for them and no pack may use them).
 * "Leave again" opens the DM header's "More" button (div[role=button] aria-label "More",
 * aria-haspopup=menu; unverified) holding the same `#private-channel-ctx` menu as the right click.
 */
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
      userArea: 'User area',
      channelHeader: 'Channel header',
      addFriends: 'Add Friends to DM',                    // REAL-DOM 2.7 (aria-label)
      selectFriends: 'Select Friends',
      canAdd: 'You can add {n} more friends.',
      canAdd1: 'You can add 1 more friend.',
      full: 'This group has a 10 member limit.',
      typeUsername: 'Type the username of a friend',
      add: 'Add',
      remove: 'Remove {name}',
      cancel: 'Cancel',
      close: 'Close',
      showMembers: 'Show Member List',
      more: 'More',
      members: 'Members\u2014{n}',
      messages: 'Messages in {group}',
      message: 'Message {group}',
      leaveGroup: 'Leave Group',                          // brief
      leaveTitle: 'Leave \u2018{group}\u2019',
      leaveBody: 'Are you sure you want to leave {group}? You won\u2019t be able to rejoin this group unless you are re-invited.',
      markRead: 'Mark As Read',
      changeIcon: 'Change Icon',
      channelActions: 'Channel Actions',
      added: '{actor} added {user} to the group.',        // RECIPIENT_ADD
      removed: '{actor} removed {user} from the group.',  // RECIPIENT_REMOVE
      left: '{actor} left the group.',                    // RECIPIENT_REMOVE, author == removed
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
      userArea: 'Benutzerbereich',
      channelHeader: 'Kanalkopfzeile',
      addFriends: 'Freunde zur DM hinzuf\u00fcgen',
      selectFriends: 'Freunde ausw\u00e4hlen',
      canAdd: 'Du kannst noch {n} Freunde hinzuf\u00fcgen.',
      canAdd1: 'Du kannst noch 1 Freund hinzuf\u00fcgen.',
      full: 'Diese Gruppe ist auf 10 Mitglieder begrenzt.',
      typeUsername: 'Gib den Benutzernamen eines Freundes ein',
      add: 'Hinzuf\u00fcgen',
      remove: '{name} entfernen',
      cancel: 'Abbrechen',
      close: 'Schlie\u00dfen',
      showMembers: 'Mitgliederliste anzeigen',
      more: 'Mehr',
      members: 'Mitglieder \u2014 {n}',
      messages: 'Nachrichten in {group}',
      message: 'Nachricht an {group}',
      leaveGroup: 'Gruppe verlassen',
      leaveTitle: '\u201e{group}\u201c verlassen',
      leaveBody: 'Bist du sicher, dass du {group} verlassen willst? Du kannst der Gruppe nur wieder beitreten, wenn du erneut eingeladen wirst.',
      markRead: 'Als gelesen markieren',
      changeIcon: 'Symbol \u00e4ndern',
      channelActions: 'Kanalaktionen',
      added: '{actor} hat {user} zur Gruppe hinzugef\u00fcgt.',
      removed: '{actor} hat {user} aus der Gruppe entfernt.',
      left: '{actor} hat die Gruppe verlassen.',
      online: 'Online',
      noFriends: 'Keine Freunde gefunden',
      friendsWelcome: 'W\u00e4hle links eine Unterhaltung aus.',
      today: 'Heute',
    },
    fr: {
      findConversation: 'Rechercher ou lancer une conversation',
      friends: 'Amis',
      dms: 'Messages priv\u00e9s',
      privateChannels: 'Salons priv\u00e9s',
      userArea: 'Espace utilisateur',
      channelHeader: 'En-t\u00eate du salon',
      addFriends: 'Ajouter des amis au MP',
      selectFriends: 'S\u00e9lectionner des amis',
      canAdd: 'Tu peux encore ajouter {n}\u00a0amis.',
      canAdd1: 'Tu peux encore ajouter 1\u00a0ami.',
      full: 'Ce groupe est limit\u00e9 \u00e0 10\u00a0membres.',
      typeUsername: 'Saisis le nom d\u2019utilisateur d\u2019un ami',
      add: 'Ajouter',
      remove: 'Retirer {name}',
      cancel: 'Annuler',
      close: 'Fermer',
      showMembers: 'Afficher la liste des membres',
      more: 'Plus',
      members: 'Membres\u00a0\u2014 {n}',
      messages: 'Messages dans {group}',
      message: 'Envoyer un message \u00e0 {group}',
      leaveGroup: 'Quitter le groupe',
      leaveTitle: 'Quitter \u00ab\u00a0{group}\u00a0\u00bb',
      leaveBody: 'Veux-tu vraiment quitter {group}\u00a0? Tu ne pourras le rejoindre que si quelqu\u2019un t\u2019y invite de nouveau.',
      markRead: 'Marquer comme lu',
      changeIcon: 'Changer l\u2019ic\u00f4ne',
      channelActions: 'Actions du salon',
      added: '{actor} a ajout\u00e9 {user} au groupe.',
      removed: '{actor} a retir\u00e9 {user} du groupe.',
      left: '{actor} a quitt\u00e9 le groupe.',
      online: 'En ligne',
      noFriends: 'Aucun ami trouv\u00e9',
      friendsWelcome: 'S\u00e9lectionne une conversation \u00e0 gauche.',
      today: 'Aujourd\u2019hui',
    },
  };
  var t = function (k, v) { return K.t(S, k, v); };

  // shape=checkbox-rows (default): today's client; shape=label-rows: the older fixture's rows.
  var SHAPE = K.param('shape', 'checkbox-rows') === 'label-rows' ? 'label-rows' : 'checkbox-rows';

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
  // Message ids are snowflakes; the list items' ids are built from them.
  var nextId = 1300000000000000000;

  /** Discord avatars are round <img>s; here an SVG data URL with initials. */
  function avatar(name, size) {
    var initials = K.initials(name).replace(/[^\w\u00C0-\u024F]/g, '');
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="20" fill="' + K.avatarColor(name) +
      '"/><text x="20" y="26" font-family="Arial,sans-serif" font-size="15" font-weight="700" fill="#fff" text-anchor="middle">' + initials + '</text></svg>';
    return h('img', { src: 'data:image/svg+xml,' + encodeURIComponent(svg), class: 'dc-avatar', alt: '', 'aria-hidden': 'true', width: String(size), height: String(size) });
  }

  var app = document.getElementById('app');
  var guilds = h('nav', { class: 'dc-guilds', 'aria-label': 'Servers sidebar' }, h('div', { class: 'dc-home', 'aria-label': t('dms') }));
  var sidebar = h('nav', { class: 'dc-sidebar', 'aria-label': t('privateChannels') });
  var content = h('main', { class: 'dc-content' });
  var userArea = h('section', { class: 'dc-user', 'aria-label': t('userArea') },
    h('div', { class: 'dc-panel' }, h('div', { class: 'dc-avwrap' }, avatar(ME, 32)),
      h('div', { class: 'dc-nametag' }, h('div', { class: 'dc-username', text: ME }), h('div', { class: 'dc-muted', text: t('online') }))));
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
  var MENU = { attrs: { id: 'private-channel-ctx', 'aria-label': t('channelActions') } };
  function renderSidebar() {
    K.clear(sidebar);
    sidebar.appendChild(h('div', { class: 'dc-search' }, h('input', { type: 'text', placeholder: t('findConversation'), 'aria-label': t('findConversation') })));
    sidebar.appendChild(K.link('/channels/@me', { class: 'dc-dm' + (!current ? ' dc-selected' : '') }, t('friends')));
    sidebar.appendChild(h('h2', { class: 'dc-sechead', text: t('dms').toUpperCase() }));
    DMS.forEach(function (d) {
      if (d.left && d !== current) return;
      var a = K.link('/channels/@me/' + d.id, { class: 'dc-dm' + (d === current ? ' dc-selected' : ''), 'aria-current': d === current ? 'page' : null },
        avatar(d.name, 32), h('span', { class: 'dc-col' }, h('span', { class: 'dc-dmname', text: d.name }),
          h('span', { class: 'dc-muted', text: t('members', { n: d.members.length + (d.left ? 0 : 1) }) })));
      a.addEventListener('contextmenu', function (e) { e.preventDefault(); K.menu(a, dmMenu(d), MENU); });
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
      content.appendChild(h('section', { class: 'dc-header', 'aria-label': t('channelHeader') }, h('h1', { class: 'dc-title', text: t('friends') })));
      content.appendChild(h('div', { class: 'dc-empty', text: t('friendsWelcome') }));
      return;
    }
    K.title('Discord | ' + d.name);
    var addBtn = h('div', { role: 'button', tabindex: '0', class: 'dc-iconbtn', 'aria-label': t('addFriends') }, h('span', { class: 'dc-icon dc-icon-adduser', 'aria-hidden': 'true' }));
    addBtn.addEventListener('click', function () { openAdd(addBtn); });
    var membersBtn = h('div', { role: 'button', tabindex: '0', class: 'dc-iconbtn', 'aria-label': t('showMembers') }, h('span', { class: 'dc-icon dc-icon-members', 'aria-hidden': 'true' }));
    membersBtn.addEventListener('click', function () { membersAside.hidden = !membersAside.hidden; });
    var moreBtn = h('div', { role: 'button', tabindex: '0', class: 'dc-iconbtn', 'aria-label': t('more') }, h('span', { class: 'dc-icon dc-icon-more', 'aria-hidden': 'true' }));
    K.menuButton(moreBtn, function () { return dmMenu(d); }, { alignRight: true, attrs: MENU.attrs });
    var header = h('section', { class: 'dc-header', 'aria-label': t('channelHeader') }, avatar(d.name, 24),
      h('h1', { class: 'dc-title', text: d.name }), h('span', { class: 'dc-grow' }));
    if (!d.left) header.appendChild(addBtn);
    header.appendChild(membersBtn);
    header.appendChild(moreBtn);
    content.appendChild(header);
    msgList = h('ol', { class: 'dc-messages', role: 'list', 'data-list-id': 'chat-messages', 'aria-label': t('messages', { group: d.name }) });
    membersAside = h('aside', { class: 'dc-members', 'aria-label': 'Members' });
    composer = h('div', { class: 'dc-composer' });
    content.appendChild(h('div', { class: 'dc-body' }, h('div', { class: 'dc-chat' }, msgList, composer), membersAside));
    renderMessages();
    renderMembers();
    renderComposer();
  }
  /** One chat list item: li#chat-messages-{channel}-{id} > [role=article] > … [id^=message-content-]. */
  function msgItem(d, m) {
    var id = m.id || (m.id = String(nextId++));
    var key = 'chat-messages-' + d.id + '-' + id;
    var body = m.kind
      ? [h('div', { class: 'dc-sysicon' + (m.kind === 'recipient-add' ? ' dc-sysicon-add' : ' dc-sysicon-remove'), 'aria-hidden': 'true' }),
        h('div', { class: 'dc-systext', id: 'message-content-' + id, text: m.text })]
      : [avatar(m.from, 40), h('div', { class: 'dc-contents' },
        h('h3', { class: 'dc-msghead' }, h('span', { class: 'dc-author', id: 'message-username-' + id, text: m.from })),
        h('div', { class: 'dc-text', id: 'message-content-' + id, text: m.text })),
        h('div', { id: 'message-accessories-' + id })];
    return h('li', { id: key, class: 'dc-msgitem' },
      h('div', { role: 'article', tabindex: '-1', class: 'dc-message' + (m.kind ? ' dc-system' : ''), 'data-list-item-id': 'chat-messages___' + key, 'aria-labelledby': 'message-content-' + id }, body));
  }
  function renderMessages() {
    if (!msgList) return;
    var d = current;
    K.clear(msgList);
    msgList.appendChild(h('div', { class: 'dc-divider', role: 'separator', 'aria-label': t('today') }, h('span', { text: t('today') })));
    d.messages.forEach(function (m) { msgList.appendChild(msgItem(d, m)); });
    d.system.forEach(function (s) { msgList.appendChild(msgItem(d, s)); });
    msgList.scrollTop = msgList.scrollHeight;
  }
  function renderMembers() {
    if (!membersAside) return;
    var d = current;
    K.clear(membersAside);
    var all = d.left ? d.members.slice() : [ME].concat(d.members);
    membersAside.appendChild(h('h2', { class: 'dc-sechead', text: t('members', { n: all.length }).toUpperCase() }));
    all.forEach(function (n) { membersAside.appendChild(h('div', { class: 'dc-member' }, avatar(n, 32), h('span', { text: n }))); });
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
    // A person's message with any text (e.g. the words of a system message).
    else if (s.kind === 'say') { d.messages.push({ from: actor, text: s.args.slice(1).join(':') }); if (d === current) renderMessages(); }
    if (d === current) { renderMembers(); renderComposer(); }
  }

  // ---- add friends modal (renders late) ------------------------------------------
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
    var m = K.modal({ backdropClass: 'fx-backdrop dc-layer', attrs: { class: 'dc-modal dc-modal-small', 'aria-labelledby': 'dc-add-title' }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'add', group: d.name, channelId: d.id });
    var sub = h('div', { class: 'dc-muted dc-subtitle' });
    var tags = h('div', { class: 'dc-tags' });
    var input = h('input', { type: 'text', class: 'dc-searchinput', placeholder: t('typeUsername'), 'aria-label': t('typeUsername'),
      role: SHAPE === 'checkbox-rows' ? 'combobox' : null, 'aria-expanded': SHAPE === 'checkbox-rows' ? 'true' : null,
      'aria-controls': SHAPE === 'checkbox-rows' ? 'dc-user-list' : null, 'aria-autocomplete': SHAPE === 'checkbox-rows' ? 'list' : null });
    var none = h('div', { class: 'dc-muted dc-none', hidden: true, text: t('noFriends') });
    var addBtn = h('button', { type: 'button', class: 'dc-button dc-primary', disabled: true }, h('div', { class: 'dc-buttoncontents', text: t('add') }));
    var offered = FRIENDS.filter(function (f) { return d.members.indexOf(f.name) < 0; }); // members are not offered
    var rows = [];
    var list;

    function toggle(x, on) {
      var i = order.indexOf(x.f.name);
      if (on && i < 0 && remaining() > 0) order.push(x.f.name);
      if (!on && i >= 0) order.splice(i, 1);
      update();
    }
    if (SHAPE === 'checkbox-rows') {
      list = h('div', { class: 'dc-scroller', id: 'dc-user-list', 'aria-label': t('friends') });
      offered.forEach(function (f, n) {
        var row = h('div', { class: 'dc-userrow', role: 'checkbox', tabindex: n === 0 ? '0' : '-1', id: 'user-row-' + n, 'aria-checked': 'false', 'aria-disabled': 'false',
          'aria-setsize': String(offered.length), 'aria-posinset': String(n + 1) },
          avatar(f.name, 32),
          h('div', { class: 'dc-rowtext' }, h('strong', { class: 'dc-rowname', text: f.name }), h('span', { class: 'dc-muted', text: f.username })),
          h('div', { class: 'dc-checkbox', 'aria-hidden': 'true' }));
        var x = { row: row, f: f, on: function () { return row.getAttribute('aria-checked') === 'true'; } };
        row.addEventListener('click', function () { if (row.getAttribute('aria-disabled') !== 'true') toggle(x, !x.on()); });
        row.addEventListener('keydown', function (e) { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); row.click(); } });
        rows.push(x);
        list.appendChild(row);
      });
    } else {
      list = h('div', { class: 'dc-friendlist', role: 'list' });
      offered.forEach(function (f) {
        var cb = h('input', { type: 'checkbox', class: 'dc-cb', 'aria-label': f.name });
        var row = h('label', { class: 'dc-friendrow', role: 'listitem' }, avatar(f.name, 32),
          h('span', { class: 'dc-col' }, h('span', { class: 'dc-fname', text: f.name }), h('span', { class: 'dc-muted', text: f.username })), cb);
        var x = { row: row, cb: cb, f: f, on: function () { return cb.checked; } };
        cb.addEventListener('change', function () { toggle(x, cb.checked); });
        rows.push(x);
        list.appendChild(row);
      });
    }
    var tagEls = [];
    function update() {
      var r = remaining();
      K.setText(sub, r <= 0 ? t('full') : (r === 1 ? t('canAdd1') : t('canAdd', { n: r })));
      rows.forEach(function (x) {
        var on = order.indexOf(x.f.name) >= 0;
        var off = !on && r <= 0;
        if (x.cb) { x.cb.checked = on; x.cb.disabled = off; }
        else { x.row.setAttribute('aria-checked', on ? 'true' : 'false'); x.row.setAttribute('aria-disabled', off ? 'true' : 'false'); }
        K.toggleClass(x.row, 'dc-disabled', off);
      });
      tagEls.forEach(K.remove);
      tagEls = order.map(function (n) {
        var rm = h('div', { role: 'button', tabindex: '0', class: 'dc-tagremove fx-x', 'aria-label': t('remove', { name: n }) });
        var tag = h('div', { class: 'dc-tag' }, h('span', { class: 'dc-taglabel', text: n }), rm);
        rm.addEventListener('click', function () { order.splice(order.indexOf(n), 1); update(); });
        tags.insertBefore(tag, input);
        return tag;
      });
      addBtn.disabled = order.length === 0;
    }
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase(), count = 0;
      rows.forEach(function (x) { var ok = !q || x.f.name.toLowerCase().indexOf(q) >= 0 || x.f.username.indexOf(q) >= 0; x.row.hidden = !ok; if (ok) count++; });
      none.hidden = count > 0;
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
    var x = h('button', { type: 'button', class: 'dc-close', 'aria-label': t('close') }, h('span', { class: 'fx-x', 'aria-hidden': 'true' }));
    x.addEventListener('click', cancel);
    tags.appendChild(input);
    var head = h('div', { class: 'dc-modalheader' }, h('div', { class: 'dc-col dc-grow' }, h('h1', { id: 'dc-add-title', class: 'dc-modaltitle', text: t('selectFriends') }), sub), x);
    if (SHAPE === 'checkbox-rows') {
      // A group DM: the add button sits next to the search bar.
      K.append(m.box, [head, h('div', { class: 'dc-searchrow' }, tags, addBtn), list, none]);
    } else {
      K.append(m.box, [head, tags, list, none, h('div', { class: 'dc-modalfooter' }, addBtn)]);
    }
    update();
    input.focus();
  }

  // ---- leave ---------------------------------------------------------------------------
  function openLeave(d) {
    d = d || current;
    if (!d || d.left) return;
    K.log('dialog-open', { dialog: 'leave', group: d.name, channelId: d.id });
    var cancel = function () { K.log('dialog-cancel', { dialog: 'leave', group: d.name, channelId: d.id }); m.close(); };
    var m = K.modal({ backdropClass: 'fx-backdrop dc-layer', attrs: { class: 'dc-modal', 'aria-labelledby': 'dc-leave-title' }, onEscape: cancel });
    var cancelBtn = h('button', { type: 'button', class: 'dc-button dc-link' }, h('div', { class: 'dc-buttoncontents', text: t('cancel') }));
    cancelBtn.addEventListener('click', cancel);
    var ok = h('button', { type: 'button', class: 'dc-button dc-red' }, h('div', { class: 'dc-buttoncontents', text: t('leaveGroup') }));
    ok.addEventListener('click', function () {
      m.close();
      K.log('leave', { group: d.name, channelId: d.id });
      d.left = true;
      system(d, 'recipient-remove', t('left', { actor: ME }));
      // Discord closes the group DM and returns to the friends page.
      if (d === current) K.navigate('/channels/@me'); else renderSidebar();
    });
    K.append(m.box, [
      h('div', { class: 'dc-modalheader' }, h('h1', { id: 'dc-leave-title', class: 'dc-modaltitle', text: t('leaveTitle', { group: d.name }) })),
      h('div', { class: 'dc-modalcontent' }, h('p', { text: t('leaveBody', { group: d.name }) })),
      h('div', { class: 'dc-modalfooter' }, cancelBtn, ok),
    ]);
  }

  K.onRoute(route);
  route();
  K.ready('discord', {
    openAdd: openAdd,
    openLeave: function () { openLeave(current); },
    system: function (spec) { var b = spec.split(':'); if (current) applySeed(current, { kind: b[0], args: b.slice(1) }); },
    state: function () { return current && { group: current.name, channelId: current.id, left: current.left, members: current.members.slice(), shape: SHAPE }; },
    me: ME,
  });
  if (K.param('open') === 'add') openAdd();
  else if (K.param('open') === 'leave') openLeave(current);
})();
