/*
 * WhatsApp Web fixture, rebuilt from docs/evidence/real-dom.md (sections 1.9, 2.2, 3).
 *
 * Two shapes (?shape=): "refreshed" (default) is the 2.3000+ client, "classic" the one before.
 *
 * Sources per part:
 * - Add picker: rows div[role=checkbox][aria-checked]; members' rows show a div "Already added to
 *   group"; search div[contenteditable=true][aria-label="Search input textbox"]; confirm
 *   span[aria-label="Confirm"] (data-icon checkmark-medium) inside a div[role=button]; entry
 *   span[data-icon="add-user"]; follow-up popup buttons "Add member" / "Add members" as
 *   button > div > div: Abdalla-El-gohary/add-bulk-to-whatsapp-group add_members_with_numbers.py
 *   @cf849b5a (2025-02-25) and a public script (//button[contains(., 'Add members')]).
 * - Classic: popup buttons div[role=button] > div "Add participant" inside
 *   div[data-animate-modal-body="true"], span[data-testid="checkmark-medium"], close button
 *   header button[aria-label="Close"]: the 2022-23 scripts cited in REAL-DOM 2.2.
 * - Modal body div[data-animate-modal-body="true"] (2022-23); kept in both shapes.
 * - Icons: the 2.3000 rename to "<name>-refreshed" is evidenced by a 2025 write-up and by
 *   data-icon="forward-refreshed" in a Dec-2025 DOM dump. Per icon in the refreshed shape:
 *   add-user-refreshed, x-alt-refreshed, checkmark-medium-refreshed, exit-refreshed, and every
 *   other icon name here are INFERRED from that pattern (no source names them). The write-up says
 *   data-icon="exit" and "delete" no longer exist.
 * - data-testid hooks (cell-frame-container, cell-frame-title,
 *   conversation-info-header-chat-title): removed in 2.3000 (REAL-DOM 2.2), so only the classic
 *   shape has them (SITES.md).
 * - Group title: #main header span[title] (2025-02-25 script: //header//span[@title]).
 * - Messages: classic div[role=row] > div[data-id] (#main [role=row], 2024-25 scripts); refreshed
 *   div[data-id] wrappers without role=row (class _amjv, Dec-2025 dump). People's messages carry
 *   .message-in / .message-out and div.copyable-text[data-pre-plain-text="[time, date] Name: "]
 *   (public scripts); that system messages carry neither is UNVERIFIED.
 * - Texts: "Add member(s)", "Add participant", "Already added to group", "Confirm" as above;
 *   "Exit group", "Add participants", the add/exit questions and the German texts marked
 *   SITES.md in S come from the fact sheet (docs/evidence/sites-fact-sheet.md); "{actor} added you" / "hat dich hinzugefügt." are
 *   chat-export wording. Picker title "Add member" (refreshed) is INFERRED from the renamed
 *   follow-up button; "Add participant" (classic) from SITES.md.
 * UNVERIFIED (invented): the picker root's role=dialog and data-animate-modal-popup, its header h1
 * title, chips with their remove buttons (no source shows chips), aria-disabled on members'
 * rows, where the confirm sits, that the picker's list recycles its rows (K.virtualList), the
 * group-info drawer layout, the leave popup's structure, the read-only footer text, all French
 * texts, German texts not marked SITES.md, every icon's SVG. The chips sit in one field with the
 * search box, as tokens before it (modelled on a token field; not seen in a source).
 * The header's menu button (div[role=button] aria-label "Menu", aria-haspopup=menu, icon
 * data-icon "menu-refreshed" / classic "menu") holding "Exit group", which the pack's leave steps
 * open for "Leave again": SITES.md for the menu and its item; label, aria-haspopup and icon name
 * unverified.
 */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var CLASSIC = K.param('shape', 'refreshed') === 'classic';

  var S = {
    en: {
      searchChats: 'Search or start new chat',
      chatList: 'Chat list',
      typeMessage: 'Type a message',
      clickInfo: 'click here for group info',
      groupInfo: 'Group info',
      group: 'Group',
      members: '{n} members',
      addTitle: 'Add member',                              // inferred (see above)
      addOne: 'Add member',                                // script 2025-02-25
      addMany: 'Add members',                              // script 2025-02-25
      inviteLink: 'Invite to group via link',
      exitGroup: 'Exit group',                             // SITES.md
      deleteGroup: 'Delete group',
      searchBox: 'Search input textbox',                   // script 2024-25 (aria-label)
      searchPlaceholder: 'Search name or number',
      alreadyAdded: 'Already added to group',              // scripts 2022-25
      status: 'Hey there! I am using WhatsApp.',
      confirm: 'Confirm',                                  // script 2025-02-25 (aria-label)
      close: 'Close',                                      // script 2022-23 (aria-label)
      remove: 'Remove',
      cancel: 'Cancel',
      addQuestion: 'Add {members} to "{group}" group?',    // SITES.md
      exitQuestion: 'Exit "{group}" group?',               // SITES.md
      exitConfirm: 'Exit group',                           // SITES.md
      couldntAdd: 'Couldn\u2019t add {names}',
      couldntAddBody: 'You can invite them privately to join this group.',
      sendInvite: 'Send invite',
      you: 'You',
      addedYou: '{actor} added you',                       // chat exports / SITES.md
      addedOther: '{actor} added {user}',
      youAdded: 'You added {user}',
      youLeft: 'You left',                                 // brief
      leftOther: '{actor} left',
      removedYou: '{actor} removed you',
      notParticipant: 'You can\u2019t send messages to this group because you\u2019re no longer a participant.',
      menu: 'Menu',
      search: 'Search',
      noContacts: 'No contacts found',
      today: 'TODAY',
    },
    de: {
      searchChats: 'Suchen oder neuen Chat beginnen',
      chatList: 'Chatliste',
      typeMessage: 'Gib eine Nachricht ein.',
      clickInfo: 'Hier klicken f\u00fcr Gruppeninfo',
      groupInfo: 'Gruppeninfo',
      group: 'Gruppe',
      members: '{n} Mitglieder',
      addTitle: 'Mitglied hinzuf\u00fcgen',
      addOne: 'Mitglied hinzuf\u00fcgen',
      addMany: 'Mitglieder hinzuf\u00fcgen',                // SITES.md
      inviteLink: 'Mit Link einladen',                     // SITES.md
      exitGroup: 'Gruppe verlassen',                       // SITES.md
      deleteGroup: 'Gruppe l\u00f6schen',
      searchBox: 'Sucheingabe-Textfeld',
      searchPlaceholder: 'Name oder Nummer suchen',
      alreadyAdded: 'Bereits zur Gruppe hinzugef\u00fcgt',
      status: 'Hey there! I am using WhatsApp.',
      confirm: 'Best\u00e4tigen',
      close: 'Schlie\u00dfen',
      remove: 'Entfernen',
      cancel: 'Abbrechen',
      addQuestion: '{members} zur Gruppe \u201e{group}\u201c hinzuf\u00fcgen?',
      exitQuestion: 'Gruppe \u201e{group}\u201c verlassen?',
      exitConfirm: 'Verlassen',                            // SITES.md
      couldntAdd: '{names} konnte nicht hinzugef\u00fcgt werden',
      couldntAddBody: 'Du kannst sie privat einladen, dieser Gruppe beizutreten.',
      sendInvite: 'Einladung senden',
      you: 'Du',
      addedYou: '{actor} hat dich hinzugef\u00fcgt.',        // SITES.md (export wording)
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
    fr: {
      searchChats: 'Rechercher ou d\u00e9marrer une discussion',
      chatList: 'Liste des discussions',
      typeMessage: 'Tapez un message',
      clickInfo: 'cliquez ici pour les infos du groupe',
      groupInfo: 'Infos du groupe',
      group: 'Groupe',
      members: '{n} membres',
      addTitle: 'Ajouter un membre',
      addOne: 'Ajouter le membre',
      addMany: 'Ajouter les membres',
      inviteLink: 'Inviter dans le groupe via un lien',
      exitGroup: 'Quitter le groupe',
      deleteGroup: 'Supprimer le groupe',
      searchBox: 'Zone de saisie de recherche',
      searchPlaceholder: 'Rechercher un nom ou un num\u00e9ro',
      alreadyAdded: 'D\u00e9j\u00e0 ajout\u00e9 au groupe',
      status: 'Hey there! I am using WhatsApp.',
      confirm: 'Valider',
      close: 'Fermer',
      remove: 'Retirer',
      cancel: 'Annuler',
      addQuestion: 'Ajouter {members} au groupe \u00ab {group} \u00bb\u00a0?',
      exitQuestion: 'Quitter le groupe \u00ab {group} \u00bb\u00a0?',
      exitConfirm: 'Quitter',
      couldntAdd: 'Impossible d\u2019ajouter {names}',
      couldntAddBody: 'Vous pouvez les inviter en priv\u00e9 \u00e0 rejoindre ce groupe.',
      sendInvite: 'Envoyer une invitation',
      you: 'Vous',
      addedYou: '{actor} vous a ajout\u00e9',
      addedOther: '{actor} a ajout\u00e9 {user}',
      youAdded: 'Vous avez ajout\u00e9 {user}',
      youLeft: 'Vous \u00eates parti',
      leftOther: '{actor} est parti',
      removedYou: '{actor} vous a retir\u00e9',
      notParticipant: 'Vous ne pouvez pas envoyer de messages \u00e0 ce groupe, car vous n\u2019en \u00eates plus membre.',
      menu: 'Menu',
      search: 'Rechercher',
      noContacts: 'Aucun contact trouv\u00e9',
      today: 'AUJOURD\u2019HUI',
    },
  };
  // The classic client's wording (2022-23 scripts: "Add participant"; plural and German SITES.md).
  if (CLASSIC) {
    S.en.members = '{n} participants';
    S.en.addTitle = S.en.addOne = 'Add participant';
    S.en.addMany = 'Add participants';
    S.de.members = '{n} Teilnehmer';
    S.de.addTitle = S.de.addOne = S.de.addMany = 'Teilnehmer hinzuf\u00fcgen';
    S.fr.members = '{n} participants';
    S.fr.addTitle = 'Ajouter un participant';
    S.fr.addOne = 'Ajouter le participant';
    S.fr.addMany = 'Ajouter les participants';
  }
  var t = function (k, v) { return K.t(S, k, v); };

  var CONTACTS = K.people(Number(K.param('people', 40)));
  // These contacts' privacy settings refuse direct adds (WhatsApp then offers an invite instead).
  var PRIVATE = { 'Olga Petrova': true, 'Kofi Mensah': true };

  var CHATS = [
    { id: 'g1', jid: '120363041234567890@g.us', name: 'Book Club', group: true, members: ['Mia Wagner', 'Noah Becker', 'Lea Hoffmann', 'J\u00fcrgen M\u00fcller'],
      messages: [{ from: 'Mia Wagner', text: 'Next book: "The Overstory". Thoughts?' }, { from: 'Noah Becker', text: 'Count me in!' }] },
    { id: 'g2', jid: '120363049876543210@g.us', name: 'Sportverein Blau-Wei\u00df', group: true, members: ['Paul Sch\u00e4fer', 'Emma Koch', 'Luca Richter', 'Hannah Klein', 'Felix Wolf'],
      messages: [{ from: 'Paul Sch\u00e4fer', text: 'Training tomorrow at 18:00.' }] },
    { id: 'g3', jid: '120363041112223330@g.us', name: 'Family', group: true, members: ['Sophie Schr\u00f6der', 'Jonas Neumann'],
      messages: [{ from: 'Sophie Schr\u00f6der', text: 'Who brings the cake on Sunday?' }] },
    { id: 'c1', jid: '4915112345678@c.us', name: 'Anna Schmidt', group: false, members: [], messages: [{ from: 'Anna Schmidt', text: 'See you later!' }] },
  ];
  CHATS.forEach(function (c) { c.left = false; c.system = []; });
  var msgSeq = 0;

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

  // ---- small parts -------------------------------------------------------------
  var SVG_NS = 'http://www.w3.org/2000/svg';
  // Rough outlines only; the real paths are not part of any source.
  var PATHS = {
    'add-user': 'M15 12a4 4 0 1 0-4-4 4 4 0 0 0 4 4zm-9-2V7H4v3H1v2h3v3h2v-3h3v-2zm9 4c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4z',
    'x-alt': 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
    'x': 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
    'checkmark-medium': 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
    'exit': 'M16 17v-3H9v-4h7V7l5 5zM14 2a2 2 0 0 1 2 2v2h-2V4H5v16h9v-2h2v2a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2z',
    'delete': 'M6 19a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V7H6zM19 4h-3.5l-1-1h-5l-1 1H5v2h14z',
    'link': 'M3.9 12a3.1 3.1 0 0 1 3.1-3.1h4V7H7a5 5 0 0 0 0 10h4v-1.9H7A3.1 3.1 0 0 1 3.9 12zM8 13h8v-2H8zm9-6h-4v1.9h4a3.1 3.1 0 0 1 0 6.2h-4V17h4a5 5 0 0 0 0-10z',
    'menu': 'M12 7a2 2 0 1 0-2-2 2 2 0 0 0 2 2zm0 2a2 2 0 1 0 2 2 2 2 0 0 0-2-2zm0 6a2 2 0 1 0 2 2 2 2 0 0 0-2-2z',
    'search': 'M15.5 14h-.8l-.3-.3A6.5 6.5 0 1 0 14 15.5l.3.3v.8l5 5 1.5-1.5zm-6 0A4.5 4.5 0 1 1 14 9.5 4.5 4.5 0 0 1 9.5 14z',
  };
  /** span[data-icon] holding an SVG (no text, as on the real site). */
  function icon(name, attrs) {
    var svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '24');
    svg.setAttribute('height', '24');
    svg.setAttribute('preserveAspectRatio', 'xMidYMid meet');
    var path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', PATHS[name] || PATHS.menu);
    svg.appendChild(path);
    var all = { 'data-icon': CLASSIC ? name : name + '-refreshed', 'aria-hidden': 'true', class: 'wa-ic' };
    for (var k in attrs || {}) all[k] = attrs[k];
    return h('span', all, svg);
  }
  function avatar(name, cls) {
    return h('img', { src: K.avatarSrc(name), alt: '', draggable: 'false', class: 'wa-av ' + (cls || '') });
  }
  /** Buttons of the platform's popups: button > div > div (2025), div[role=button] > div (2022-23). */
  function popupButton(label, primary, onClick) {
    var cls = 'wa-popbtn' + (primary ? ' wa-popprimary' : '');
    var el = CLASSIC
      ? K.button({ class: cls }, h('div', { text: label }))
      : h('button', { type: 'button', class: cls }, h('div', {}, h('div', { text: label })));
    el.addEventListener('click', onClick);
    return el;
  }

  // ---- shell ---------------------------------------------------------------------
  var chatList = h('div', { id: 'pane-side', role: 'grid', 'aria-label': t('chatList'), class: 'wa-chatlist' });
  var side = h('div', { id: 'side', class: 'wa-side' },
    h('header', { class: 'wa-sidehead' }, avatar('Robin Meyer'), h('span', { class: 'wa-grow' }),
      h('div', { role: 'button', tabindex: '0', title: t('menu'), 'aria-label': t('menu'), class: 'wa-iconbtn' }, icon('menu'))),
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
        h('div', { 'data-testid': CLASSIC ? 'cell-frame-container' : null, class: 'wa-cell' },
          avatar(c.name),
          h('div', { class: 'wa-cellbody' },
            h('div', { 'data-testid': CLASSIC ? 'cell-frame-title' : null, class: 'wa-celltitle' }, h('span', { title: c.name, dir: 'auto', text: c.name })),
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

  // ---- conversation ----------------------------------------------------------------
  var msgBox, footer, subtitle;
  function renderMain() {
    var c = current;
    K.clear(mainPane);
    subtitle = h('span', { class: 'wa-sub', title: '', text: '' });
    var titleSpan = h('span', { title: c.name, dir: 'auto', 'data-testid': CLASSIC ? 'conversation-info-header-chat-title' : null, text: c.name });
    var info = h('div', { class: 'wa-headinfo', role: 'button', tabindex: '0', title: c.group ? t('clickInfo') : '' },
      h('div', { class: 'wa-headtitle' }, titleSpan), h('div', { class: 'wa-headsub' }, subtitle));
    info.addEventListener('click', function () { if (c.group) openDrawer(); });
    var menuBtn = h('div', { role: 'button', tabindex: '0', title: t('menu'), 'aria-label': t('menu'), class: 'wa-iconbtn' }, icon('menu'));
    if (c.group) {
      K.menuButton(menuBtn, function () {
        var items = [{ text: t('groupInfo'), onSelect: openDrawer }];
        if (!c.left) items.push({ text: t('exitGroup'), onSelect: openExit });
        return items;
      }, { alignRight: true });
    }
    mainPane.appendChild(h('header', { class: 'wa-head' }, avatar(c.name), info,
      h('div', { role: 'button', tabindex: '0', title: t('search'), 'aria-label': t('search'), class: 'wa-iconbtn' }, icon('search')), menuBtn));
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
    var s = c.group ? (c.left ? '' : c.members.concat([t('you')]).join(', ')) : '';
    K.setText(subtitle, s);
    K.attr(subtitle, 'title', s);
  }
  /** One message: div[data-id] (refreshed), inside div[role=row] (classic). Ids stay put. */
  function messageEl(m, mine, cls, child) {
    if (!m.id) { msgSeq += 1; m.id = (mine ? 'true_' : 'false_') + current.jid + '_3EB0' + (4096 + msgSeq).toString(16).toUpperCase(); }
    var wrap = h('div', { 'data-id': m.id, class: (CLASSIC ? '' : '_amjv ') + cls }, child);
    return CLASSIC ? h('div', { role: 'row' }, wrap) : wrap;
  }
  function renderMessages() {
    var c = current;
    K.clear(msgBox);
    msgBox.appendChild(h('div', { class: 'wa-date' }, h('span', { text: t('today') })));
    c.messages.forEach(function (m) {
      var mine = m.from === null;
      msgBox.appendChild(messageEl(m, mine, 'wa-msg ' + (mine ? 'wa-out message-out' : 'wa-in message-in'),
        h('div', { class: 'wa-bubble copyable-text', 'data-pre-plain-text': '[10:34, 12/5/2026] ' + (m.from || 'Robin Meyer') + ': ' },
          mine || !c.group ? null : h('div', { class: 'wa-author' }, h('span', { dir: 'auto', text: m.from })),
          h('span', { class: 'selectable-text copyable-text', dir: 'ltr', text: m.text }))));
    });
    c.system.forEach(function (s) {
      msgBox.appendChild(messageEl(s, false, 'wa-sys', h('div', { class: 'wa-sysbox' }, h('span', { dir: 'auto', text: s.text }))));
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
    var input = h('div', { contenteditable: 'true', role: 'textbox', spellcheck: 'true', tabindex: '10', class: 'wa-input', title: t('typeMessage'), 'aria-label': t('typeMessage') });
    input.addEventListener('keydown', function (e) {
      var text = input.textContent.trim();
      if (e.key === 'Enter' && text) {
        e.preventDefault();
        c.messages.push({ from: null, text: text });
        K.clear(input);
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

  // ---- group info drawer ------------------------------------------------------------
  function openDrawer() { drawer.hidden = false; renderDrawer(); }
  function closeDrawer() { drawer.hidden = true; K.clear(drawer); }
  function renderDrawer() {
    if (drawer.hidden) return;
    var c = current;
    K.clear(drawer);
    var x = h('button', { type: 'button', 'aria-label': t('close'), class: 'wa-iconbtn' }, icon('x'));
    x.addEventListener('click', closeDrawer);
    var count = c.left ? c.members.length : c.members.length + 1;
    drawer.appendChild(h('header', { class: 'wa-drawhead' }, x, h('h1', { text: t('groupInfo') })));
    drawer.appendChild(h('div', { class: 'wa-drawcard wa-center' }, avatar(c.name, 'wa-bigav'),
      h('h2', {}, h('span', { dir: 'auto', text: c.name })), h('div', { class: 'wa-muted', text: t('group') + ' \u00b7 ' + t('members', { n: count }) })));
    var sec = h('div', { class: 'wa-drawcard' }, h('div', { class: 'wa-muted', text: t('members', { n: count }) }));
    if (!c.left) {
      var add = h('div', { role: 'button', tabindex: '0', class: 'wa-action' },
        h('div', { class: 'wa-actionicon' }, icon('add-user')), h('div', { class: 'wa-actiontext', text: t('addTitle') }));
      add.addEventListener('click', openAdd);
      sec.appendChild(add);
      sec.appendChild(h('div', { role: 'button', tabindex: '0', class: 'wa-action' },
        h('div', { class: 'wa-actionicon' }, icon('link')), h('div', { class: 'wa-actiontext', text: t('inviteLink') })));
      sec.appendChild(h('div', { class: 'wa-member' }, avatar('Robin Meyer'), h('span', { dir: 'auto', text: t('you') })));
    }
    c.members.forEach(function (n) {
      sec.appendChild(h('div', { class: 'wa-member' }, avatar(n), h('span', { title: n, dir: 'auto', text: n })));
    });
    drawer.appendChild(sec);
    var exit = h('div', { role: 'button', tabindex: '0', class: 'wa-action wa-danger' },
      h('div', { class: 'wa-actionicon wa-dangericon' }, icon(c.left ? 'delete' : 'exit')),
      h('div', { class: 'wa-actiontext', text: c.left ? t('deleteGroup') : t('exitGroup') }));
    if (!c.left) exit.addEventListener('click', openExit);
    drawer.appendChild(h('div', { class: 'wa-drawcard' }, exit));
  }

  // ---- popups (the platform's own questions) ---------------------------------------------
  function popup(text, buttons) {
    var m = K.modal({ backdropClass: 'fx-backdrop wa-overlay', attrs: { class: 'wa-popup', 'data-animate-modal-popup': 'true' }, onEscape: function () { buttons[0].onClick(); } });
    var row = h('div', { class: 'wa-popbtns' });
    buttons.forEach(function (b) { row.appendChild(popupButton(b.text, b.primary, b.onClick)); });
    m.box.appendChild(h('div', { 'data-animate-modal-body': 'true', class: 'wa-popbody' }, h('div', { class: 'wa-poptext', text: text }), row));
    return m;
  }

  // ---- add picker (virtualised, renders late) -------------------------------------------
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
    var m = K.modal({ backdropClass: 'fx-backdrop wa-overlay', attrs: { class: 'wa-picker', 'data-animate-modal-popup': 'true' }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'add', group: c.name });
    var placeholder = h('div', { class: 'wa-placeholder', text: t('searchPlaceholder') });
    var search = h('div', { contenteditable: 'true', role: 'textbox', tabindex: '3', class: 'wa-psearch', 'aria-label': t('searchBox') });
    var empty = h('div', { class: 'wa-muted wa-empty', hidden: true, text: t('noContacts') });
    // Chips are tokens before the search box, in one field.
    var searchWrap = h('div', { class: 'wa-searchwrap' }, placeholder, search);
    var tokens = h('div', { class: 'wa-chips' }, searchWrap);
    var chipNodes = [];
    var confirmWrap = h('div', { class: 'wa-confirmwrap', hidden: true });
    var confirmBtn = h('div', { role: 'button', tabindex: '0', class: 'wa-confirm' },
      icon('checkmark-medium', { 'aria-hidden': null, 'aria-label': t('confirm'), 'data-testid': CLASSIC ? 'checkmark-medium' : null }));
    confirmBtn.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); confirmBtn.click(); } });
    confirmWrap.appendChild(confirmBtn);

    var isMember = function (name) { return c.members.indexOf(name) >= 0; };
    var vlist = K.virtualList({
      rowHeight: 72, height: 360, pool: 12,
      attrs: { class: 'wa-plist' },
      makeRow: function () {
        var name = h('span', { dir: 'auto', title: '', class: 'wa-name' }, '');
        var sub = h('div', { class: 'wa-cellsub' }, '');
        var av = h('img', { alt: '', draggable: 'false', class: 'wa-av' });
        var row = h('div', { role: 'checkbox', 'aria-checked': 'false', tabindex: '-1', class: 'wa-prow' },
          h('div', { 'data-testid': CLASSIC ? 'cell-frame-container' : null, class: 'wa-cell' },
            h('div', { class: 'wa-check', 'aria-hidden': 'true' }), av,
            h('div', { class: 'wa-cellbody' },
              h('div', { 'data-testid': CLASSIC ? 'cell-frame-title' : null, class: 'wa-celltitle' }, name),
              sub)));
        row.__name = name; row.__sub = sub; row.__av = av;
        row.addEventListener('click', function () { toggle(row.__item); });
        row.addEventListener('keydown', function (e) { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); toggle(row.__item); } });
        return row;
      },
      bindRow: function (row, item) {
        var mem = isMember(item.name);
        K.setText(row.__name, item.name);
        K.attr(row.__name, 'title', item.name);
        K.setText(row.__sub, mem ? t('alreadyAdded') : t('status'));
        row.__av.src = K.avatarSrc(item.name);
        row.setAttribute('aria-checked', mem || selected[item.name] ? 'true' : 'false');
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
      chipNodes.forEach(K.remove);
      chipNodes = order.map(function (name) {
        var rm = h('div', { role: 'button', tabindex: '0', 'aria-label': t('remove'), class: 'wa-chipx' }, icon('x-alt'));
        rm.addEventListener('click', function () { toggle({ name: name }); });
        var chip = h('div', { class: 'wa-chip' }, avatar(name, 'wa-chipav'), h('span', { dir: 'auto', class: 'wa-chipname', text: name }), rm);
        tokens.insertBefore(chip, searchWrap);
        return chip;
      });
      confirmWrap.hidden = order.length === 0;
    }
    function filter() {
      var q = search.textContent.trim().toLowerCase();
      placeholder.hidden = q.length > 0;
      var items = CONTACTS.filter(function (p) { return !q || p.name.toLowerCase().indexOf(q) >= 0; });
      vlist.el.scrollTop = 0;
      vlist.setItems(items);
      empty.hidden = items.length > 0;
    }
    search.addEventListener('input', filter);
    function cancel() { K.log('dialog-cancel', { dialog: 'add', group: c.name }); close(); }
    function close() { m.close(); addOpen = false; }

    // The site's own handler on the confirm: the platform asks once more.
    confirmBtn.addEventListener('click', function () {
      if (!order.length) return;
      var names = order.slice();
      K.log('dialog-open', { dialog: 'add-confirm', group: c.name, names: names });
      var pop = popup(t('addQuestion', { members: K.joinNames(names), group: c.name }), [
        { text: t('cancel'), onClick: function () { K.log('dialog-cancel', { dialog: 'add-confirm', group: c.name }); pop.close(); } },
        { text: names.length === 1 ? t('addOne') : t('addMany'), primary: true, onClick: function () { pop.close(); close(); commitAdd(c, names); } },
      ]);
    });

    var x = h('button', { type: 'button', 'aria-label': t('close'), class: 'wa-iconbtn' }, icon('x'));
    x.addEventListener('click', cancel);
    K.append(m.box, [
      h('header', { class: 'wa-pickhead' }, x, h('h1', { text: t('addTitle') })),
      h('div', { 'data-animate-modal-body': 'true', class: 'wa-pickbody' }, tokens, vlist.el, empty),
      confirmWrap,
    ]);
    vlist.setItems(CONTACTS);
    update();
    search.focus();
  }

  // The site's own final add (bound on the popup's button).
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

  // ---- exit ----------------------------------------------------------------------------
  function openExit() {
    var c = current;
    if (!c.group || c.left) return;
    K.log('dialog-open', { dialog: 'leave', group: c.name });
    var pop = popup(t('exitQuestion', { group: c.name }), [
      { text: t('cancel'), onClick: function () { K.log('dialog-cancel', { dialog: 'leave', group: c.name }); pop.close(); } },
      { text: t('exitConfirm'), primary: true, onClick: function () {
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
    state: function () { return { chat: current.name, left: current.left, members: current.members.slice(), shape: CLASSIC ? 'classic' : 'refreshed' }; },
  });
  if (K.param('open') === 'add') { openDrawer(); openAdd(); }
  else if (K.param('open') === 'leave') openExit();
})();
