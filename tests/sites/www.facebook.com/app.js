/*
 * Facebook groups fixture, rebuilt from docs/evidence/real-dom.md (sections 1.8, 2.3, 3).
 *
 * Sources per part:
 * - Invite flow, French UI field-verified 2022 (SoCloseSociety/FacebookInviteFriendToGroup main.py
 *   @ab8cdaa, 2022-12-15): entry div[role=button] whose aria-label contains "Inviter"; menu item
 *   div[role=menuitem] "Inviter des amis Facebook"; dialog
 *   div[role=dialog][aria-label="Invitez des amis à rejoindre ce groupe"]; rows
 *   div[style="padding-left: 8px; padding-right: 8px;"] > div[role=checkbox][aria-checked];
 *   counter span[dir=auto] "3 AMIS SÉLECTIONNÉS" (number first); confirm
 *   div[role=button][aria-label="Envoyer les invitations"]. These French strings are the fr
 *   column of S.
 * - English "Invite friends to join this group", "Invite Facebook friends", "FRIENDS SELECTED",
 *   "Send invitations": the same repository's 2026-02-19 rewrite (@48f5a44), not field-verified.
 * - Row checkbox icon i[data-visualcompletion="css-img"] inside the row: kimtrongdev/scripts
 *   ex/fb_scripts/fb_add_member.js; [role=dialog] [aria-checked]: davidedexuno/facebook-invite-snippets.
 * - The friend list loads in batches while it is scrolled to its end, a
 *   [role=progressbar][data-visualcompletion=loading-state] at its bottom, four levels below the
 *   scroll box; loaded rows stay in the DOM; rows that cannot be picked carry aria-disabled:
 *   davidedexuno/facebook-invite-snippets facebook-invite-snippets.js @072b8f19 (scrolls until the
 *   spinner is gone, then clicks every [role=dialog] [aria-checked=false]:not([aria-disabled=true])).
 * - Leave: div[role=dialog]; confirm div[role=button] "Leave group"; the switch is an
 *   input[type=checkbox][role=switch] whose label text sits outside the input (REAL-DOM 2.3:
 *   "label text in aria-label or parent text"). "Leave group", "Joined", "Join group", "Prevent
 *   people from inviting you again", German "Gruppe verlassen", "Beigetreten", "Gruppe beitreten",
 *   "Gruppe nicht mehr abonnieren", "Einladen": SITES.md.
 * UNVERIFIED (invented): every German invite text, the singular "1 FRIEND SELECTED", the chips
 * column of selected friends, that already invited friends are the aria-disabled rows, the search
 * field, the batch size, the leave dialog's title and its aria-labelledby, aria-checked on the
 * switch input, the feed notices ("added you", "invited you", "you left") and their texts, posts
 * naming their author in a heading (h3) while notices have none, the
 * page layout, avatars as <img> (real rows may draw them as <svg><image>), French texts other
 * than the five evidenced ones.
 * The menus holding "Leave group" (the "Joined" button and the "More" button, both with
 * aria-haspopup=menu, which the pack's leave steps open for "Leave again"): "Joined" and "More" are
 * SITES.md, the menu item is the script's; aria-haspopup on them is unverified.
 */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var S = {
    en: {
      search: 'Search Facebook',
      yourGroups: 'Your groups',
      groupsFeed: 'Your feed',
      joinsTitle: 'All groups you\u2019ve joined',
      privateGroup: 'Private group',
      publicGroup: 'Public group',
      members: '{n} members',
      joined: 'Joined',                                   // SITES.md
      joinGroup: 'Join group',                            // SITES.md
      invite: 'Invite',                                   // SITES.md; fr evidenced
      inviteFriends: 'Invite Facebook friends',           // 2026 rewrite; fr evidenced
      shareGroup: 'Share group',
      inviteTitle: 'Invite friends to join this group',   // 2026 rewrite; fr evidenced
      searchFriends: 'Search for friends by name',
      selected: '{n} FRIENDS SELECTED',                   // 2026 rewrite; fr evidenced
      selected1: '1 FRIEND SELECTED',
      sendInvitations: 'Send invitations',                // 2026 rewrite; fr evidenced
      cancel: 'Cancel',
      close: 'Close',
      invited: 'Invited',
      member: 'Member',
      more: 'More',                                       // SITES.md (aria-label)
      leaveGroup: 'Leave group',                          // SITES.md
      unfollow: 'Unfollow group',
      pinGroup: 'Pin group',
      report: 'Report group',
      leaveTitle: 'Leave group?',
      leaveBody: 'Are you sure you want to leave this group? You won\u2019t see posts from this group in your feed anymore.',
      preventReinvite: 'Prevent people from inviting you again', // SITES.md
      preventHint: 'Group members won\u2019t be able to invite you to join this group again.',
      invitationsSent: 'Invitations sent',
      youLeft: 'You left {group}.',
      addedYou: '{actor} added you to {group}.',
      invitedYou: '{actor} invited you to join {group}.',
      discussion: 'Discussion',
      membersTab: 'Members',
      about: 'About',
      membersHeading: 'Members \u00b7 {n}',
      writeSomething: 'Write something\u2026',
      noFriends: 'No friends found',
      loading: 'Loading...',
    },
    de: {
      search: 'Facebook durchsuchen',
      yourGroups: 'Deine Gruppen',
      groupsFeed: 'Dein Feed',
      joinsTitle: 'Alle Gruppen, denen du beigetreten bist',
      privateGroup: 'Private Gruppe',
      publicGroup: '\u00d6ffentliche Gruppe',
      members: '{n} Mitglieder',
      joined: 'Beigetreten',                              // SITES.md
      joinGroup: 'Gruppe beitreten',                      // SITES.md
      invite: 'Einladen',                                 // SITES.md (older UI)
      inviteFriends: 'Facebook-Freunde einladen',
      shareGroup: 'Gruppe teilen',
      inviteTitle: 'Freunde einladen, dieser Gruppe beizutreten',
      searchFriends: 'Freunde nach Namen suchen',
      selected: '{n} FREUNDE AUSGEW\u00c4HLT',
      selected1: '1 FREUND AUSGEW\u00c4HLT',
      sendInvitations: 'Einladungen senden',
      cancel: 'Abbrechen',
      close: 'Schlie\u00dfen',
      invited: 'Eingeladen',
      member: 'Mitglied',
      more: 'Mehr',
      leaveGroup: 'Gruppe verlassen',                     // SITES.md
      unfollow: 'Gruppe nicht mehr abonnieren',           // SITES.md
      pinGroup: 'Gruppe anheften',
      report: 'Gruppe melden',
      leaveTitle: 'Gruppe verlassen?',
      leaveBody: 'M\u00f6chtest du diese Gruppe wirklich verlassen? Du siehst dann keine Beitr\u00e4ge dieser Gruppe mehr in deinem Feed.',
      preventReinvite: 'Verhindern, dass Personen dich erneut einladen',
      preventHint: 'Mitglieder k\u00f6nnen dich dann nicht mehr in diese Gruppe einladen.',
      invitationsSent: 'Einladungen gesendet',
      youLeft: 'Du hast {group} verlassen.',
      addedYou: '{actor} hat dich zur Gruppe {group} hinzugef\u00fcgt.',
      invitedYou: '{actor} hat dich eingeladen, der Gruppe {group} beizutreten.',
      discussion: 'Diskussion',
      membersTab: 'Mitglieder',
      about: 'Info',
      membersHeading: 'Mitglieder \u00b7 {n}',
      writeSomething: 'Schreib etwas \u2026',
      noFriends: 'Keine Freunde gefunden',
      loading: 'Wird geladen …',
    },
    fr: {
      search: 'Rechercher sur Facebook',
      yourGroups: 'Vos groupes',
      groupsFeed: 'Votre fil',
      joinsTitle: 'Tous les groupes dont vous \u00eates membre',
      privateGroup: 'Groupe priv\u00e9',
      publicGroup: 'Groupe public',
      members: '{n} membres',
      joined: 'Membre',
      joinGroup: 'Rejoindre le groupe',
      invite: 'Inviter',                                  // evidenced (2022, aria-label contains)
      inviteFriends: 'Inviter des amis Facebook',         // evidenced (2022)
      shareGroup: 'Partager le groupe',
      inviteTitle: 'Invitez des amis \u00e0 rejoindre ce groupe', // evidenced (2022)
      searchFriends: 'Rechercher des amis par leur nom',
      selected: '{n} AMIS S\u00c9LECTIONN\u00c9S',        // evidenced (2022)
      selected1: '1 AMI S\u00c9LECTIONN\u00c9',
      sendInvitations: 'Envoyer les invitations',         // evidenced (2022)
      cancel: 'Annuler',
      close: 'Fermer',
      invited: 'Invit\u00e9(e)',
      member: 'Membre',
      more: 'Plus',
      leaveGroup: 'Quitter le groupe',
      unfollow: 'Se d\u00e9sabonner du groupe',
      pinGroup: '\u00c9pingler le groupe',
      report: 'Signaler le groupe',
      leaveTitle: 'Quitter le groupe\u00a0?',
      leaveBody: 'Voulez-vous vraiment quitter ce groupe\u00a0? Vous ne verrez plus ses publications dans votre fil.',
      preventReinvite: 'Emp\u00eacher les autres de vous inviter \u00e0 nouveau',
      preventHint: 'Les membres du groupe ne pourront plus vous inviter \u00e0 rejoindre ce groupe.',
      invitationsSent: 'Invitations envoy\u00e9es',
      youLeft: 'Vous avez quitt\u00e9 {group}.',
      addedYou: '{actor} vous a ajout\u00e9 \u00e0 {group}.',
      invitedYou: '{actor} vous a invit\u00e9 \u00e0 rejoindre {group}.',
      discussion: 'Discussion',
      membersTab: 'Membres',
      about: '\u00c0 propos',
      membersHeading: 'Membres \u00b7 {n}',
      writeSomething: 'Exprimez-vous\u2026',
      noFriends: 'Aucun ami trouv\u00e9',
      loading: 'Chargement\u2026',
    },
  };
  // ?variant=old: older English labels seen in the wild (SITES.md).
  if (K.param('variant') === 'old') {
    S.en.sendInvitations = 'Send Invites';
    S.en.leaveGroup = 'Leave Group';
  }
  var t = function (k, v) { return K.t(S, k, v); };
  var fmtN = function (n) { return n.toLocaleString(K.lang === 'de' ? 'de-DE' : K.lang === 'fr' ? 'fr-FR' : 'en-US'); };

  var startMember = K.flag('member', true);
  var GROUPS = {
    '4711': { id: '4711', name: 'Berlin Networking Circle', private: true, count: 1248 },
    '4712': { id: '4712', name: 'Hiking Friends Brandenburg', private: false, count: 532 },
    'kiezhilfe-kreuzberg': { id: 'kiezhilfe-kreuzberg', name: 'Kiezhilfe Kreuzberg', private: true, count: 87 },
  };
  Object.keys(GROUPS).forEach(function (k) {
    var g = GROUPS[k];
    g.member = startMember;
    g.notices = [];
    g.invited = {};
    g.memberNames = K.NAMES.slice(10, 16);
  });
  function groupFor(key) {
    // ?gname= names a group the fixture does not know (any text, e.g. the hostile-names suite).
    if (!GROUPS[key]) GROUPS[key] = { id: key, name: K.param('gname', 'Group ' + key), private: true, count: 12, member: startMember, notices: [], invited: {}, memberNames: K.NAMES.slice(12, 15) };
    return GROUPS[key];
  }
  var FRIENDS = K.people(Number(K.param('people', 40)));
  // Two friends were invited earlier (shown as "Invited", not selectable).
  GROUPS['4711'].invited[FRIENDS[3].name] = true;
  GROUPS['4711'].invited[FRIENDS[17].name] = true;

  var seeds = K.sysSeeds();
  var seeded = false;

  var app = document.getElementById('app');
  var current = null; // group object on a group page
  var idSeq = 0;

  /** A person's picture: <img> (the real page's image markup was not part of any source). */
  function avatar(name, cls) {
    return h('img', { src: K.avatarSrc(name), alt: '', class: 'fb-av ' + (cls || ''), height: '36', width: '36' });
  }
  /** Icons are empty <i data-visualcompletion="css-img"> with a CSS background on Facebook. */
  function glyph(cls) {
    return h('i', { 'data-visualcompletion': 'css-img', 'aria-hidden': 'true', class: 'fb-i ' + (cls || '') });
  }

  // ---- shell ------------------------------------------------------------
  var main = h('div', { role: 'main', class: 'fb-main' });
  var nav = h('div', { role: 'navigation', 'aria-label': t('yourGroups'), class: 'fb-nav' });
  app.appendChild(h('div', { role: 'banner', class: 'fb-top' },
    h('span', { class: 'fb-logo', 'aria-label': 'Facebook' }, 'f'),
    h('input', { type: 'search', class: 'fb-search', placeholder: t('search'), 'aria-label': t('search') })));
  app.appendChild(h('div', { class: 'fb-layout' }, nav, main));

  function renderNav() {
    K.clear(nav);
    nav.appendChild(h('h2', {}, h('span', { dir: 'auto', text: t('yourGroups') })));
    nav.appendChild(K.link('/groups/feed/', { class: 'fb-navlink' }, t('groupsFeed')));
    nav.appendChild(K.link('/groups/joins/', { class: 'fb-navlink' }, t('joinsTitle')));
    ['4711', '4712', 'kiezhilfe-kreuzberg'].forEach(function (id) {
      var g = GROUPS[id];
      var a = K.link('/groups/' + id + '/', { class: 'fb-navlink' }, avatar(g.name, 'fb-gicon'), h('span', { text: g.name }));
      if (current && current.id === id) a.setAttribute('aria-current', 'page');
      nav.appendChild(a);
    });
  }

  function route() {
    K.closeMenu();
    var m = location.pathname.match(/^\/groups\/([^/]+)\/?/);
    var reserved = ['feed', 'joins', 'discover', 'categories', 'create', 'notifications', 'search', 'chats'];
    K.clear(main);
    if (m && reserved.indexOf(m[1]) < 0) {
      current = groupFor(decodeURIComponent(m[1]));
      feed = null;
      if (!seeded) { seeded = true; seeds.forEach(function (s) { applySeed(current, s); }); }
      renderGroup();
    } else {
      current = null;
      renderJoins(m && m[1] === 'joins');
    }
    renderNav();
  }

  function renderJoins(isJoins) {
    K.title((isJoins ? t('joinsTitle') : t('groupsFeed')) + ' | Facebook');
    var box = h('div', { class: 'fb-card' }, h('h1', { text: isJoins ? t('joinsTitle') : t('groupsFeed') }));
    Object.keys(GROUPS).forEach(function (id) {
      var g = GROUPS[id];
      if (isJoins && !g.member) return;
      box.appendChild(h('div', { class: 'fb-joinrow' }, avatar(g.name),
        K.link('/groups/' + id + '/', {}, g.name),
        h('span', { class: 'fb-muted', text: g.member ? t('joined') : '' })));
    });
    main.appendChild(box);
  }

  // ---- group page -----------------------------------------------------------
  var header, actions, feed, membersBox;
  function renderGroup() {
    var g = current;
    K.title(g.name + ' | Facebook');
    header = h('div', { class: 'fb-card fb-header' });
    header.appendChild(h('div', { class: 'fb-cover', 'aria-hidden': 'true' }));
    header.appendChild(h('h1', { class: 'fb-gname' }, K.link('/groups/' + g.id + '/', {}, g.name)));
    header.appendChild(h('div', { class: 'fb-muted' },
      (g.private ? t('privateGroup') : t('publicGroup')) + ' \u00b7 ' + t('members', { n: fmtN(g.count) })));
    actions = h('div', { class: 'fb-actions' });
    header.appendChild(actions);
    header.appendChild(h('div', { role: 'tablist', class: 'fb-tabs' },
      h('span', { role: 'tab', 'aria-selected': 'true', text: t('discussion') }),
      h('span', { role: 'tab', 'aria-selected': 'false', text: t('membersTab') }),
      h('span', { role: 'tab', 'aria-selected': 'false', text: t('about') })));
    main.appendChild(header);
    feed = h('div', { class: 'fb-feed', role: 'feed' });
    membersBox = h('div', { class: 'fb-card fb-members' });
    main.appendChild(h('div', { class: 'fb-cols' }, feed, membersBox));
    renderActions();
    renderFeed();
    renderMembers();
  }

  function menuItem(text, onSelect) {
    return { text: text, icon: glyph('fb-micon'), onSelect: onSelect };
  }
  function renderActions() {
    var g = current;
    K.clear(actions);
    if (g.member) {
      var joined = K.button({ class: 'fb-btn', 'aria-label': t('joined') }, glyph('fb-icheck'), h('span', { text: t('joined') }), glyph('fb-icaret'));
      K.menuButton(joined, function () {
        return [
          menuItem(t('unfollow'), function () { K.log('unfollow', { group: g.name, groupId: g.id }); }),
          menuItem(t('leaveGroup'), openLeave),
        ];
      });
      actions.appendChild(joined);
      // The entry's aria-label holds "Invite" (2022 script: aria-label contains "Inviter").
      var inv = K.button({ class: 'fb-btn fb-primary', 'aria-label': t('invite') }, glyph('fb-iplus'), h('span', { text: t('invite') }));
      K.menuButton(inv, function () {
        return [
          menuItem(t('inviteFriends'), openInvite),
          menuItem(t('shareGroup'), function () { K.log('share', { group: g.name }); }),
        ];
      });
      actions.appendChild(inv);
    } else {
      var join = K.button({ class: 'fb-btn fb-primary' }, h('span', { text: t('joinGroup') }));
      join.addEventListener('click', function () {
        g.member = true;
        K.log('join', { group: g.name, groupId: g.id });
        renderActions();
        renderMembers();
      });
      actions.appendChild(join);
    }
    var more = K.button({ class: 'fb-btn', 'aria-label': t('more') }, glyph('fb-idots'));
    K.menuButton(more, function () {
      var items = [
        menuItem(t('shareGroup'), function () { K.log('share', { group: g.name }); }),
        menuItem(t('pinGroup'), function () {}),
      ];
      if (g.member) items.push(menuItem(t('leaveGroup'), openLeave));
      items.push(null, menuItem(t('report'), function () {}));
      return items;
    }, { alignRight: true });
    actions.appendChild(more);
  }

  function renderFeed() {
    var g = current;
    K.clear(feed);
    g.notices.forEach(function (n) {
      feed.appendChild(h('div', { class: 'fb-card fb-notice', role: 'article', 'data-notice': n.kind }, avatar(n.actor || 'Facebook'), h('span', { text: n.text })));
    });
    if (g.member) feed.appendChild(h('div', { class: 'fb-card fb-composer' }, avatar('Robin Meyer'), h('input', { type: 'text', placeholder: t('writeSomething'), 'aria-label': t('writeSomething') })));
    [['Ben Carter', 'Does anyone know a good co-working space near Ostkreuz?'],
     ['Mia Wagner', 'Reminder: meetup on Thursday at 7pm. Bring a friend who wants to come!']].forEach(function (p) {
      feed.appendChild(h('div', { class: 'fb-card fb-post', role: 'article' },
        h('div', { class: 'fb-post-head' }, avatar(p[0]), h('h3', { class: 'fb-post-author' }, h('strong', {}, h('span', { dir: 'auto', text: p[0] })))),
        h('div', { dir: 'auto', text: p[1] })));
    });
  }

  function renderMembers() {
    var g = current;
    K.clear(membersBox);
    membersBox.appendChild(h('h2', { text: t('membersHeading', { n: fmtN(g.count) }) }));
    var list = h('div', { role: 'list', class: 'fb-memberlist' });
    var rows = g.memberNames.map(function (n) { return [n, t('member')]; });
    Object.keys(g.invited).forEach(function (n) { rows.push([n, t('invited')]); });
    rows.forEach(function (r) {
      list.appendChild(h('div', { role: 'listitem', class: 'fb-mrow' }, avatar(r[0]), h('span', { dir: 'auto', class: 'fb-mname', text: r[0] }), h('span', { class: 'fb-muted', text: r[1] })));
    });
    membersBox.appendChild(list);
  }

  function notice(g, kind, text, actor) {
    g.notices.unshift({ kind: kind, text: text, actor: actor });
    if (current === g && feed) renderFeed();
  }
  function applySeed(g, s) {
    var actor = s.args[0] || 'Anna Schmidt';
    if (s.kind === 'added') { g.member = true; notice(g, 'added', t('addedYou', { actor: actor, group: g.name }), actor); }
    else if (s.kind === 'invited') notice(g, 'invited', t('invitedYou', { actor: actor, group: g.name }), actor);
    else if (s.kind === 'left') { g.member = false; notice(g, 'left', t('youLeft', { group: g.name })); }
  }

  // ---- invite dialog (virtualised friend list, renders late) ------------------
  var inviteOpen = null;
  function openInvite() {
    var g = current;
    if (inviteOpen) return;
    inviteOpen = { pending: true };
    K.later(450, function () { buildInvite(g); });
  }

  function buildInvite(g) {
    var selected = {}; // name -> true
    var order = [];
    var m = K.modal({
      attrs: { class: 'fb-dialog fb-invite', 'aria-label': t('inviteTitle') },
      onEscape: cancel,
    });
    inviteOpen = m;
    K.log('dialog-open', { dialog: 'invite', group: g.name, groupId: g.id });

    // "3 AMIS SÉLECTIONNÉS" is a span[dir=auto], number first (2022 script).
    var counter = h('span', { dir: 'auto', class: 'fb-counter' });
    var chips = h('div', { class: 'fb-selected' });
    var sendBtn = K.button({ class: 'fb-btn fb-primary', 'aria-label': t('sendInvitations'), 'aria-disabled': 'true' }, h('span', { dir: 'auto', text: t('sendInvitations') }));
    var search = h('input', { type: 'search', class: 'fb-fsearch', placeholder: t('searchFriends'), 'aria-label': t('searchFriends') });
    var empty = h('div', { class: 'fb-muted fb-empty', hidden: true, text: t('noFriends') });

    // The list loads friends in batches as it is scrolled to its end, with a loading spinner
    // (role=progressbar, data-visualcompletion=loading-state) at the bottom; loaded rows stay.
    var list = h('div', { class: 'fb-flist' });
    var rowsBox = h('div', {});
    var spinner = h('div', { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-label': t('loading'), 'data-visualcompletion': 'loading-state', class: 'fb-spinner' });
    var loading = h('div', { class: 'fb-loading' }, h('div', {}, h('div', {}, spinner)));
    K.append(list, [rowsBox, loading]);
    var BATCH = 16;
    var shownFriends = 0;
    var slots = [];
    function makeRow(item) {
      var inv = !!g.invited[item.name];
      var box = h('div', { role: 'checkbox', 'aria-checked': 'false', 'aria-disabled': inv ? 'true' : null, tabindex: '0', class: 'fb-frow' },
        avatar(item.name), h('div', { class: 'fb-fcol' }, h('span', { dir: 'auto', class: 'fb-fname', text: item.name }),
          h('span', { class: 'fb-muted fb-fsub', text: inv ? t('invited') : '' })), glyph('fb-check'));
      // The wrapper's style is literal in the 2022 script's selector.
      var slot = h('div', { style: { paddingLeft: '8px', paddingRight: '8px' } }, box);
      box.addEventListener('click', function () { toggle(item); });
      box.addEventListener('keydown', function (e) { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); toggle(item); } });
      slots.push({ item: item, slot: slot, box: box });
      return slot;
    }
    function loadMore(all) {
      var end = all ? FRIENDS.length : Math.min(FRIENDS.length, shownFriends + BATCH);
      for (var i = shownFriends; i < end; i++) rowsBox.appendChild(makeRow(FRIENDS[i]));
      shownFriends = end;
      loading.hidden = shownFriends >= FRIENDS.length;
    }
    list.addEventListener('scroll', function () {
      if (shownFriends < FRIENDS.length && list.scrollTop + list.clientHeight >= list.scrollHeight - 4 * 52) loadMore(false);
    });

    function toggle(item) {
      if (!item || g.invited[item.name]) return;
      if (selected[item.name]) { delete selected[item.name]; order.splice(order.indexOf(item.name), 1); }
      else { selected[item.name] = true; order.push(item.name); }
      update();
    }
    function update() {
      slots.forEach(function (r) { r.box.setAttribute('aria-checked', selected[r.item.name] ? 'true' : 'false'); });
      var n = order.length;
      K.setText(counter, n === 1 ? t('selected1') : t('selected', { n: n }));
      sendBtn.setAttribute('aria-disabled', n ? 'false' : 'true');
      K.clear(chips);
      order.forEach(function (name) {
        chips.appendChild(h('div', { class: 'fb-chip' }, avatar(name, 'fb-chipav'), h('span', { class: 'fb-chipname', text: name })));
      });
    }
    // Searching looks through every friend (Facebook asks its server; here all rows load).
    function filter() {
      var q = search.value.trim().toLowerCase();
      if (q) loadMore(true);
      var any = false;
      slots.forEach(function (r) {
        var hit = !q || r.item.name.toLowerCase().indexOf(q) >= 0;
        r.slot.hidden = !hit;
        any = any || hit;
      });
      list.scrollTop = 0;
      empty.hidden = any;
    }
    search.addEventListener('input', filter);

    function cancel() {
      K.log('dialog-cancel', { dialog: 'invite', group: g.name, groupId: g.id });
      close();
    }
    function close() { m.close(); inviteOpen = null; }

    // The site's own handler for the final confirm, on the element itself.
    sendBtn.addEventListener('click', function () {
      if (sendBtn.getAttribute('aria-disabled') === 'true') return;
      var names = order.slice();
      K.log('invite', { names: names, count: names.length, group: g.name, groupId: g.id });
      names.forEach(function (n) { g.invited[n] = true; });
      close();
      if (current === g) renderMembers();
      K.toast(t('invitationsSent'));
    });

    var closeX = K.button({ class: 'fb-x', 'aria-label': t('close') }, glyph('fb-ix'));
    closeX.addEventListener('click', cancel);
    var cancelBtn = K.button({ class: 'fb-btn', 'aria-label': t('cancel') }, h('span', { dir: 'auto', text: t('cancel') }));
    cancelBtn.addEventListener('click', cancel);

    K.append(m.box, [
      h('div', { class: 'fb-dhead' }, h('h2', {}, h('span', { dir: 'auto', text: t('inviteTitle') })), closeX),
      h('div', { class: 'fb-dbody' },
        h('div', { class: 'fb-dleft' }, search, list, empty),
        h('div', { class: 'fb-dright' }, counter, chips)),
      h('div', { class: 'fb-dfoot' }, cancelBtn, sendBtn),
    ]);
    loadMore(false);
    update();
    search.focus();
  }

  // ---- leave dialog ---------------------------------------------------------------
  function openLeave() {
    var g = current;
    if (!g || !g.member) return;
    idSeq += 1;
    var titleId = 'fb-leave-title-' + idSeq;
    var m = K.modal({ attrs: { class: 'fb-dialog fb-leave', 'aria-labelledby': titleId }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'leave', group: g.name, groupId: g.id });
    // An input switch; its words are in the surrounding label, not on the input.
    var sw = h('input', { type: 'checkbox', role: 'switch', 'aria-checked': 'false', class: 'fb-switch' });
    sw.addEventListener('change', function () { sw.setAttribute('aria-checked', sw.checked ? 'true' : 'false'); });
    var cancelBtn = K.button({ class: 'fb-btn', 'aria-label': t('cancel') }, h('span', { dir: 'auto', text: t('cancel') }));
    cancelBtn.addEventListener('click', cancel);
    var leaveBtn = K.button({ class: 'fb-btn fb-primary', 'aria-label': t('leaveGroup') }, h('span', { dir: 'auto', text: t('leaveGroup') }));
    leaveBtn.addEventListener('click', function () {
      K.log('leave', { group: g.name, groupId: g.id, preventReinvite: sw.checked });
      m.close();
      g.member = false;
      g.notices.unshift({ kind: 'left', text: t('youLeft', { group: g.name }) });
      if (current === g) { renderActions(); renderFeed(); }
    });
    function cancel() { K.log('dialog-cancel', { dialog: 'leave', group: g.name, groupId: g.id }); m.close(); }
    var closeX = K.button({ class: 'fb-x', 'aria-label': t('close') }, glyph('fb-ix'));
    closeX.addEventListener('click', cancel);
    K.append(m.box, [
      h('div', { class: 'fb-dhead' }, h('h2', { id: titleId }, h('span', { dir: 'auto', text: t('leaveTitle') })), closeX),
      h('div', { class: 'fb-dpad' },
        h('div', { dir: 'auto', class: 'fb-dtext', text: t('leaveBody') }),
        h('label', { class: 'fb-swrow' },
          h('span', { class: 'fb-swtext' }, h('span', { dir: 'auto', class: 'fb-strong', text: t('preventReinvite') }), h('span', { dir: 'auto', class: 'fb-muted', text: t('preventHint') })),
          sw)),
      h('div', { class: 'fb-dfoot' }, cancelBtn, leaveBtn),
    ]);
  }

  K.onRoute(route);
  route();
  K.ready('facebook', {
    openInvite: openInvite,
    openLeave: openLeave,
    /** e.g. system('added:Anna Schmidt') adds a notice to the current group. */
    system: function (spec) { var b = spec.split(':'); if (current) applySeed(current, { kind: b[0], args: b.slice(1) }); if (current) renderActions(); },
    /** systemBy('added', name): the same, for an actor name that may hold any character. */
    systemBy: function (kind, actor) { if (current) { applySeed(current, { kind: kind, args: [actor] }); renderActions(); } },
    state: function () { return current && { group: current.name, groupId: current.id, member: current.member, invited: Object.keys(current.invited) }; },
  });
  if (current && K.param('open') === 'invite') openInvite();
  else if (current && K.param('open') === 'leave') openLeave();
})();
