/*
 * Slack fixture: a channel page of the web client with the "Add people" modal, in two shapes.
 *
 * Sources (REAL-DOM.md = docs/evidence/real-dom.md, SITES.md = docs/evidence/sites-fact-sheet.md):
 * - Modal, both shapes (REAL-DOM 2.6, 3 "Slack – add people modal"): a `[role=dialog]` holding the
 *   channel name `span.c-channel_entity__name[data-qa="inline_channel_entity__name"]`, the radio
 *   `input[data-qa="add-specific-members-option"]`, suggestions named by
 *   `[data-qa="member-entity__primary-name"]`, the confirm
 *   `button[data-qa="invite_to_workspace_submit_button"]` and the close button
 *   `button[data-qa="sk_close_modal_button"][aria-label="Close"]`. No `data-qa` names the modal
 *   itself (the old `invite_to_channel_modal` was invented and is gone).
 * - `shape=old` (Cypress page objects cited in REAL-DOM 2.6): the people field
 *   `[data-qa="invite_to_workspace_select-input"]` (an <input> here: the page objects type into it).
 * - `shape=new`, the default (public scripts 2024-2025, REAL-DOM 2.6): the people field
 *   `div[data-qa="add_people_modal_select-input"]` (a <div>; here the box holding the tokens and a
 *   text input, as in crate/core/tests/snippets/slack-add-people.html), the confirm inside
 *   `div[data-qa="add_button_container"]`, the skip
 *   button `button[data-qa="invite_to_workspace_skip_button"]` after creating a channel
 *   (`flow=create`, whose confirm reads "Done": REAL-DOM 1.6), and the switch
 *   `input[aria-label="Automatically add anyone who joins …"]` (seen in Spanish).
 * - Messages (REAL-DOM 2.6; the full nesting from a public script's dump of a live message list,
 *   2024): `div.c-virtual_list__item[role=listitem][data-qa="virtual-list-item"][data-item-key]`
 *   > `[data-qa="message_container"]` > … `div.c-message_kit__gutter__right[data-qa="message_content"]`
 *   with the sender `button[data-qa="message_sender_name"]`, the timestamp and the text in
 *   `[data-qa="message-text"]` (rich text in `.p-rich_text_section`); avatars are <img>.
 *   Texts "has joined the channel" / "has left the channel" from the API docs
 *   (api.slack.com/events/message/channel_join, changelog 2017-05).
 * - Composer `div[data-qa="message_input"]` > `.ql-editor[contenteditable]`, menu items
 *   `button[data-qa="menu_item_button"]`, the user button `button[data-qa="user-button"]`
 *   (aria-label "User menu", no name): public scripts (code search), not in REAL-DOM.
 *
 * UNVERIFIED (invented, no evidence): the tokens of selected people (shape=new has no
 * `data-qa="token"`; a token here is a <div> with an avatar <img>, the name and a remove
 * `button[aria-label]`; shape=old keeps the old fixture's `data-qa="token"`), how the people
 * field nests (the text input inside the new hook's <div>), the option list markup,
 * `add-all-members-option`, `channel_header_kebab`, `channel_members_button`,
 * `channel_name_button`, `join_channel_button`, the leave flow (menu item "Leave channel",
 * "Leave private channel?" dialog), the "was added to #{channel} by {actor}." message (how the web
 * client renders a join with an inviter was not found), the modal's class names, every German
 * text not marked SITES.md, and all French texts (drift=1).
 * The signed-in user's name is shown nowhere but in messages (no evidence of where the real
 * client shows it as text).
 * "Leave again" opens the header's kebab (`button[data-qa=channel_header_kebab]`, aria-label "More
 * actions", aria-haspopup=menu; hook and label unverified) and clicks "Leave channel".
 */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var S = {
    en: {
      search: 'Search Acme Corp',
      channels: 'Channels',
      dms: 'Direct messages',
      userMenu: 'User menu',                              // public script (aria-label, no name)
      addPeopleMenu: 'Add people to channel',             // invented (menu item)
      addPeopleTitle: 'Add people to ',                   // invented (title prefix before the channel name)
      addSpecific: 'Add specific people',                 // invented
      addAll: 'Add all members of Acme Corp',             // invented
      autoAdd: 'Automatically add anyone who joins Acme Corp', // public script (Spanish UI), translated
      placeholder: 'ex. Nathalie, or james@acme.com',     // invented
      add: 'Add',                                         // invented
      done: 'Done',                                       // REAL-DOM 1.6 (create-channel flow)
      skip: 'Skip for now',                               // invented text (the hook is evidenced)
      close: 'Close',                                     // REAL-DOM 3 (aria-label)
      remove: 'Remove {name}',
      leaveChannel: 'Leave channel',                      // brief
      leavePrivateTitle: 'Leave private channel?',
      leavePrivateBody: 'You\u2019ll no longer have access to #{channel}. You\u2019ll need to be added back by a member to rejoin.',
      leave: 'Leave Channel',
      cancel: 'Cancel',
      channelDetails: 'Channel details',
      members: 'View all {n} members',
      more: 'More actions',
      message: 'Message #{channel}',
      viewing: 'You are viewing #{channel}',
      join: 'Join Channel',
      hasLeft: 'has left the channel',                    // API docs, SITES.md
      hasJoined: 'has joined the channel',                // API docs
      wasAdded: 'was added to #{channel} by {actor}.',    // invented
      youAddedMsg: 'was added to #{channel} by you.',     // invented
      alreadyIn: 'Already in this channel',
      added: 'Added {n} people to #{channel}',
      noMatch: 'No matches',
      today: 'Today',
      profile: 'View {name}\u2019s Profile',             // public script (avatar button aria-label)
    },
    de: {
      search: 'Acme Corp durchsuchen',
      channels: 'Channels',
      dms: 'Direktnachrichten',
      userMenu: 'Benutzermen\u00fc',
      addPeopleMenu: 'Leute zum Channel hinzuf\u00fcgen',  // SITES.md
      addPeopleTitle: 'Leute hinzuf\u00fcgen zu ',
      addSpecific: 'Bestimmte Leute hinzuf\u00fcgen',
      addAll: 'Alle Mitglieder von Acme Corp hinzuf\u00fcgen',
      autoAdd: 'Alle automatisch hinzuf\u00fcgen, die Acme Corp beitreten',
      placeholder: 'z. B. Nathalie oder james@acme.com',
      add: 'Hinzuf\u00fcgen',                               // SITES.md
      done: 'Fertig',                                     // SITES.md
      skip: 'Vorerst \u00fcberspringen',
      close: 'Schlie\u00dfen',
      remove: '{name} entfernen',
      leaveChannel: 'Channel verlassen',
      leavePrivateTitle: 'Privaten Channel verlassen?',
      leavePrivateBody: 'Du hast dann keinen Zugriff mehr auf #{channel}. Ein Mitglied muss dich wieder hinzuf\u00fcgen.',
      leave: 'Channel verlassen',
      cancel: 'Abbrechen',
      channelDetails: 'Channel-Details',
      members: 'Alle {n} Mitglieder anzeigen',
      more: 'Weitere Aktionen',
      message: 'Nachricht an #{channel}',
      viewing: 'Du siehst dir #{channel} an',
      join: 'Channel beitreten',
      hasLeft: 'hat den Channel verlassen',
      hasJoined: 'ist dem Channel beigetreten',
      wasAdded: 'wurde von {actor} zu #{channel} hinzugef\u00fcgt.',
      youAddedMsg: 'wurde von dir zu #{channel} hinzugef\u00fcgt.',
      alreadyIn: 'Bereits in diesem Channel',
      added: '{n} Leute zu #{channel} hinzugef\u00fcgt',
      noMatch: 'Keine Treffer',
      today: 'Heute',
      profile: 'Profil von {name} anzeigen',
    },
    fr: {
      search: 'Rechercher dans Acme Corp',
      channels: 'Canaux',
      dms: 'Messages directs',
      userMenu: 'Menu utilisateur',
      addPeopleMenu: 'Ajouter des personnes au canal',
      addPeopleTitle: 'Ajouter des personnes \u00e0 ',
      addSpecific: 'Ajouter des personnes pr\u00e9cises',
      addAll: 'Ajouter tous les membres d\u2019Acme Corp',
      autoAdd: 'Ajouter automatiquement toute personne qui rejoint Acme Corp',
      placeholder: 'ex. Nathalie ou james@acme.com',
      add: 'Ajouter',
      done: 'Termin\u00e9',
      skip: 'Ignorer pour l\u2019instant',
      close: 'Fermer',
      remove: 'Retirer {name}',
      leaveChannel: 'Quitter le canal',
      leavePrivateTitle: 'Quitter le canal priv\u00e9\u00a0?',
      leavePrivateBody: 'Vous n\u2019aurez plus acc\u00e8s \u00e0 #{channel}. Un membre devra vous rajouter pour que vous puissiez revenir.',
      leave: 'Quitter le canal',
      cancel: 'Annuler',
      channelDetails: 'D\u00e9tails du canal',
      members: 'Voir les {n}\u00a0membres',
      more: 'Plus d\u2019actions',
      message: 'Envoyer un message \u00e0 #{channel}',
      viewing: 'Vous consultez #{channel}',
      join: 'Rejoindre le canal',
      hasLeft: 'a quitt\u00e9 le canal',
      hasJoined: 'a rejoint le canal',
      wasAdded: 'a \u00e9t\u00e9 ajout\u00e9 \u00e0 #{channel} par {actor}.',
      youAddedMsg: 'a \u00e9t\u00e9 ajout\u00e9 \u00e0 #{channel} par vous.',
      alreadyIn: 'D\u00e9j\u00e0 dans ce canal',
      added: '{n}\u00a0personnes ajout\u00e9es \u00e0 #{channel}',
      noMatch: 'Aucun r\u00e9sultat',
      today: 'Aujourd\u2019hui',
      profile: 'Voir le profil de {name}',
    },
  };
  var t = function (k, v) { return K.t(S, k, v); };

  // shape=new (default): today's modal; shape=old: the one the Cypress page objects describe.
  var SHAPE = K.param('shape', 'new') === 'old' ? 'old' : 'new';
  // flow=create: the modal as it follows "Create channel" (confirm "Done", a skip button).
  var CREATE = K.param('flow', '') === 'create';

  var ME = 'Robin Meyer';
  var TEAM = 'T0123ABCD';
  var PEOPLE = K.people(Number(K.param('people', 40)));
  var CHANNELS = [
    { id: 'C0456GENRL', name: 'general', private: false, members: PEOPLE.slice(0, 6).map(function (p) { return p.name; }),
      messages: [{ from: 'Mia Wagner', text: 'Welcome everyone to Acme Corp!' }] },
    { id: 'C0789APOLO', name: 'project-apollo', private: false, members: ['Ben Carter', 'Mia Wagner', 'Noah Becker'],
      messages: [{ from: 'Ben Carter', text: 'Kick-off notes are in the canvas.' }, { from: 'Noah Becker', text: 'Thanks, reading now.' }] },
    { id: 'G0ABCLEADS', name: 'leadership', private: true, members: ['Lea Hoffmann', 'Paul Sch\u00e4fer'],
      messages: [{ from: 'Lea Hoffmann', text: 'Budget review on Friday.' }] },
  ];
  var startMember = K.flag('member', true);
  CHANNELS.forEach(function (c) { c.member = startMember; c.system = []; });
  var seeds = K.sysSeeds();
  var seeded = false;
  // Message timestamps ("1704944089.846389" in the real list) are the items' keys.
  var nextTs = 1764900000;

  /** Slack avatars are <img> elements (a rounded square); here an SVG data URL with initials. */
  function avatar(name, size, cls) {
    var initials = K.initials(name).replace(/[^\w\u00C0-\u024F]/g, '');
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48"><rect width="48" height="48" rx="8" fill="' + K.avatarColor(name) +
      '"/><text x="24" y="31" font-family="Arial,sans-serif" font-size="19" font-weight="700" fill="#fff" text-anchor="middle">' + initials + '</text></svg>';
    return h('img', { src: 'data:image/svg+xml,' + encodeURIComponent(svg), class: 'c-base_icon c-base_icon--image' + (cls ? ' ' + cls : ''),
      alt: '', 'aria-hidden': 'true', role: 'img', width: String(size), height: String(size) });
  }

  var app = document.getElementById('app');
  var sidebar = h('nav', { class: 'p-channel_sidebar', 'aria-label': 'Sidebar' });
  var view = h('div', { class: 'p-view_contents', role: 'main' });
  var userButton = h('button', { type: 'button', class: 'c-button-unstyled p-ia__nav__user__button', 'data-qa': 'user-button', 'aria-label': t('userMenu'), 'aria-haspopup': 'menu' },
    h('span', { class: 'c-avatar' }, avatar(ME, 28)));
  app.appendChild(h('div', { class: 'p-client_container' },
    h('div', { class: 'p-top_nav' }, h('input', { type: 'text', class: 'sl-search', placeholder: t('search'), 'aria-label': t('search') }), userButton),
    h('div', { class: 'p-client_workspace' }, sidebar, view)));

  var current = null;
  function route() {
    closeMenu();
    var m = location.pathname.match(/^\/client\/([^/]+)\/([^/]+)/);
    current = CHANNELS.filter(function (c) { return m && c.id === m[2]; })[0] || CHANNELS[1];
    if (!seeded) { seeded = true; seeds.forEach(function (s) { applySeed(current, s); }); }
    renderSidebar();
    renderView();
  }

  function renderSidebar() {
    K.clear(sidebar);
    sidebar.appendChild(h('div', { class: 'sl-team', text: 'Acme Corp' }));
    sidebar.appendChild(h('div', { class: 'sl-sechead', text: t('channels') }));
    CHANNELS.forEach(function (c) {
      sidebar.appendChild(K.link('/client/' + TEAM + '/' + c.id, { class: 'p-channel_sidebar__channel' + (c === current ? ' p-channel_sidebar__channel--selected' : ''), 'data-qa-channel-sidebar-channel-id': c.id, 'aria-current': c === current ? 'page' : null },
        h('span', { class: 'sl-hash', 'aria-hidden': 'true', text: c.private ? '\u25c8' : '#' }), h('span', { class: 'p-channel_sidebar__name', text: c.name })));
    });
    sidebar.appendChild(h('div', { class: 'sl-sechead', text: t('dms') }));
    ['Anna Schmidt', 'Ben Carter'].forEach(function (n) { sidebar.appendChild(h('div', { class: 'p-channel_sidebar__channel' }, avatar(n, 20), h('span', { class: 'p-channel_sidebar__name', text: n }))); });
  }

  // ---- menus: [role=menu] of button[data-qa=menu_item_button] items ----------------------------
  var openMenu = null;
  function closeMenu() {
    if (!openMenu) return;
    var m = openMenu; openMenu = null;
    document.removeEventListener('mousedown', m.outside, true);
    K.popLayer(m.layer);
    m.anchor.setAttribute('aria-expanded', 'false');
    K.remove(m.el);
  }
  function showMenu(anchor, items) {
    closeMenu();
    var menu = h('div', { role: 'menu', class: 'c-menu', tabindex: '-1' });
    items.forEach(function (it) {
      if (!it) { menu.appendChild(h('div', { role: 'separator', class: 'c-menu_separator' })); return; }
      var b = h('button', { type: 'button', role: 'menuitem', tabindex: '-1', 'data-qa': 'menu_item_button',
        class: 'c-button-unstyled c-menu_item__button' + (it.danger ? ' c-menu_item__button--danger' : '') }, h('div', { class: 'c-menu_item__label', text: it.text }));
      b.addEventListener('click', function () { closeMenu(); it.onSelect(); });
      menu.appendChild(h('div', { class: 'c-menu_item__li', role: 'presentation' }, b));
    });
    var r = anchor.getBoundingClientRect();
    menu.style.position = 'fixed';
    menu.style.top = (r.bottom + 4) + 'px';
    menu.style.right = Math.max(4, window.innerWidth - r.right) + 'px';
    menu.style.zIndex = '900';
    document.body.appendChild(menu);
    anchor.setAttribute('aria-expanded', 'true');
    var outside = function (e) { if (!menu.contains(e.target) && !anchor.contains(e.target)) closeMenu(); };
    setTimeout(function () { document.addEventListener('mousedown', outside, true); }, 0);
    openMenu = { el: menu, anchor: anchor, outside: outside, layer: K.pushLayer(closeMenu) };
    var first = menu.querySelector('[role=menuitem]');
    if (first) first.focus();
  }

  var pane, footer, membersBtn;
  function renderView() {
    var c = current;
    K.title((c.private ? '' : '#') + c.name + ' (Channel) - Acme Corp - Slack');
    K.clear(view);
    var nameBtn = h('button', { class: 'c-button-unstyled p-view_header__channel_title', 'data-qa': 'channel_name_button', type: 'button' },
      h('span', { 'aria-hidden': 'true', text: c.private ? '\u25c8 ' : '# ' }), h('span', { 'data-qa': 'channel_name', text: c.name }));
    membersBtn = h('button', { class: 'c-button-unstyled p-avatar_stack', 'data-qa': 'channel_members_button', type: 'button' });
    var kebab = h('button', { class: 'c-button-unstyled sl-kebab', type: 'button', 'data-qa': 'channel_header_kebab', 'aria-label': t('more'), 'aria-haspopup': 'menu', 'aria-expanded': 'false' },
      h('span', { class: 'c-icon', 'aria-hidden': 'true', text: '\u22ee' }));
    kebab.addEventListener('click', function () {
      if (openMenu && openMenu.anchor === kebab) { closeMenu(); return; }
      showMenu(kebab, !c.member ? [{ text: t('join'), onSelect: joinChannel }] : [
        { text: t('addPeopleMenu'), onSelect: openAdd },
        { text: t('channelDetails'), onSelect: function () {} },
        null,
        { text: t('leaveChannel'), danger: true, onSelect: leaveChannel },
      ]);
    });
    membersBtn.addEventListener('click', function () { if (c.member) openAdd(); });
    view.appendChild(h('div', { class: 'p-view_header' }, nameBtn, h('span', { class: 'sl-grow' }), membersBtn, kebab));
    pane = h('div', { class: 'c-virtual_list__scroll_container c-message_list', role: 'list', 'aria-label': (c.private ? '' : '#') + c.name });
    view.appendChild(pane);
    footer = h('div', { class: 'p-message_pane_input' });
    view.appendChild(footer);
    renderMembersBtn();
    renderMessages();
    renderFooter();
  }
  function renderMembersBtn() {
    if (!membersBtn) return;
    var c = current;
    K.clear(membersBtn);
    c.members.slice(0, 3).forEach(function (n) { membersBtn.appendChild(avatar(n, 20)); });
    var n = c.members.length + (c.member ? 1 : 0);
    membersBtn.appendChild(h('span', { class: 'p-avatar_stack__count', text: String(n) }));
    K.attr(membersBtn, 'aria-label', t('members', { n: n }));
  }
  /** One item of the message list, nested as the live dump shows it. */
  function msgRow(author, text, kind) {
    var ts = String(nextTs++) + '.000' + String(100 + (nextTs % 900));
    var body = kind
      ? h('div', { class: 'c-message__body', 'data-qa': 'message-text' }, h('span', { text: text }))
      : h('div', { class: 'c-message_kit__blocks c-message_kit__blocks--rich_text' },
        h('div', { class: 'c-message__message_blocks c-message__message_blocks--rich_text', 'data-qa': 'message-text' },
          h('div', { class: 'p-block_kit_renderer', 'data-qa': 'block-kit-renderer' },
            h('div', { class: 'p-block_kit_renderer__block_wrapper p-block_kit_renderer__block_wrapper--first' },
              h('div', { class: 'p-rich_text_block', dir: 'auto' }, h('div', { class: 'p-rich_text_section', text: text }))))));
    return h('div', { class: 'c-virtual_list__item', role: 'listitem', tabindex: '-1', 'aria-setsize': '-1', id: ts, 'data-qa': 'virtual-list-item', 'data-item-key': ts },
      h('div', { role: 'presentation', class: 'c-message_kit__background p-message_pane_message__message c-message_kit__message', 'data-qa': 'message_container' },
        h('div', { role: 'document', 'aria-roledescription': 'message', class: 'c-message_kit__hover' },
          h('div', { class: 'c-message_kit__actions c-message_kit__actions--default' },
            h('div', { class: 'c-message_kit__gutter' },
              h('div', { role: 'presentation', class: 'c-message_kit__gutter__left' },
                h('button', { type: 'button', class: 'c-button-unstyled c-message_kit__avatar c-avatar c-avatar--interactive', 'aria-hidden': 'true', 'aria-label': t('profile', { name: author }), tabindex: '-1' },
                  avatar(author, 36))),
              h('div', { role: 'presentation', class: 'c-message_kit__gutter__right', 'data-qa': 'message_content' },
                h('span', { class: 'c-message__sender c-message_kit__sender', 'data-qa': 'message_sender', 'data-stringify-text': author },
                  h('button', { type: 'button', class: 'c-link--button c-message__sender_button', 'data-qa': 'message_sender_name', text: author })),
                '\u00a0\u00a0',
                h('a', { class: 'c-link c-timestamp', 'data-ts': ts, href: '#' }, h('span', { class: 'c-timestamp__label', 'data-qa': 'timestamp_label', text: '10:34' })),
                h('br'),
                body))))));
  }
  function renderMessages() {
    var c = current;
    K.clear(pane);
    pane.appendChild(h('div', { class: 'c-message_list__day_divider', role: 'separator', 'aria-label': t('today') }, h('span', { text: t('today') })));
    c.messages.forEach(function (m) { pane.appendChild(msgRow(m.from, m.text)); });
    c.system.forEach(function (s) { pane.appendChild(msgRow(s.author, s.text, s.kind)); });
    pane.scrollTop = pane.scrollHeight;
  }
  function renderFooter() {
    var c = current;
    K.clear(footer);
    if (!c.member) {
      var j = h('button', { class: 'c-button c-button--primary', type: 'button', 'data-qa': 'join_channel_button', text: t('join') });
      j.addEventListener('click', joinChannel);
      footer.appendChild(h('div', { class: 'sl-preview' }, h('div', { text: t('viewing', { channel: c.name }) }), j));
      return;
    }
    var editor = h('div', { class: 'ql-editor', contenteditable: 'true', role: 'textbox', 'aria-multiline': 'true', 'aria-label': t('message', { channel: c.name }), 'data-placeholder': t('message', { channel: c.name }) });
    editor.addEventListener('keydown', function (e) {
      if (e.key !== 'Enter' || e.shiftKey) return;
      e.preventDefault();
      var v = editor.textContent.trim();
      if (!v) return;
      c.messages.push({ from: ME, text: v });
      K.clear(editor);
      renderMessages();
    });
    footer.appendChild(h('div', { class: 'c-texty_input', 'data-qa': 'message_input' }, editor));
  }
  function system(c, kind, author, text) {
    c.system.push({ kind: kind, author: author, text: text });
    if (c === current && pane) renderMessages();
  }
  function applySeed(c, s) {
    var actor = s.args[0] || 'Anna Schmidt';
    if (s.kind === 'added') { c.member = true; system(c, 'added', ME, t('wasAdded', { channel: c.name, actor: actor })); }
    else if (s.kind === 'left') { c.member = false; system(c, 'left', ME, t('hasLeft')); }
    else if (s.kind === 'leftOther') system(c, 'leftOther', actor, t('hasLeft'));
    else if (s.kind === 'joined') system(c, 'joined', actor, t('hasJoined'));
    if (c === current && footer) { renderFooter(); renderMembersBtn(); }
  }
  function joinChannel() {
    var c = current;
    c.member = true;
    K.log('join', { group: '#' + c.name, channelId: c.id });
    system(c, 'joined', ME, t('hasJoined'));
    renderFooter(); renderMembersBtn();
  }

  // ---- add people modal ---------------------------------------------------------
  var addOpen = false;
  function openAdd() {
    if (addOpen) return;
    var c = current;
    if (!c.member) return;
    addOpen = true;
    var tokens = [];
    var mode = 'specific';
    var m = K.modal({ backdropClass: 'fx-backdrop c-sk-overlay', attrs: { class: 'c-sk-modal c-sk-modal--fixed', 'aria-labelledby': 'sl-add-title' }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'add', group: '#' + c.name, channelId: c.id });

    // The people field. old: the hook is on the text input; new: on the box that holds the tokens
    // and the text input (how the parts nest is not evidenced; the same reading as the golden
    // snippet crate/core/tests/snippets/slack-add-people.html).
    var field = h('input', { type: 'text', class: 'c-select_input', 'data-qa': SHAPE === 'old' ? 'invite_to_workspace_select-input' : null,
      placeholder: t('placeholder'), 'aria-label': t('placeholder'), role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'sl-options', 'aria-autocomplete': 'list', autocomplete: 'off' });
    var query = function () { return field.value; };
    var clearQuery = function () { field.value = ''; };
    var tokenList = h('div', { class: 'c-multi_select_input__inner' }, field);
    var tokenBox = h('div', { class: 'c-multi_select_input', 'data-qa': SHAPE === 'old' ? 'invite_to_workspace_select' : 'add_people_modal_select-input' }, tokenList);
    var options = h('div', { id: 'sl-options', role: 'listbox', class: 'c-select_options_list', hidden: true });
    var submit = h('button', { type: 'button', class: 'c-button c-button--primary c-button--medium', 'data-qa': 'invite_to_workspace_submit_button', disabled: true, text: CREATE ? t('done') : t('add') });
    var skip = CREATE ? h('button', { type: 'button', class: 'c-button c-button--outline c-button--medium', 'data-qa': 'invite_to_workspace_skip_button', text: t('skip') }) : null;
    var closeBtn = h('button', { type: 'button', class: 'c-button-unstyled c-sk-modal__close_button', 'data-qa': 'sk_close_modal_button', 'aria-label': t('close') },
      h('span', { class: 'c-icon c-icon--times', 'aria-hidden': 'true' }));
    var rSpecific = h('input', { type: 'radio', name: 'sl-mode', id: 'sl-mode-specific', value: 'specific', 'data-qa': 'add-specific-members-option', props: { checked: true } });
    var rAll = h('input', { type: 'radio', name: 'sl-mode', id: 'sl-mode-all', value: 'all', 'data-qa': 'add-all-members-option' });
    var specificRow = h('label', { class: 'c-label c-radio', for: 'sl-mode-specific' }, rSpecific, h('span', { text: t('addSpecific') }));
    var allRow = h('label', { class: 'c-label c-radio', for: 'sl-mode-all' }, rAll, h('span', { text: t('addAll') }));
    var autoAdd = SHAPE === 'new' ? h('label', { class: 'c-label c-toggle' }, h('input', { type: 'checkbox', class: 'c-toggle_button', 'aria-label': t('autoAdd') }), h('span', { text: t('autoAdd') })) : null;

    var inChannel = function (n) { return c.members.indexOf(n) >= 0; };
    function renderOptions() {
      var q = query().trim().toLowerCase();
      K.clear(options);
      PEOPLE.forEach(function (p) {
        if (tokens.indexOf(p.name) >= 0) return;
        if (q && p.name.toLowerCase().indexOf(q) < 0) return;
        var inC = inChannel(p.name);
        var opt = h('div', { role: 'option', class: 'c-select_options_list__option' + (inC ? ' c-select_options_list__option--disabled' : ''), 'aria-disabled': inC ? 'true' : 'false', 'aria-selected': 'false' },
          h('span', { class: 'c-member_entity' }, avatar(p.name, 20, 'c-member_entity__avatar'),
            h('span', { class: 'c-member_entity__primary_name', 'data-qa': 'member-entity__primary-name', text: p.name }),
            h('span', { class: 'c-member_entity__secondary_name', text: inC ? t('alreadyIn') : p.name.split(' ')[0].toLowerCase() })));
        opt.addEventListener('mousedown', function (e) { e.preventDefault(); });
        opt.addEventListener('click', function () { if (!inC) addToken(p.name); });
        options.appendChild(opt);
      });
      if (!options.firstChild) options.appendChild(h('div', { class: 'c-select_options_list__no_results', text: t('noMatch') }));
      options.hidden = false;
      field.setAttribute('aria-expanded', 'true');
    }
    function addToken(name) {
      tokens.push(name);
      var rm = h('button', { type: 'button', class: 'c-button-unstyled c-token__remove', 'aria-label': t('remove', { name: name }) }, h('span', { class: 'c-icon c-icon--times-small', 'aria-hidden': 'true' }));
      var tok = h('div', { class: 'c-token', 'data-qa': SHAPE === 'old' ? 'token' : null },
        avatar(name, 20, 'c-token__avatar'), h('span', { class: 'c-token__label', text: name }), rm);
      rm.addEventListener('click', function () { tokens.splice(tokens.indexOf(name), 1); K.remove(tok); update(); });
      tokenList.insertBefore(tok, field);
      clearQuery();
      update();
      renderOptions();
      field.focus();
    }
    function update() {
      submit.disabled = mode === 'specific' ? tokens.length === 0 : false;
      tokenBox.hidden = mode !== 'specific';
    }
    field.addEventListener('focus', renderOptions);
    field.addEventListener('input', renderOptions);
    field.addEventListener('blur', function () { setTimeout(function () { options.hidden = true; field.setAttribute('aria-expanded', 'false'); }, 150); });
    field.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && !options.hidden) { e.stopPropagation(); options.hidden = true; field.setAttribute('aria-expanded', 'false'); }
      if (e.key === 'Enter') {
        // Enter picks the first offered person (what the public scripts rely on).
        e.preventDefault();
        var q = query().trim().toLowerCase();
        var hit = PEOPLE.filter(function (p) { return q && tokens.indexOf(p.name) < 0 && !inChannel(p.name) && p.name.toLowerCase().indexOf(q) >= 0; })[0];
        if (hit) addToken(hit.name);
      }
    });
    rSpecific.addEventListener('change', function () { mode = 'specific'; update(); });
    rAll.addEventListener('change', function () { mode = 'all'; options.hidden = true; update(); });
    function cancel() { K.log('dialog-cancel', { dialog: 'add', group: '#' + c.name, channelId: c.id }); close(); }
    function close() { m.close(); addOpen = false; }
    closeBtn.addEventListener('click', cancel);
    if (skip) skip.addEventListener('click', cancel);
    // The site's own confirm handler, on the element.
    submit.addEventListener('click', function () {
      if (submit.disabled) return;
      var names = mode === 'all' ? PEOPLE.map(function (p) { return p.name; }).filter(function (n) { return !inChannel(n); }) : tokens.slice();
      K.log('add', { names: names, count: names.length, group: '#' + c.name, channelId: c.id, all: mode === 'all' });
      names.forEach(function (n) { c.members.push(n); });
      close();
      names.slice(0, 5).forEach(function (n) { system(c, 'youAdded', n, t('youAddedMsg', { channel: c.name })); });
      renderMembersBtn();
      K.toast(t('added', { n: names.length, channel: c.name }));
    });

    var footerButtons = SHAPE === 'new'
      ? h('div', { class: 'c-sk-modal_footer_actions', 'data-qa': 'add_button_container' }, skip, submit)
      : h('div', { class: 'c-sk-modal_footer_actions' }, skip, submit);
    K.append(m.box, [
      h('div', { class: 'c-sk-modal_title_bar' },
        h('h1', { id: 'sl-add-title', class: 'c-sk-modal_title_bar__text' }, t('addPeopleTitle'),
          h('span', { class: 'c-channel_entity' }, h('span', { class: 'c-channel_entity__icon', 'aria-hidden': 'true', text: c.private ? '\u25c8' : '#' }),
            h('span', { class: 'c-channel_entity__name', 'data-qa': 'inline_channel_entity__name', text: c.name }))),
        closeBtn),
      h('div', { class: 'c-sk-modal_content' }, specificRow, tokenBox, options, allRow, autoAdd),
      h('div', { class: 'c-sk-modal_footer' }, footerButtons),
    ]);
    update();
    field.focus();
  }

  // ---- leave -----------------------------------------------------------------------
  function doLeave(c) {
    K.log('leave', { group: '#' + c.name, channelId: c.id, private: c.private });
    c.member = false;
    if (!c.private) system(c, 'left', ME, t('hasLeft'));
    if (c === current) { renderFooter(); renderMembersBtn(); }
  }
  function leaveChannel() {
    var c = current;
    if (!c.member) return;
    if (!c.private) { doLeave(c); return; }
    K.log('dialog-open', { dialog: 'leave', group: '#' + c.name, channelId: c.id });
    var cancel = function () { K.log('dialog-cancel', { dialog: 'leave', group: '#' + c.name, channelId: c.id }); m.close(); };
    var m = K.modal({ backdropClass: 'fx-backdrop c-sk-overlay', attrs: { class: 'c-sk-modal c-sk-modal--small', 'aria-label': t('leavePrivateTitle') }, onEscape: cancel });
    var cancelBtn = h('button', { type: 'button', class: 'c-button c-button--outline c-button--medium', text: t('cancel') });
    cancelBtn.addEventListener('click', cancel);
    var ok = h('button', { type: 'button', class: 'c-button c-button--danger c-button--medium', text: t('leave') });
    ok.addEventListener('click', function () { m.close(); doLeave(c); });
    K.append(m.box, [
      h('div', { class: 'c-sk-modal_title_bar' }, h('h1', { class: 'c-sk-modal_title_bar__text', text: t('leavePrivateTitle') })),
      h('div', { class: 'c-sk-modal_content' }, h('p', { text: t('leavePrivateBody', { channel: c.name }) })),
      h('div', { class: 'c-sk-modal_footer' }, h('div', { class: 'c-sk-modal_footer_actions' }, cancelBtn, ok)),
    ]);
  }

  K.onRoute(route);
  route();
  K.ready('slack', {
    openAdd: openAdd,
    openLeave: leaveChannel,
    system: function (spec) { var b = spec.split(':'); applySeed(current, { kind: b[0], args: b.slice(1) }); },
    state: function () { return { group: '#' + current.name, channelId: current.id, member: current.member, members: current.members.slice(), shape: SHAPE }; },
  });
  if (K.param('open') === 'add') openAdd();
  else if (K.param('open') === 'leave') leaveChannel();
})();
