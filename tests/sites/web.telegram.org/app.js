/*
 * Telegram Web fixture: two different clients on one host, chosen by the path as on the real
 * site: /k/ (and /) is Web K (morethanwords/tweb), /a/ (and the legacy /z/) is Web A
 * (Ajaxy/telegram-tt). The chat is in the hash: #-100<id>, K's short #-<id>, a basic group's
 * #-<id>, #@username, forum topics #-100<id>_<topic>.
 *
 * Sources. REAL-DOM = docs/evidence/real-dom.md (sections 1.1-1.4, 2.1, 3, 4), which cites the
 * commits below; files marked "read" were read for this fixture at the commit given.
 * Web K
 * - Picker (REAL-DOM 1.1, 2.1, 3 "Web K - picker tab"; tweb sidebarLeft/tabs/addMembers.tsx
 *   @2556fc94, sliderTab.ts @04982cb0, appSelectPeers.ts @8c516e6f (read), buttonCorner.ts
 *   @25d222de; rows and next button live-checked by MaxCorpOrg/site-control-kit @36a4c9aa): a
 *   right-column slider tab `div.tabs-tab.sidebar-slider-item.add-members-container` >
 *   `.sidebar-header` (close button, `.sidebar-header__title` "Add Members") + `.sidebar-content`
 *   > `div.selector.selector-square.selector-right` with the chips `div.selector-user[data-key]`
 *   (avatar of initials as text, a close glyph, `.selector-user-title > span.peer-title`) before
 *   `input.selector-search-input` "Add people..." in `.selector-search`, the rows
 *   `.chatlist a.row[data-peer-id]` each with a prepended `label.checkbox-field >
 *   input[type=checkbox]`, and `button.btn-circle.btn-corner.z-depth-1`, `.is-visible` while
 *   someone is selected, no text, no aria-label. A chip being removed gets `.scale-out` and goes
 *   when its animation ends (appSelectPeers.ts). A click on a row toggles it.
 * - Entry: the corner button of the group's profile tab, `#column-right
 *   .profile-container.can-add-members button.btn-circle.btn-corner` (site-control-kit;
 *   buttonCorner.ts); the profile opens from the chat header (`.chat-info`).
 * - Confirmation (REAL-DOM 3 "Web K - add confirmation"; addChatUsers.ts @1de2d456 and
 *   @001f8df7 (read), popups/peer.ts @d8b70dc7, popups/index.ts @6669e388, peerTitle.ts
 *   @0c8a6cf9 (read)): `div.popup.popup-peer.popup-add-members` > `.popup-container` >
 *   `.popup-header` (avatar, `div.popup-title` "Add member" / "Add N members") +
 *   `p.popup-description` "Are you sure you want to add <b>names</b> to <b>group</b>?" (every
 *   name a `span.peer-title[data-peer-id]`; peer ids of groups are negative) + for basic groups
 *   only (`!isChannel`) a PRE-CHECKED checkbox "Show the last 100 messages to …" +
 *   `.popup-buttons` "Add" (first) / "Cancel". No role, no aria-label. "Add" adds and closes
 *   the picker tab. A privacy refusal is a toast (USER_PRIVACY_RESTRICTED → InviteToGroupError).
 * - Menus (buttonMenu.ts @7bf3be61 (read), icon.ts @b7dd25a7): `div.btn-menu` >
 *   `div.btn-menu-item.rp-overflow` > `span.tgico.btn-menu-item-icon` (a private-use glyph as
 *   its text) + `span.i18n.btn-menu-item-text`; "Leave group" is `.danger` (LeaveMegaMenu).
 * - Leave (deleteDialog.ts @4057f5f1): `div.popup.popup-peer.popup-delete-chat` >
 *   `.popup-container` > `.popup-header` > `div.popup-title` "Leave group",
 *   `p.popup-description` "Are you sure you want to delete and leave the group <b>X</b>?",
 *   `button.btn.danger` "Delete chat" / "Cancel".
 * - Messages (langPack.ts @00c1e1a8, lang.ts @007f3572, messageActionTextNewUnsafe.ts @007f3572):
 *   `div.bubble.service > .bubble-content > div.service-msg`, "Anna Schmidt added Robin Meyer"
 *   (the user by full name, never "added you"), "You left this group"; not a member: "JOIN"
 *   (ChannelJoin) on `.chat-input .chat-join` (a public userscript). Title `.chat-info .peer-title`,
 *   composer `.input-message-input[contenteditable=true]`.
 * - The user's own name (sidebarLeft/index.ts @012cf7d0 (read), buttonMenu.ts): shown only in
 *   the main menu (☰, `.sidebar-tools-button`), whose first item is the current account:
 *   `div.btn-menu-item` > `div.avatar.btn-menu-item-avatar.active` + `span.btn-menu-item-text`
 *   "Robin Meyer" (first + last name, cut to 15-18 characters). Nowhere else in normal use.
 * Web A
 * - Picker (REAL-DOM 1.2, 3 "Web A"; AddChatMembers.tsx @a49d36e5 (read), PeerPicker.tsx
 *   @32debd94 (read), PickerItem.tsx @37c31564 (read), PeerChip.tsx @180aef57 (read),
 *   Checkbox.tsx @d2b86171 (read), InputText.tsx @d2b86171 (read), Avatar.tsx @db97c3e9 (read),
 *   FullNameTitle.tsx @10629eb6 (read), FloatingActionButton.tsx @a652cf97 (read),
 *   RightColumn.tsx @2072059c): `#RightColumn` › `div.AddChatMembers > div.AddChatMembers-inner`
 *   > the picker (its own parts carry CSS-module classes only, rendered here as hashed-looking
 *   names in CSSM below) with a header (`custom-scroll`) holding the chips (root > `div.Avatar`
 *   + name > `div.title > h3.fullName` + close icon; past 10 chips the older ones shrink to the
 *   avatar with the name in `title`) and `div.input-group > input.form-control
 *   #new-members-picker-search`; rows `.PeerPickerItem[role=button]` with `label.Checkbox.onlyInput
 *   > input[type=checkbox]`, `div.Avatar[data-peer-id][aria-label] > div.inner` (initials),
 *   `h3.fullName`, the status; the list renders a window of rows (InfiniteScroll): recycled
 *   here (K.virtualList). Members of the group are not listed. `button.FloatingActionButton`
 *   (`.revealed` while someone is selected, aria-label lng_channel_add_users) adds AT ONCE:
 *   no confirmation popup (RightColumn.tsx handleAppendingChatMembers).
 * - Entry: the profile's FloatingActionButton, same aria-label (Profile.tsx, code search).
 * - Leave (DeleteChatModal.tsx @00f6b096 (read), Modal.tsx @45fc7aac):
 *   `div.Modal.DeleteChatModal[role=dialog]` › `.modal-dialog` › `.modal-header h3.modal-title`
 *   (Group.LeaveGroup) + `p` (ChannelLeaveAlertWithName) + `button.confirm-dialog-button`
 *   (Group.LeaveGroup) / Cancel. Menu items `[role=menuitem].MenuItem` with an empty `i.icon`.
 * - Messages (ActionMessageText.tsx @fe69e6b5 (read), fallback.strings @00b3e6c5):
 *   `div.ActionMessage > span.action-message-content`, "{from} added {user}" with both as
 *   first names ("Anna added Robin"), "You left the group". Title `.MiddleHeader .fullName`,
 *   composer `#editable-message-text`, not a member `.join-subscribe-button` "JOIN GROUP"
 *   (a public userscript).
 * - The user's own name (AccountMenuItems.tsx @5b210b17 (read)): only in the main menu, whose
 *   account items come first, the current account first: `.account-menu-item` > `.Avatar` +
 *   `div.title > h3.fullName` "Robin Meyer".
 *
 * UNVERIFIED (invented, no evidence): every German and French text; K: the row's inner classes
 * other than `a.row[data-peer-id]`, that members of the group are left out of K's list (as in
 * A), the profile tab's contents and title "Group Info", the topbar menu's items other than
 * "Leave group", "You added …", "You joined this group", "{actor} left the group", "… joined
 * the group via invite link", "Show the last 100 messages to new members"; A: the aria-labels
 * ("Add Members" for lng_channel_add_users, "Open menu", "More actions"), the texts of
 * Group.LeaveGroup ("Leave Group") and ChannelLeaveAlertWithName, "You added …", the wrappers of
 * menus, modals, header, message list and composer, the CSS-module names themselves; the
 * privacy refusal on A; the chats, people and messages.
 * "Leave again" opens K's chat menu (`.chat-utils` > `button.btn-icon.btn-menu-toggle`, tweb's
 * ButtonMenuToggle; its place in `.chat-utils` unverified) and A's header button "More actions"
 * (`.MiddleHeader button.round` with `i.icon-more`; the label text unverified).
 */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var CLIENT = /^\/[az](\/|$)/.test(location.pathname) ? 'a' : 'k';

  var S = {
    en: {
      search: 'Search',
      selectChat: 'Select a chat to start messaging',
      members: '{n} members',
      online: '{n} online',
      lastSeen: 'last seen recently',
      message: 'Message',
      cancel: 'Cancel',
      close: 'Close',
      noResults: 'No results',
      and: ' and ',
      groupInfo: 'Group Info',
      savedMessages: 'Saved Messages',
      settings: 'Settings',
      contacts: 'Contacts',
      mute: 'Mute',
      select: 'Select messages',
      privacy: 'Sorry, you can\u2019t add this user to groups because of user\u2019s privacy settings.',
      kAddMembers: 'Add Members',                               // GroupAddMembers
      kAddPeople: 'Add people...',                              // SendMessageTo (placeholder)
      kAddOne: 'Add member',                                    // AddOneMemberAlertTitle
      kAddN: 'Add {n} members',                                 // AddMembersAlertTitle + Members
      kAddQuestion: 'Are you sure you want to add {names} to {group}?', // AddMembersAlert*Text
      kFwdOne: 'Show the last 100 messages to {name}',          // AddOneMemberForwardMessages
      kFwdMany: 'Show the last 100 messages to new members',    // unverified
      kAdd: 'Add',                                              // Add
      kLeave: 'Leave group',                                    // LeaveMegaMenu
      kLeaveQuestion: 'Are you sure you want to delete and leave the group {group}?', // AreYouSureDeleteAndExitName
      kDeleteChat: 'Delete chat',                               // DeleteChatUser
      kJoin: 'JOIN',                                            // ChannelJoin
      kAdded: '{actor} added {user}',                           // ActionAddUser 'un1 added un2'
      kYouAdded: 'You added {user}',                            // unverified
      kLeftOther: '{actor} left the group',                     // unverified
      kYouLeft: 'You left this group',                          // YouLeft
      kJoinedLink: '{actor} joined the group via invite link',  // unverified
      kYouJoined: 'You joined this group',                      // unverified
      aOpenMenu: 'Open menu',                                   // unverified
      aMore: 'More actions',                                    // unverified
      aAddMembers: 'Add Members',                               // lng_channel_add_users (text unverified)
      aNotFound: 'Sorry, nothing found.',                       // literal in PeerPicker.tsx
      aLeave: 'Leave Group',                                    // Group.LeaveGroup (text unverified)
      aLeaveQuestion: 'Are you sure you want to leave {group}?', // ChannelLeaveAlertWithName (unverified)
      aJoin: 'JOIN GROUP',                                      // public userscript
      aAdded: '{from} added {user}',                            // ActionAddUser
      aYouAdded: 'You added {user}',                            // ActionAddUserYou (unverified)
      aLeftOther: '{from} left the group',                      // ActionUserLeft (unverified)
      aYouLeft: 'You left the group',                           // ActionUserLeftYou
      aJoinedLink: '{from} joined the group via invite link',   // ActionUserJoinedByLink (unverified)
      aYouJoined: 'You joined the group',                       // unverified
    },
    de: {
      search: 'Suche',
      selectChat: 'W\u00e4hle einen Chat aus, um mit dem Schreiben zu beginnen',
      members: '{n} Mitglieder',
      online: '{n} online',
      lastSeen: 'zuletzt k\u00fcrzlich online',
      message: 'Nachricht',
      cancel: 'Abbrechen',
      close: 'Schlie\u00dfen',
      noResults: 'Keine Ergebnisse',
      and: ' und ',
      groupInfo: 'Gruppeninfo',
      savedMessages: 'Gespeicherte Nachrichten',
      settings: 'Einstellungen',
      contacts: 'Kontakte',
      mute: 'Stummschalten',
      select: 'Nachrichten ausw\u00e4hlen',
      privacy: 'Du kannst diesen Nutzer wegen seiner Privatsph\u00e4re-Einstellungen leider nicht zu Gruppen hinzuf\u00fcgen.',
      kAddMembers: 'Mitglieder hinzuf\u00fcgen',                  // SITES.md
      kAddPeople: 'Leute hinzuf\u00fcgen \u2026',
      kAddOne: 'Mitglied hinzuf\u00fcgen',                        // SITES.md
      kAddN: '{n} Mitglieder hinzuf\u00fcgen',
      kAddQuestion: '{names} dem Chat {group} hinzuf\u00fcgen?',    // SITES.md
      kFwdOne: 'Die letzten 100 Nachrichten f\u00fcr {name} anzeigen',
      kFwdMany: 'Die letzten 100 Nachrichten f\u00fcr neue Mitglieder anzeigen',
      kAdd: 'Hinzuf\u00fcgen',
      kLeave: 'Gruppe verlassen',                                 // SITES.md
      kLeaveQuestion: 'M\u00f6chtest du die Gruppe {group} wirklich l\u00f6schen und verlassen?',
      kDeleteChat: 'L\u00f6schen und verlassen',                  // SITES.md
      kJoin: 'BEITRETEN',
      kAdded: '{actor} hat {user} hinzugef\u00fcgt',              // SITES.md pattern
      kYouAdded: 'Du hast {user} hinzugef\u00fcgt',
      kLeftOther: '{actor} hat die Gruppe verlassen',             // SITES.md
      kYouLeft: 'Du hast die Gruppe verlassen',                   // SITES.md
      kJoinedLink: '{actor} ist der Gruppe \u00fcber den Einladungslink beigetreten',
      kYouJoined: 'Du bist der Gruppe beigetreten',
      aOpenMenu: 'Men\u00fc \u00f6ffnen',
      aMore: 'Weitere Aktionen',
      aAddMembers: 'Mitglieder hinzuf\u00fcgen',
      aNotFound: 'Sorry, nothing found.',
      aLeave: 'Gruppe verlassen',
      aLeaveQuestion: 'M\u00f6chtest du {group} wirklich verlassen?',
      aJoin: 'GRUPPE BEITRETEN',
      aAdded: '{from} hat {user} hinzugef\u00fcgt',
      aYouAdded: 'Du hast {user} hinzugef\u00fcgt',
      aLeftOther: '{from} hat die Gruppe verlassen',
      aYouLeft: 'Du hast die Gruppe verlassen',
      aJoinedLink: '{from} ist der Gruppe \u00fcber den Einladungslink beigetreten',
      aYouJoined: 'Du bist der Gruppe beigetreten',
    },
    fr: {
      search: 'Rechercher',
      selectChat: 'S\u00e9lectionnez une discussion pour commencer',
      members: '{n} membres',
      online: '{n} en ligne',
      lastSeen: 'vu r\u00e9cemment',
      message: 'Message',
      cancel: 'Annuler',
      close: 'Fermer',
      noResults: 'Aucun r\u00e9sultat',
      and: ' et ',
      groupInfo: 'Infos du groupe',
      savedMessages: 'Messages enregistr\u00e9s',
      settings: 'Param\u00e8tres',
      contacts: 'Contacts',
      mute: 'D\u00e9sactiver les notifications',
      select: 'S\u00e9lectionner des messages',
      privacy: 'D\u00e9sol\u00e9, les param\u00e8tres de confidentialit\u00e9 de cet utilisateur ne permettent pas de l\u2019ajouter \u00e0 des groupes.',
      kAddMembers: 'Ajouter des membres',
      kAddPeople: 'Ajouter des personnes\u2026',
      kAddOne: 'Ajouter un membre',
      kAddN: 'Ajouter {n} membres',
      kAddQuestion: 'Voulez-vous vraiment ajouter {names} \u00e0 {group} ?',
      kFwdOne: 'Afficher les 100 derniers messages \u00e0 {name}',
      kFwdMany: 'Afficher les 100 derniers messages aux nouveaux membres',
      kAdd: 'Ajouter',
      kLeave: 'Quitter le groupe',
      kLeaveQuestion: 'Voulez-vous vraiment supprimer et quitter le groupe {group} ?',
      kDeleteChat: 'Supprimer la discussion',
      kJoin: 'REJOINDRE',
      kAdded: '{actor} a ajout\u00e9 {user}',
      kYouAdded: 'Vous avez ajout\u00e9 {user}',
      kLeftOther: '{actor} a quitt\u00e9 le groupe',
      kYouLeft: 'Vous avez quitt\u00e9 ce groupe',
      kJoinedLink: '{actor} a rejoint le groupe via un lien d\u2019invitation',
      kYouJoined: 'Vous avez rejoint ce groupe',
      aOpenMenu: 'Ouvrir le menu',
      aMore: 'Plus d\u2019actions',
      aAddMembers: 'Ajouter des membres',
      aNotFound: 'Sorry, nothing found.',
      aLeave: 'Quitter le groupe',
      aLeaveQuestion: 'Voulez-vous vraiment quitter {group} ?',
      aJoin: 'REJOINDRE LE GROUPE',
      aAdded: '{from} a ajout\u00e9 {user}',
      aYouAdded: 'Vous avez ajout\u00e9 {user}',
      aLeftOther: '{from} a quitt\u00e9 le groupe',
      aYouLeft: 'Vous avez quitt\u00e9 le groupe',
      aJoinedLink: '{from} a rejoint le groupe via un lien d\u2019invitation',
      aYouJoined: 'Vous avez rejoint le groupe',
    },
  };
  var t = function (k, v) { return K.t(S, k, v); };
  var fmtN = function (n) { return n.toLocaleString(K.lang === 'de' ? 'de-DE' : K.lang === 'fr' ? 'fr-FR' : 'en-US'); };

  // tweb's icon font: each icon is a private-use character as the text of `span.tgico`.
  var GLYPH = {
    menu: '\ue93f', more: '\ue93e', search: '\ue9cb', close: '\ue91c', next: '\ue952', addmember: '\ue900',
    logout: '\ue9a0', mute: '\ue94a', select: '\ue9d6', saved: '\ue9c1', settings: '\ue9d4', user: '\uea01',
  };
  // Web A's CSS-module class names (hashed at build time): the pack must never key on them.
  var CSSM = {
    container: 'Vq0jB3tz', header: 'bT7yQxNe', peerChip: 'Lr2Kx8Wd', pickerList: 'hZ4cMn1u', padded: 'pQ9sE2va',
    noResults: 'x3GkRr7m', chipRoot: 'fA6wLp0c', closeable: 'mU1dHs9q', chipAvatar: 'cE8vTg4y', chipName: 'oN5bJk2w',
    chipRemove: 'rY7eZq3x', minimized: 'wD0tFa6n', item: 'gS3hVo8p', multiline: 'jK9mQb1z', clickable: 'uL4nWc7e',
    withAvatar: 'tB2rXd5h', input: 'kF6pYs0j', endInput: 'eH1qUg4v', avatarElement: 'zM8cNt3l', title: 'yR5aLe9k',
    subtitle: 'dW7oPi2f', fnRoot: 'sG4uKm6b', fullName: 'nC0yHr8t', ellipsis: 'qX3fJw1d', peerLink: 'iV6sBn5g',
  };

  var ME = 'Robin Meyer';
  var ME_PEER = '5012345678';
  var first = function (name) { return String(name).split(' ')[0]; };

  var CONTACTS = K.people(Number(K.param('people', 40)));
  CONTACTS.forEach(function (p, i) { p.peer = String(1404471788 + i * 7); });
  var PRIVATE = { 'Wei Zhang': true };
  function peerOf(name) {
    for (var i = 0; i < CONTACTS.length; i++) if (CONTACTS[i].name === name) return CONTACTS[i].peer;
    var x = 7;
    for (var j = 0; j < name.length; j++) x = (x * 31 + name.charCodeAt(j)) % 900000000;
    return String(1000000000 + x);
  }

  var CHATS = [
    { id: '-1001303328644', alt: ['-1303328644'], name: 'Rust Berlin Meetup', group: true, basic: false, count: 1234,
      members: ['Ben Carter', 'Mia Wagner', 'Noah Becker', 'Lea Hoffmann'],
      messages: [{ from: 'Ben Carter', text: 'Slides from yesterday are pinned.' }, { from: 'Mia Wagner', text: 'Thanks! Next meetup in two weeks?' }] },
    { id: '-1001184623065', alt: ['-1184623065'], name: 'Nachbarschaft Prenzlauer Berg', group: true, basic: false, count: 312,
      members: ['Paul Sch\u00e4fer', 'Emma Koch', 'Greta Wei\u00df'],
      messages: [{ from: 'Emma Koch', text: 'Lost cat near Helmholtzplatz, grey and white.' }] },
    // A basic group: its add confirmation shows the pre-checked "Show the last 100 messages" box.
    { id: '-48151623', alt: [], name: 'Kochclub Wedding', group: true, basic: true, count: 9,
      members: ['Mia Wagner', 'Paul Sch\u00e4fer'],
      messages: [{ from: 'Mia Wagner', text: 'Who brings the pasta machine on Friday?' }] },
    { id: '@bookworms_de', alt: [], name: 'Bookworms DE', group: true, basic: false, count: 58, peer: '-1009876543210',
      members: ['Ida Hartmann', 'Oskar Lange'],
      messages: [{ from: 'Oskar Lange', text: 'Anyone read the new Murakami?' }] },
    { id: '123456789', alt: [], name: 'Anna Schmidt', group: false, count: 0, members: [], peer: '123456789',
      messages: [{ from: 'Anna Schmidt', text: 'See you at the meetup!' }] },
  ];
  CHATS.forEach(function (c) {
    c.left = false;
    c.service = [];
    if (!c.peer) c.peer = c.id.indexOf('-100') === 0 ? '-' + c.id.slice(4) : c.id;
  });
  var seeds = K.sysSeeds();
  var seededChat = null;
  var startMember = K.flag('member', true);
  var msgSeq = 1000;

  function chatForHash() {
    var key = decodeURIComponent(location.hash.replace(/^#/, ''));
    if (!key) return null;
    var topic = /^-?\d+_\d+$/.test(key) ? key.split('_')[0] : key; // forum topics: -100..._5
    return CHATS.filter(function (c) { return c.id === topic || c.alt.indexOf(topic) >= 0; })[0] || null;
  }

  // ---- shared helpers --------------------------------------------------------------------
  /** A template's {placeholders} replaced by nodes or strings: a list for K.append. */
  function fill(template, values) {
    var out = [];
    var re = /\{(\w+)\}/g, last = 0, m;
    while ((m = re.exec(template))) {
      if (m.index > last) out.push(template.slice(last, m.index));
      out.push(values[m[1]] !== undefined ? values[m[1]] : m[0]);
      last = re.lastIndex;
    }
    if (last < template.length) out.push(template.slice(last));
    return out;
  }
  /** "A", "A and B", "A, B and C" with nodes. */
  function joinNodes(nodes) {
    var out = [];
    nodes.forEach(function (n, i) {
      if (i > 0) out.push(i === nodes.length - 1 ? t('and') : ', ');
      out.push(n);
    });
    return out;
  }
  function textOf(parts) {
    return parts.map(function (p) {
      if (Array.isArray(p)) return textOf(p);
      return typeof p === 'object' ? p.textContent : String(p);
    }).join('');
  }
  /** Escape and outside clicks close the topmost open layer; one menu at a time. */
  var openMenu = null;
  function closeMenu() {
    if (!openMenu) return;
    var m = openMenu; openMenu = null;
    document.removeEventListener('mousedown', m.outside, true);
    K.popLayer(m.layer);
    K.remove(m.el);
  }
  function showMenu(anchor, el, alignRight) {
    closeMenu();
    var r = anchor.getBoundingClientRect();
    el.style.position = 'fixed';
    el.style.top = (r.bottom + 4) + 'px';
    if (alignRight) el.style.right = Math.max(4, window.innerWidth - r.right) + 'px';
    else el.style.left = r.left + 'px';
    el.style.zIndex = '900';
    document.body.appendChild(el);
    var outside = function (e) { if (!el.contains(e.target) && !anchor.contains(e.target)) closeMenu(); };
    setTimeout(function () { document.addEventListener('mousedown', outside, true); }, 0);
    openMenu = { el: el, anchor: anchor, outside: outside, layer: K.pushLayer(closeMenu) };
  }
  function toggleMenu(anchor, build, alignRight) {
    anchor.addEventListener('click', function () {
      if (openMenu && openMenu.anchor === anchor) { closeMenu(); return; }
      var el = build();
      if (el) showMenu(anchor, el, alignRight);
    });
  }
  function toast(text) {
    var el = h('div', { class: CLIENT === 'k' ? 'toast' : 'Notification', role: 'status', text: text });
    document.body.appendChild(el);
    setTimeout(function () { K.remove(el); }, 3000);
  }

  var app = document.getElementById('app');
  var current = null;
  var view = null; // the client's renderers

  // ==== Web K ===============================================================================
  function kAvatar(name, cls) {
    return h('div', { class: 'avatar avatar-like' + (cls ? ' ' + cls : ''), style: { background: K.avatarColor(name) } }, K.initials(name));
  }
  function tgico(name, cls) {
    return h('span', { class: 'tgico' + (cls ? ' ' + cls : '') }, GLYPH[name]);
  }
  function peerTitle(name, peer) {
    return h('span', { class: 'peer-title', dir: 'auto', 'data-peer-id': peer }, name);
  }
  function kMenu(items, dir) {
    var menu = h('div', { class: 'btn-menu ' + dir + ' active' });
    items.forEach(function (it) {
      if (!it) { menu.appendChild(h('hr', {})); return; }
      var el = h('div', { class: 'btn-menu-item rp-overflow' + (it.danger ? ' danger' : '') + (it.cls ? ' ' + it.cls : ''), tabindex: '0' },
        it.avatar || tgico(it.icon, 'btn-menu-item-icon'),
        h('span', { class: (it.avatar ? '' : 'i18n ') + 'btn-menu-item-text', text: it.text }));
      el.addEventListener('click', function () { closeMenu(); if (it.onSelect) it.onSelect(); });
      el.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); el.click(); } });
      menu.appendChild(el);
    });
    return menu;
  }
  /** A tweb popup: `div.popup.popup-peer.<cls>` > `.popup-container`; no role, no label. */
  function kPopup(cls, opts) {
    var container = h('div', { class: 'popup-container z-depth-1' + (opts.checkbox ? ' have-checkbox' : '') });
    var overlay = h('div', { class: 'popup popup-peer ' + cls + ' active' }, container);
    var layer = K.pushLayer(function () { opts.onCancel(); });
    overlay.addEventListener('mousedown', function (e) { if (e.target === overlay) opts.onCancel(); });
    container.appendChild(h('div', { class: 'popup-header' }, kAvatar(opts.peerName, 'avatar-32'),
      h('div', { class: 'popup-title' }, h('span', { class: 'i18n', text: opts.title }))));
    container.appendChild(h('p', { class: 'popup-description' }, h('span', { class: 'i18n' }, opts.body)));
    if (opts.checkbox) {
      container.appendChild(h('label', { class: 'checkbox-field checkbox-ripple' },
        h('input', { type: 'checkbox', class: 'checkbox-field-input', props: { checked: true } }),
        h('div', { class: 'checkbox-box' }),
        h('span', { class: 'checkbox-caption' }, opts.checkbox)));
    }
    var buttons = h('div', { class: 'popup-buttons' });
    opts.buttons.forEach(function (b) {
      var el = h('button', { class: 'popup-button btn ' + (b.danger ? 'danger' : 'primary') + ' rp' }, h('span', { class: 'i18n', text: b.text }));
      el.addEventListener('click', b.onClick);
      buttons.appendChild(el);
    });
    container.appendChild(buttons);
    document.body.appendChild(overlay);
    return { close: function () { K.popLayer(layer); K.remove(overlay); } };
  }

  var K_VIEW = (function () {
    var chatlist, center, right, slider, bubbles, inputBox, infoLine;
    var profileTab = null, pickerTab = null, addOpen = false;

    function build() {
      var burger = h('button', { class: 'btn-icon btn-menu-toggle sidebar-tools-button is-visible' }, tgico('menu'));
      toggleMenu(burger, function () {
        return kMenu([
          // The current account first: its name is the only place the page shows the user's.
          { avatar: kAvatar(ME, 'avatar-24 btn-menu-item-icon is-external btn-menu-item-avatar active'), text: ME, onSelect: function () {} },
          null,
          { icon: 'saved', text: t('savedMessages') },
          { icon: 'user', text: t('contacts') },
          { icon: 'settings', text: t('settings') },
        ], 'bottom-right');
      }, false);
      chatlist = h('ul', { class: 'chatlist' });
      var left = h('div', { id: 'column-left', class: 'tabs-tab sidebar sidebar-left main-column' },
        h('div', { class: 'sidebar-header item-main' }, burger,
          h('div', { class: 'input-search' }, h('input', { type: 'text', class: 'input-field-input input-search-input', placeholder: t('search') }))),
        h('div', { id: 'chatlist-container', class: 'chatlist-container' }, chatlist));
      center = h('div', { id: 'column-center', class: 'main-column' });
      slider = h('div', { class: 'sidebar-slider tabs-container' });
      right = h('div', { id: 'column-right', class: 'sidebar sidebar-right main-column', hidden: true }, h('div', { class: 'sidebar-content' }, slider));
      app.appendChild(h('div', { id: 'main-columns', class: 'tabs-container' }, left, center, right));
    }

    function renderChatList() {
      K.clear(chatlist);
      CHATS.forEach(function (c) {
        var last = lastText(c);
        var a = h('a', { class: 'row no-wrap row-with-padding row-clickable hover-effect chatlist-chat' + (c === current ? ' active' : ''), href: '#' + c.id, 'data-peer-id': c.peer },
          h('div', { class: 'row-media' }, kAvatar(c.name, 'avatar-54')),
          h('div', { class: 'row-row row-title-row' }, h('div', { class: 'row-title' }, peerTitle(c.name, c.peer))),
          h('div', { class: 'row-row row-subtitle-row' }, h('div', { class: 'row-subtitle', dir: 'auto', text: last })));
        chatlist.appendChild(a);
      });
    }

    function renderCenter() {
      K.clear(center);
      bubbles = inputBox = infoLine = null;
      var c = current;
      if (!c) {
        center.appendChild(h('div', { class: 'chat-background-empty' }, h('span', { class: 'bubble-service-pill', text: t('selectChat') })));
        return;
      }
      infoLine = h('div', { class: 'info' });
      var info = h('div', { class: 'chat-info' },
        h('div', { class: 'person' }, kAvatar(c.name, 'avatar-42 person-avatar'),
          h('div', { class: 'content' },
            h('div', { class: 'top' }, h('div', { class: 'user-title' }, peerTitle(c.name, c.peer))),
            h('div', { class: 'bottom' }, infoLine))));
      info.addEventListener('click', function () { if (c.group) openProfile(); });
      var more = h('button', { class: 'btn-icon btn-menu-toggle' }, tgico('more'));
      if (c.group) {
        toggleMenu(more, function () {
          var items = [{ icon: 'mute', text: t('mute') }, { icon: 'select', text: t('select') }];
          if (!c.left) items.push({ icon: 'logout', text: t('kLeave'), danger: true, onSelect: openLeave });
          return kMenu(items, 'bottom-left');
        }, true);
      }
      var search = h('button', { class: 'btn-icon' }, tgico('search'));
      center.appendChild(h('div', { class: 'sidebar-header topbar' },
        h('div', { class: 'chat-info-container' }, info),
        h('div', { class: 'chat-utils' }, search, more)));
      bubbles = h('div', { class: 'bubbles-inner' });
      center.appendChild(h('div', { class: 'bubbles' }, h('div', { class: 'scrollable scrollable-y' }, bubbles)));
      inputBox = h('div', { class: 'chat-input' });
      center.appendChild(inputBox);
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
      var group = h('section', { class: 'bubbles-date-group' });
      c.messages.forEach(function (m) {
        var out = m.from === null;
        group.appendChild(h('div', { class: 'bubble ' + (out ? 'is-out' : 'is-in') + ' can-have-tail', 'data-mid': String(msgSeq++) },
          h('div', { class: 'bubble-content-wrapper' }, h('div', { class: 'bubble-content' },
            !out && c.group ? h('div', { class: 'name' }, peerTitle(m.from, peerOf(m.from))) : null,
            h('div', { class: 'message', dir: 'auto', text: m.text })))));
      });
      c.service.forEach(function (s) {
        group.appendChild(h('div', { class: 'bubble service', 'data-mid': String(s.mid) },
          h('div', { class: 'bubble-content' }, h('div', { class: 'service-msg' }, h('span', { class: 'i18n' }, serviceParts(s))))));
      });
      bubbles.appendChild(group);
    }
    function renderBottom() {
      if (!inputBox) return;
      var c = current;
      K.clear(inputBox);
      if (c.group && c.left) {
        var join = h('button', { class: 'btn-primary btn-transparent text-bold chat-input-control-button chat-join' }, h('span', { class: 'i18n', text: t('kJoin') }));
        join.addEventListener('click', function () { rejoin(c); });
        inputBox.appendChild(h('div', { class: 'chat-input-control' }, join));
        return;
      }
      var field = h('div', { class: 'input-message-input', contenteditable: 'true', dir: 'auto', 'data-placeholder': t('message'), role: 'textbox', 'aria-label': t('message') });
      field.addEventListener('keydown', function (e) {
        var text = field.textContent.trim();
        if (e.key === 'Enter' && text) {
          e.preventDefault();
          c.messages.push({ from: null, text: text });
          K.clear(field);
          renderBubbles();
        }
      });
      inputBox.appendChild(h('div', { class: 'chat-input-container' }, h('div', { class: 'rows-wrapper' }, h('div', { class: 'input-message-container' }, field))));
    }
    function serviceParts(s) {
      var pt = function (name) { return peerTitle(name, name === ME ? ME_PEER : peerOf(name)); };
      switch (s.kind) {
        case 'added': case 'addedOther': return fill(t('kAdded'), { actor: pt(s.actor), user: pt(s.user) });
        case 'youAdded': return fill(t('kYouAdded'), { user: joinNodes(s.users.map(pt)) });
        case 'left': return [t('kYouLeft')];
        case 'leftOther': return fill(t('kLeftOther'), { actor: pt(s.actor) });
        case 'joinedLink': return fill(t('kJoinedLink'), { actor: pt(s.actor) });
        default: return [t('kYouJoined')];
      }
    }

    // ---- right column: the group's profile and the picker tab ------------------------------
    function showTab(tab) {
      [profileTab, pickerTab].forEach(function (x) { if (x) K.toggleClass(x, 'active', x === tab); });
    }
    function closeRight() {
      if (pickerTab) closePicker();
      right.hidden = true;
      K.clear(slider);
      profileTab = null;
    }
    function openProfile() {
      var c = current;
      if (!c || !c.group) return;
      right.hidden = false;
      if (profileTab) { K.remove(profileTab); profileTab = null; }
      var x = h('button', { class: 'btn-icon sidebar-close-button', 'aria-label': t('close') }, tgico('close'));
      x.addEventListener('click', closeRight);
      var list = h('ul', { class: 'chatlist' });
      c.members.forEach(function (n) {
        var p = peerOf(n);
        list.appendChild(h('a', { class: 'row no-wrap row-with-padding chatlist-chat', 'data-peer-id': p },
          h('div', { class: 'row-media' }, kAvatar(n, 'avatar-42')),
          h('div', { class: 'row-row row-title-row' }, h('div', { class: 'row-title' }, peerTitle(n, p))),
          h('div', { class: 'row-row row-subtitle-row' }, h('div', { class: 'row-subtitle', text: t('lastSeen') }))));
      });
      var content = h('div', { class: 'sidebar-content' },
        h('div', { class: 'profile-content' }, kAvatar(c.name, 'avatar-120 profile-avatar'),
          h('div', { class: 'profile-name' }, peerTitle(c.name, c.peer)),
          h('div', { class: 'profile-subtitle', text: t('members', { n: fmtN(c.count) }) })),
        h('div', { class: 'search-super' }, list));
      if (!c.left) {
        var corner = h('button', { class: 'btn-circle btn-corner z-depth-1 is-visible' }, tgico('addmember'));
        corner.addEventListener('click', openAdd);
        content.appendChild(corner);
      }
      profileTab = h('div', { class: 'tabs-tab sidebar-slider-item profile-container' + (c.left ? '' : ' can-add-members') },
        h('div', { class: 'sidebar-header' }, x, h('div', { class: 'sidebar-header__title' }, h('span', { class: 'i18n', text: t('groupInfo') }))),
        content);
      slider.insertBefore(profileTab, slider.firstChild);
      showTab(pickerTab || profileTab);
    }

    var closePicker = function () {};
    function openAdd() {
      var c = current;
      if (addOpen || !c || !c.group || c.left) return;
      addOpen = true;
      if (!profileTab) openProfile();
      K.later(300, function () { buildPicker(c); });
    }
    function buildPicker(c) {
      var order = []; // selected people, in the order picked
      K.log('dialog-open', { dialog: 'add', group: c.name, chatId: c.id });
      var input = h('input', { type: 'text', class: 'selector-search-input i18n', placeholder: t('kAddPeople') });
      var search = h('div', { class: 'selector-search' }, input);
      var list = h('ul', { class: 'chatlist' });
      var none = h('div', { class: 'selector-empty', hidden: true, text: t('noResults') });
      var corner = h('button', { class: 'btn-circle btn-corner z-depth-1' }, tgico('next'));
      var rows = [];
      var chips = {};
      CONTACTS.filter(function (p) { return c.members.indexOf(p.name) < 0; }).forEach(function (p) {
        var cb = h('input', { type: 'checkbox' });
        var label = h('label', { class: 'checkbox-field checkbox-without-caption' }, cb, h('div', { class: 'checkbox-box' }));
        var row = h('a', { class: 'row no-wrap row-with-padding row-clickable hover-effect chatlist-chat chatlist-chat-abitbigger', 'data-peer-id': p.peer },
          label,
          h('div', { class: 'row-media row-media-abitbigger' }, kAvatar(p.name, 'avatar-42')),
          h('div', { class: 'row-row row-title-row' }, h('div', { class: 'row-title' }, peerTitle(p.name, p.peer))),
          h('div', { class: 'row-row row-subtitle-row' }, h('div', { class: 'row-subtitle', text: t('lastSeen') })));
        row.addEventListener('click', function (e) {
          if (e.target === cb) { setSel(p, cb.checked); return; }
          // A click on the label reaches the checkbox as a click of its own.
          if (label.contains(e.target)) return;
          setSel(p, !cb.checked);
        });
        rows.push({ row: row, cb: cb, p: p });
        list.appendChild(row);
      });
      function setSel(p, on) {
        var i = order.indexOf(p);
        if (on && i < 0) order.push(p);
        if (!on && i >= 0) order.splice(i, 1);
        rows.forEach(function (r) { if (r.p === p) r.cb.checked = on; });
        if (on && !chips[p.peer]) {
          var chip = h('div', { class: 'selector-user scale-in', 'data-key': p.peer },
            h('div', { class: 'selector-user-avatar-container' }, kAvatar(p.name, 'avatar-32 selector-user-avatar'),
              h('div', { class: 'selector-user-avatar-close' }, tgico('close'))),
            h('div', { class: 'selector-user-title' }, peerTitle(p.name, p.peer)));
          chip.addEventListener('click', function () { setSel(p, false); });
          chips[p.peer] = chip;
          search.insertBefore(chip, input);
        } else if (!on && chips[p.peer]) {
          // tweb: the chip scales out and is removed when its animation ends.
          var gone = chips[p.peer];
          delete chips[p.peer];
          K.toggleClass(gone, 'scale-in', false);
          K.toggleClass(gone, 'scale-out', true);
          setTimeout(function () { K.remove(gone); }, 160);
        }
        K.toggleClass(corner, 'is-visible', order.length > 0);
      }
      input.addEventListener('input', function () {
        var q = input.value.trim().toLowerCase();
        var shown = 0;
        rows.forEach(function (r) { var ok = !q || r.p.name.toLowerCase().indexOf(q) >= 0; r.row.hidden = !ok; if (ok) shown++; });
        none.hidden = shown > 0;
      });
      var layer = K.pushLayer(cancel);
      function cancel() { K.log('dialog-cancel', { dialog: 'add', group: c.name, chatId: c.id }); closePicker(); }
      closePicker = function () {
        K.popLayer(layer);
        if (pickerTab) K.remove(pickerTab);
        pickerTab = null;
        addOpen = false;
        closePicker = function () {};
        if (profileTab) showTab(profileTab);
      };

      corner.addEventListener('click', function () {
        if (!order.length) return;
        var picked = order.slice();
        var names = picked.map(function (p) { return p.name; });
        K.log('dialog-open', { dialog: 'add-confirm', group: c.name, chatId: c.id, names: names });
        var b = function (name, peer) { return h('b', {}, peerTitle(name, peer)); };
        var checkbox = null;
        if (c.basic) {
          checkbox = picked.length === 1 ? fill(t('kFwdOne'), { name: h('b', { text: first(picked[0].name) }) }) : [t('kFwdMany')];
        }
        var cancelPop = function () { K.log('dialog-cancel', { dialog: 'add-confirm', group: c.name, chatId: c.id }); pop.close(); };
        var pop = kPopup('popup-add-members', {
          peerName: c.name,
          title: picked.length === 1 ? t('kAddOne') : t('kAddN', { n: picked.length }),
          body: fill(t('kAddQuestion'), { names: joinNodes(picked.map(function (p) { return b(p.name, p.peer); })), group: b(c.name, c.peer) }),
          checkbox: checkbox,
          onCancel: cancelPop,
          buttons: [
            { text: t('kAdd'), onClick: function () { pop.close(); closePicker(); commitAdd(c, names); } },
            { text: t('cancel'), onClick: cancelPop },
          ],
        });
      });

      var x = h('button', { class: 'btn-icon sidebar-close-button', 'aria-label': t('close') }, tgico('close'));
      x.addEventListener('click', cancel);
      var selector = h('div', { class: 'selector selector-square selector-right' },
        h('div', { class: 'sidebar-left-section-container selector-search-section-container' },
          h('div', { class: 'sidebar-left-section selector-search-section' },
            h('div', { class: 'sidebar-left-section-content' }, h('div', { class: 'selector-search-container scrollable scrollable-y' }, search)))),
        h('div', { class: 'chatlist-container' }, h('div', { class: 'scrollable scrollable-y' },
          h('div', { class: 'sidebar-left-section-container selector-list-section-container' },
            h('div', { class: 'sidebar-left-section selector-list-section' },
              h('div', { class: 'sidebar-left-section-content selector-list-section-content' }, list, none))))));
      pickerTab = h('div', { class: 'tabs-tab sidebar-slider-item add-members-container' },
        h('div', { class: 'sidebar-header' }, x, h('div', { class: 'sidebar-header__title' }, h('span', { class: 'i18n', text: t('kAddMembers') }))),
        h('div', { class: 'sidebar-content' }, selector, corner));
      slider.appendChild(pickerTab);
      showTab(pickerTab);
      input.focus();
    }

    function openLeave() {
      var c = current;
      if (!c || !c.group || c.left) return;
      K.log('dialog-open', { dialog: 'leave', group: c.name, chatId: c.id });
      var cancel = function () { K.log('dialog-cancel', { dialog: 'leave', group: c.name, chatId: c.id }); pop.close(); };
      var pop = kPopup('popup-delete-chat', {
        peerName: c.name,
        title: t('kLeave'),
        body: fill(t('kLeaveQuestion'), { group: h('b', {}, peerTitle(c.name, c.peer)) }),
        onCancel: cancel,
        buttons: [
          { text: t('kDeleteChat'), danger: true, onClick: function () { pop.close(); leave(c); } },
          { text: t('cancel'), onClick: cancel },
        ],
      });
    }

    function afterChange() {
      renderInfo();
      renderChatList();
      if (!right.hidden && !pickerTab) openProfile();
    }

    return {
      build: build, renderChatList: renderChatList, renderCenter: renderCenter, renderBubbles: renderBubbles,
      renderBottom: renderBottom, serviceParts: serviceParts, openAdd: openAdd, openLeave: openLeave,
      afterChange: afterChange, closeRight: function () { closeRight(); },
    };
  })();

  // ==== Web A ===============================================================================
  function aAvatar(name, peer, cls) {
    return h('div', { class: 'Avatar no-photo' + (cls ? ' ' + cls : ''), 'data-peer-id': peer, 'aria-label': name, style: { background: K.avatarColor(name) } },
      h('div', { class: 'inner' }, K.initials(name)));
  }
  function fullName(name) {
    return h('div', { class: 'title ' + CSSM.fnRoot }, h('h3', { class: 'fullName ' + CSSM.fullName + ' ' + CSSM.ellipsis, dir: 'auto', role: 'button', text: name }));
  }
  function icon(name) { return h('i', { class: 'icon icon-' + name, 'aria-hidden': 'true' }); }
  function aButton(cls, attrs) {
    var el = h('button', Object.assign({ type: 'button', class: 'Button ' + cls }, attrs || {}));
    for (var i = 2; i < arguments.length; i++) K.append(el, arguments[i]);
    return el;
  }
  function aMenu(items) {
    var inner = h('div', { class: 'bubble menu-container custom-scroll open shown', role: 'menu' });
    items.forEach(function (it) {
      if (!it) { inner.appendChild(h('div', { class: 'MenuSeparator' })); return; }
      var el = h('div', { role: 'menuitem', tabindex: '0', class: 'MenuItem compact' + (it.destructive ? ' destructive' : '') + (it.cls ? ' ' + it.cls : '') },
        it.custom || icon(it.icon), it.custom ? null : it.text);
      el.addEventListener('click', function () { closeMenu(); if (it.onSelect) it.onSelect(); });
      el.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); el.click(); } });
      inner.appendChild(el);
    });
    return h('div', { class: 'Menu fluid' }, inner);
  }

  var A_VIEW = (function () {
    var chatlist, middle, rightCol, rightBody, list, footer, headerInfo, rightTitle;
    var mode = null; // 'profile' | 'add'
    var addOpen = false, closePicker = function () {};

    function build() {
      var burger = aButton('smaller translucent round', { 'aria-label': t('aOpenMenu') }, h('div', { class: 'animated-menu-icon' }));
      toggleMenu(burger, function () {
        return aMenu([
          // AccountMenuItems: the current account first, by its full name.
          { cls: 'account-menu-item', custom: [aAvatar(ME, ME_PEER, 'account-avatar size-mini'), fullName(ME)] },
          null,
          { icon: 'saved-messages', text: t('savedMessages') },
          { icon: 'user', text: t('contacts') },
          { icon: 'settings', text: t('settings') },
        ]);
      }, false);
      chatlist = h('div', { class: 'chat-list custom-scroll' });
      var left = h('div', { id: 'LeftColumn' }, h('div', { id: 'LeftColumn-main' },
        h('div', { class: 'LeftMainHeader' }, h('div', { class: 'DropdownMenu main-menu' }, burger),
          h('div', { class: 'SearchInput' }, h('input', { id: 'telegram-search-input', type: 'text', class: 'form-control', placeholder: t('search'), dir: 'auto' }))),
        chatlist));
      middle = h('div', { id: 'MiddleColumn' });
      rightTitle = h('h3', { class: 'title' });
      var x = aButton('smaller translucent round', { 'aria-label': t('close') }, icon('close'));
      x.addEventListener('click', closeRight);
      rightBody = h('div', { class: 'Transition' });
      rightCol = h('div', { id: 'RightColumn-wrapper', hidden: true }, h('div', { id: 'RightColumn' },
        h('div', { class: 'RightHeader' }, x, rightTitle), rightBody));
      app.appendChild(h('div', { id: 'Main' }, left, middle, rightCol));
    }

    function renderChatList() {
      K.clear(chatlist);
      CHATS.forEach(function (c) {
        var a = h('a', { class: 'ListItem-button', href: '#' + c.id },
          aAvatar(c.name, c.peer, 'size-large'),
          h('div', { class: 'info' }, h('div', { class: 'info-row' }, fullName(c.name)),
            h('div', { class: 'subtitle' }, h('p', { class: 'last-message', dir: 'auto', text: lastText(c) }))));
        chatlist.appendChild(h('div', { class: 'ListItem Chat chat-item-clickable' + (c === current ? ' selected' : '') }, a));
      });
    }

    function renderCenter() {
      K.clear(middle);
      list = footer = headerInfo = null;
      var c = current;
      if (!c) {
        middle.appendChild(h('div', { class: 'messages-layout' }, h('span', { class: 'empty-placeholder', text: t('selectChat') })));
        return;
      }
      headerInfo = h('span', { class: 'group-status' });
      var info = h('div', { class: 'ChatInfo' }, aAvatar(c.name, c.peer, 'size-medium'),
        h('div', { class: 'info' }, fullName(c.name), h('span', { class: 'status', dir: 'auto' }, headerInfo)));
      info.addEventListener('click', function () { if (c.group) openProfile(); });
      var more = aButton('smaller translucent round', { 'aria-label': t('aMore') }, icon('more'));
      if (c.group) {
        toggleMenu(more, function () {
          var items = [{ icon: 'mute', text: t('mute') }, { icon: 'select', text: t('select') }];
          if (!c.left) items.push({ icon: 'logout', text: t('aLeave'), destructive: true, onSelect: openLeave });
          return aMenu(items);
        }, true);
      }
      middle.appendChild(h('div', { class: 'MiddleHeader' }, h('div', { class: 'Transition' }, info),
        h('div', { class: 'header-tools' }, h('div', { class: 'HeaderActions' }, more))));
      list = h('div', { class: 'messages-container' });
      middle.appendChild(h('div', { class: 'MessageList custom-scroll' }, list));
      footer = h('div', { class: 'middle-column-footer' });
      middle.appendChild(footer);
      renderInfo();
      renderBubbles();
      renderBottom();
    }
    function renderInfo() {
      if (!headerInfo) return;
      var c = current;
      K.setText(headerInfo, c.group ? t('members', { n: fmtN(c.count) }) + ', ' + t('online', { n: 3 }) : t('lastSeen'));
    }
    function renderBubbles() {
      if (!list) return;
      var c = current;
      K.clear(list);
      var group = h('div', { class: 'message-date-group' });
      c.messages.forEach(function (m) {
        var id = msgSeq++;
        group.appendChild(h('div', { id: 'message-' + id, class: 'Message message-list-item' + (m.from === null ? ' own' : ''), 'data-message-id': String(id) },
          h('div', { class: 'message-content-wrapper' }, h('div', { class: 'message-content text' },
            m.from !== null && c.group ? h('div', { class: 'message-title' }, h('span', { class: 'message-title-name', dir: 'auto', text: m.from })) : null,
            h('div', { class: 'text-content', dir: 'auto', text: m.text })))));
      });
      c.service.forEach(function (s) {
        group.appendChild(h('div', { id: 'message-' + s.mid, class: 'ActionMessage message-list-item', 'data-message-id': String(s.mid) },
          h('span', { class: 'action-message-content' }, serviceParts(s))));
      });
      list.appendChild(group);
    }
    function renderBottom() {
      if (!footer) return;
      var c = current;
      K.clear(footer);
      if (c.group && c.left) {
        var join = aButton('tiny primary fluid join-subscribe-button', {}, t('aJoin'));
        join.addEventListener('click', function () { rejoin(c); });
        footer.appendChild(h('div', { class: 'messaging-disabled' }, join));
        return;
      }
      var field = h('div', { id: 'editable-message-text', class: 'form-control allow-selection', contenteditable: 'true', role: 'textbox', dir: 'auto', 'aria-label': t('message') });
      field.addEventListener('keydown', function (e) {
        var text = field.textContent.trim();
        if (e.key === 'Enter' && text) {
          e.preventDefault();
          c.messages.push({ from: null, text: text });
          K.clear(field);
          renderBubbles();
        }
      });
      footer.appendChild(h('div', { class: 'Composer' }, h('div', { class: 'message-input-wrapper' }, field)));
    }
    function serviceParts(s) {
      var link = function (name) { return h('span', { class: CSSM.peerLink, text: first(name) }); };
      switch (s.kind) {
        case 'added': case 'addedOther': return fill(t('aAdded'), { from: link(s.actor), user: link(s.user) });
        case 'youAdded': return fill(t('aYouAdded'), { user: joinNodes(s.users.map(link)) });
        case 'left': return [t('aYouLeft')];
        case 'leftOther': return fill(t('aLeftOther'), { from: link(s.actor) });
        case 'joinedLink': return fill(t('aJoinedLink'), { from: link(s.actor) });
        default: return [t('aYouJoined')];
      }
    }

    // ---- right column: profile, then the AddChatMembers screen -----------------------------
    function closeRight() {
      closePicker();
      rightCol.hidden = true;
      K.clear(rightBody);
      mode = null;
    }
    function openProfile() {
      var c = current;
      if (!c || !c.group) return;
      rightCol.hidden = false;
      K.clear(rightBody);
      mode = 'profile';
      K.setText(rightTitle, t('groupInfo'));
      var members = h('div', { class: 'content members-list' });
      c.members.forEach(function (n) {
        var p = peerOf(n);
        members.appendChild(h('div', { class: 'ListItem chat-item-clickable' }, h('div', { class: 'ListItem-button', role: 'button', tabindex: '0' },
          aAvatar(n, p, 'size-medium'), h('div', { class: 'info' }, fullName(n), h('span', { class: 'status', text: t('lastSeen') })))));
      });
      var profile = h('div', { class: 'Profile custom-scroll' },
        h('div', { class: 'profile-info' }, aAvatar(c.name, c.peer, 'size-jumbo'), fullName(c.name),
          h('span', { class: 'status', text: t('members', { n: fmtN(c.count) }) })),
        members);
      if (!c.left) {
        var fab = aButton('default primary round FloatingActionButton revealed', { 'aria-label': t('aAddMembers'), tabindex: '-1' }, icon('add-user-filled'));
        fab.addEventListener('click', openAdd);
        profile.appendChild(fab);
      }
      rightBody.appendChild(profile);
    }

    function openAdd() {
      var c = current;
      if (addOpen || !c || !c.group || c.left) return;
      addOpen = true;
      if (mode !== 'profile') openProfile();
      K.later(300, function () { buildPicker(c); });
    }
    function buildPicker(c) {
      K.log('dialog-open', { dialog: 'add', group: c.name, chatId: c.id });
      var selected = [];
      var candidates = CONTACTS.filter(function (p) { return c.members.indexOf(p.name) < 0; });
      var shownItems = candidates;
      var input = h('input', { id: 'new-members-picker-search', class: 'form-control', type: 'text', dir: 'auto', placeholder: t('aAddMembers') });
      var inputGroup = h('div', { class: 'input-group' }, input);
      var header = h('div', { class: CSSM.header + ' custom-scroll' }, inputGroup);
      var chipEls = [];
      var none = h('p', { class: CSSM.noResults, hidden: true, text: t('aNotFound') });
      var fab = aButton('default primary round FloatingActionButton', { 'aria-label': t('aAddMembers'), tabindex: '-1' }, icon('arrow-right'));
      var isOn = function (p) { return selected.indexOf(p) >= 0; };

      var vl = K.virtualList({
        rowHeight: 56, height: 420, pool: 12,
        attrs: { class: CSSM.pickerList + ' ' + CSSM.padded + ' custom-scroll' },
        makeRow: function () {
          var cb = h('input', { type: 'checkbox' });
          var label = h('label', { class: 'Checkbox onlyInput' }, cb, h('div', { class: 'Checkbox-main' }, h('div', { class: 'user-avatar' }), h('span', { class: 'label', dir: 'auto' })));
          var inner = h('div', { class: 'inner' });
          var avatar = h('div', { class: 'Avatar no-photo' }, inner);
          var name = h('h3', { class: 'fullName ' + CSSM.fullName + ' ' + CSSM.ellipsis, dir: 'auto', role: 'button' });
          var row = h('div', { class: CSSM.item + ' ' + CSSM.multiline + ' ' + CSSM.clickable + ' ' + CSSM.withAvatar + ' PeerPickerItem', role: 'button', tabindex: '0' },
            h('div', { class: CSSM.input + ' ' + CSSM.endInput }, label),
            h('div', { class: CSSM.avatarElement }, avatar),
            h('div', { class: CSSM.title }, h('div', { class: 'title ' + CSSM.fnRoot }, name)),
            h('div', { class: CSSM.subtitle }, t('lastSeen')));
          row.__parts = { cb: cb, avatar: avatar, inner: inner, name: name };
          row.addEventListener('click', function (e) {
            if (!row.__item) return;
            if (label.contains(e.target) && e.target !== cb) return; // the label forwards the click
            toggle(row.__item);
          });
          row.addEventListener('keydown', function (e) { if (e.key === ' ' && row.__item) { e.preventDefault(); toggle(row.__item); } });
          return row;
        },
        bindRow: function (row, p) {
          var parts = row.__parts;
          K.setText(parts.name, p.name);
          K.setText(parts.inner, K.initials(p.name));
          K.attr(parts.avatar, 'data-peer-id', p.peer);
          K.attr(parts.avatar, 'aria-label', p.name);
          parts.avatar.style.background = K.avatarColor(p.name);
          parts.cb.checked = isOn(p);
        },
      });
      function toggle(p) {
        var i = selected.indexOf(p);
        if (i >= 0) selected.splice(i, 1); else selected.push(p);
        vl.refresh();
        renderChips();
        K.toggleClass(fab, 'revealed', selected.length > 0);
      }
      function renderChips() {
        chipEls.forEach(K.remove);
        chipEls = [];
        var minimize = selected.length > 10;
        selected.forEach(function (p, i) {
          var small = minimize && i < selected.length - 5;
          var chip = h('div', { class: CSSM.chipRoot + (small ? ' ' + CSSM.minimized : '') + ' ' + CSSM.closeable + ' ' + CSSM.peerChip, title: small ? p.name : null },
            aAvatar(p.name, p.peer, CSSM.chipAvatar + ' size-small'),
            small ? null : h('div', { class: CSSM.chipName, dir: 'auto' }, fullName(p.name)),
            h('div', { class: CSSM.chipRemove }, icon('close')));
          chip.addEventListener('click', function () { toggle(p); });
          header.insertBefore(chip, inputGroup);
          chipEls.push(chip);
        });
      }
      input.addEventListener('input', function () {
        var q = input.value.trim().toLowerCase();
        shownItems = candidates.filter(function (p) { return !q || p.name.toLowerCase().indexOf(q) >= 0; });
        vl.setItems(shownItems);
        none.hidden = shownItems.length > 0;
      });
      var layer = K.pushLayer(cancel);
      function cancel() { K.log('dialog-cancel', { dialog: 'add', group: c.name, chatId: c.id }); closePicker(); }
      closePicker = function () {
        K.popLayer(layer);
        addOpen = false;
        closePicker = function () {};
        if (current === c && !rightCol.hidden) openProfile();
      };
      // RightColumn.handleAppendingChatMembers: the button adds at once.
      fab.addEventListener('click', function () {
        if (!selected.length) return;
        var names = selected.map(function (p) { return p.name; });
        closePicker();
        commitAdd(c, names);
      });

      mode = 'add';
      K.clear(rightBody);
      K.setText(rightTitle, t('aAddMembers'));
      var back = aButton('smaller translucent round', { 'aria-label': t('close') }, icon('arrow-left'));
      back.addEventListener('click', cancel);
      rightBody.appendChild(h('div', { class: 'Management' }, back,
        h('div', { class: 'AddChatMembers' }, h('div', { class: 'AddChatMembers-inner' },
          h('div', { class: CSSM.container }, header, vl.el, none), fab))));
      vl.setItems(shownItems);
      input.focus();
    }

    function openLeave() {
      var c = current;
      if (!c || !c.group || c.left) return;
      K.log('dialog-open', { dialog: 'leave', group: c.name, chatId: c.id });
      var leaveBtn = aButton('confirm-dialog-button default danger text', {}, t('aLeave'));
      var cancelBtn = aButton('confirm-dialog-button default primary text', {}, t('cancel'));
      var backdrop = h('div', { class: 'modal-backdrop' });
      var modal = h('div', { class: 'Modal DeleteChatModal opacity-transition fast open shown', role: 'dialog', tabindex: '-1' },
        h('div', { class: 'modal-container' }, backdrop,
          h('div', { class: 'modal-dialog' },
            h('div', { class: 'modal-header' }, aAvatar(c.name, c.peer, 'size-tiny'), h('h3', { class: 'modal-title', text: t('aLeave') })),
            h('div', { class: 'modal-content custom-scroll' },
              h('p', {}, fill(t('aLeaveQuestion'), { group: h('b', { text: c.name }) })),
              h('div', { class: 'dialog-buttons-column' }, leaveBtn, cancelBtn)))));
      var layer = K.pushLayer(cancel);
      function close() { K.popLayer(layer); K.remove(modal); }
      function cancel() { K.log('dialog-cancel', { dialog: 'leave', group: c.name, chatId: c.id }); close(); }
      backdrop.addEventListener('click', cancel);
      cancelBtn.addEventListener('click', cancel);
      leaveBtn.addEventListener('click', function () { close(); leave(c); });
      document.body.appendChild(modal);
    }

    function afterChange() {
      renderInfo();
      renderChatList();
      if (!rightCol.hidden && mode === 'profile') openProfile();
    }

    return {
      build: build, renderChatList: renderChatList, renderCenter: renderCenter, renderBubbles: renderBubbles,
      renderBottom: renderBottom, serviceParts: serviceParts, openAdd: openAdd, openLeave: openLeave,
      afterChange: afterChange, closeRight: function () { closeRight(); },
    };
  })();

  // ==== the site's state, shared by both clients ===========================================
  view = CLIENT === 'a' ? A_VIEW : K_VIEW;

  function lastText(c) {
    if (c.service.length) return textOf(view.serviceParts(c.service[c.service.length - 1]));
    return c.messages.length ? c.messages[c.messages.length - 1].text : '';
  }
  function service(c, entry) {
    entry.mid = msgSeq++;
    c.service.push(entry);
    if (c === current) view.renderBubbles();
  }
  function applySeed(c, s) {
    var actor = s.args[0] || 'Anna Schmidt';
    switch (s.kind) {
      case 'added': c.left = false; service(c, { kind: 'added', actor: actor, user: ME }); break;
      case 'addedOther': service(c, { kind: 'addedOther', actor: actor, user: s.args[1] || 'Ben Carter' }); break;
      case 'youAdded': service(c, { kind: 'youAdded', users: [actor] }); break;
      case 'left': c.left = true; service(c, { kind: 'left' }); break;
      case 'leftOther': service(c, { kind: 'leftOther', actor: actor }); break;
      case 'joinedLink': service(c, { kind: 'joinedLink', actor: actor }); break;
    }
    if (c === current) view.renderBottom();
  }
  // The site's own final add: K's popup "Add", A's floating button.
  function commitAdd(c, names) {
    var refused = names.filter(function (n) { return PRIVATE[n]; });
    var added = names.filter(function (n) { return !PRIVATE[n]; });
    K.log('add', { names: added, count: added.length, group: c.name, chatId: c.id, refused: refused });
    added.forEach(function (n) { c.members.push(n); c.count++; });
    if (added.length) service(c, { kind: 'youAdded', users: added });
    view.afterChange();
    if (refused.length) toast(t('privacy'));
  }
  function leave(c) {
    K.log('leave', { group: c.name, chatId: c.id });
    c.left = true;
    c.count--;
    service(c, { kind: 'left' });
    view.renderBottom();
    view.afterChange();
  }
  function rejoin(c) {
    c.left = false;
    c.count++;
    K.log('join', { group: c.name, chatId: c.id });
    service(c, { kind: 'joined' });
    view.renderBottom();
    view.afterChange();
  }

  function route() {
    closeMenu();
    var c = chatForHash();
    if (c !== current) view.closeRight();
    current = c;
    if (c && !seededChat) {
      seededChat = c;
      if (!startMember) c.left = true;
      seeds.forEach(function (s) { applySeed(c, s); });
    }
    K.title(c ? c.name + ' \u2013 Telegram Web' : 'Telegram Web');
    view.renderChatList();
    view.renderCenter();
  }

  K.toggleClass(document.body, CLIENT === 'a' ? 'client-a' : 'client-k', true);
  view.build();
  window.addEventListener('hashchange', function () {
    K.log('navigate', { url: location.pathname + location.search + location.hash });
    route();
  });
  route();
  K.ready('telegram', {
    client: CLIENT,
    openAdd: function () { view.openAdd(); },
    openLeave: function () { view.openLeave(); },
    system: function (spec) {
      var b = spec.split(':');
      if (current) { applySeed(current, { kind: b[0], args: b.slice(1) }); view.renderChatList(); }
    },
    state: function () { return current && { group: current.name, chatId: current.id, left: current.left, members: current.members.slice(), client: CLIENT }; },
  });
  if (current && K.param('open') === 'add') view.openAdd();
  else if (current && K.param('open') === 'leave') view.openLeave();
})();
