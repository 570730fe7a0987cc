/* Facebook groups fixture. Strings: SITES.md unless marked "invented". */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  // One table per site: en from SITES.md where listed, de "invented" unless
  // SITES.md's German section names it.
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
      invite: 'Invite',                                   // SITES.md
      inviteFriends: 'Invite Facebook friends',           // SITES.md
      shareGroup: 'Share group',
      inviteTitle: 'Invite friends to join this group',   // SITES.md
      searchFriends: 'Search for friends by name',
      selected: '{n} FRIENDS SELECTED',                   // SITES.md
      selected1: '1 FRIEND SELECTED',
      sendInvitations: 'Send invitations',                // SITES.md
      cancel: 'Cancel',
      close: 'Close',
      invited: 'Invited',
      member: 'Member',
      more: 'More',                                       // SITES.md (aria-label)
      leaveGroup: 'Leave group',                          // SITES.md
      unfollow: 'Unfollow group',
      pinGroup: 'Pin group',
      report: 'Report group',
      leaveTitle: 'Leave {group}?',
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
      noGroup: 'This content isn\u2019t available right now',
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
      inviteFriends: 'Facebook-Freunde einladen',         // invented
      shareGroup: 'Gruppe teilen',
      inviteTitle: 'Freunde einladen, dieser Gruppe beizutreten', // invented
      searchFriends: 'Freunde nach Namen suchen',
      selected: '{n} FREUNDE AUSGEW\u00c4HLT',            // invented
      selected1: '1 FREUND AUSGEW\u00c4HLT',              // invented
      sendInvitations: 'Einladungen senden',              // invented
      cancel: 'Abbrechen',
      close: 'Schlie\u00dfen',
      invited: 'Eingeladen',
      member: 'Mitglied',
      more: 'Mehr',                                       // invented
      leaveGroup: 'Gruppe verlassen',                     // SITES.md
      unfollow: 'Gruppe nicht mehr abonnieren',           // SITES.md
      pinGroup: 'Gruppe anheften',
      report: 'Gruppe melden',
      leaveTitle: '{group} verlassen?',
      leaveBody: 'M\u00f6chtest du diese Gruppe wirklich verlassen? Du siehst dann keine Beitr\u00e4ge dieser Gruppe mehr in deinem Feed.',
      preventReinvite: 'Verhindern, dass Personen dich erneut einladen', // invented
      preventHint: 'Mitglieder k\u00f6nnen dich dann nicht mehr in diese Gruppe einladen.',
      invitationsSent: 'Einladungen gesendet',
      youLeft: 'Du hast {group} verlassen.',
      addedYou: '{actor} hat dich zur Gruppe {group} hinzugef\u00fcgt.', // invented
      invitedYou: '{actor} hat dich eingeladen, der Gruppe {group} beizutreten.', // invented
      discussion: 'Diskussion',
      membersTab: 'Mitglieder',
      about: 'Info',
      membersHeading: 'Mitglieder \u00b7 {n}',
      writeSomething: 'Schreib etwas \u2026',
      noFriends: 'Keine Freunde gefunden',
      noGroup: 'Dieser Inhalt ist derzeit nicht verf\u00fcgbar',
    },
  };
  // ?variant=old: older English labels seen in the wild (SITES.md).
  if (K.param('variant') === 'old') {
    S.en.sendInvitations = 'Send Invites';
    S.en.leaveGroup = 'Leave Group';
  }
  var t = function (k, v) { return K.t(S, k, v); };
  var fmtN = function (n) { return n.toLocaleString(K.lang === 'de' ? 'de-DE' : 'en-US'); };

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

  // ---- shell ------------------------------------------------------------
  var main = h('div', { role: 'main', class: 'fb-main' });
  var nav = h('div', { role: 'navigation', 'aria-label': t('yourGroups'), class: 'fb-nav' });
  app.appendChild(h('div', { role: 'banner', class: 'fb-top' },
    h('span', { class: 'fb-logo', 'aria-label': 'Facebook' }, 'f'),
    h('input', { type: 'search', class: 'fb-search', placeholder: t('search'), 'aria-label': t('search') })));
  app.appendChild(h('div', { class: 'fb-layout' }, nav, main));

  function renderNav() {
    K.clear(nav);
    nav.appendChild(h('h2', { text: t('yourGroups') }));
    nav.appendChild(K.link('/groups/feed/', { class: 'fb-navlink' }, t('groupsFeed')));
    nav.appendChild(K.link('/groups/joins/', { class: 'fb-navlink' }, t('joinsTitle')));
    ['4711', '4712', 'kiezhilfe-kreuzberg'].forEach(function (id) {
      var g = GROUPS[id];
      var a = K.link('/groups/' + id + '/', { class: 'fb-navlink' }, K.avatar(g.name, 'fx-avatar fb-gicon'), h('span', { text: g.name }));
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
      box.appendChild(h('div', { class: 'fb-joinrow' }, K.avatar(g.name),
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

  function renderActions() {
    var g = current;
    K.clear(actions);
    if (g.member) {
      var joined = K.button({ class: 'fb-btn', 'aria-label': t('joined') }, '\u2713 ' + t('joined') + ' \u25be');
      K.menuButton(joined, function () {
        return [
          { text: t('unfollow'), onSelect: function () { K.log('unfollow', { group: g.name, groupId: g.id }); } },
          { text: t('leaveGroup'), onSelect: openLeave },
        ];
      });
      actions.appendChild(joined);
      var inv = K.button({ class: 'fb-btn fb-primary', 'aria-label': t('invite') }, '+ ' + t('invite'));
      K.menuButton(inv, function () {
        return [
          { text: t('inviteFriends'), onSelect: openInvite },
          { text: t('shareGroup'), onSelect: function () { K.log('share', { group: g.name }); } },
        ];
      });
      actions.appendChild(inv);
    } else {
      var join = K.button({ class: 'fb-btn fb-primary' }, t('joinGroup'));
      join.addEventListener('click', function () {
        g.member = true;
        K.log('join', { group: g.name, groupId: g.id });
        renderActions();
        renderMembers();
      });
      actions.appendChild(join);
    }
    var more = K.button({ class: 'fb-btn', 'aria-label': t('more') }, '\u00b7\u00b7\u00b7');
    K.menuButton(more, function () {
      var items = [
        { text: t('shareGroup'), onSelect: function () { K.log('share', { group: g.name }); } },
        { text: t('pinGroup'), onSelect: function () {} },
      ];
      if (g.member) items.push({ text: t('leaveGroup'), onSelect: openLeave });
      items.push(null, { text: t('report'), onSelect: function () {} });
      return items;
    }, { alignRight: true });
    actions.appendChild(more);
  }

  function renderFeed() {
    var g = current;
    K.clear(feed);
    g.notices.forEach(function (n) {
      feed.appendChild(h('div', { class: 'fb-card fb-notice', role: 'article', 'data-notice': n.kind }, K.avatar(n.actor || 'Facebook'), h('span', { text: n.text })));
    });
    if (g.member) feed.appendChild(h('div', { class: 'fb-card fb-composer' }, K.avatar('Robin Meyer'), h('input', { type: 'text', placeholder: t('writeSomething'), 'aria-label': t('writeSomething') })));
    [['Ben Carter', 'Does anyone know a good co-working space near Ostkreuz?'],
     ['Mia Wagner', 'Reminder: meetup on Thursday at 7pm. Bring a friend who wants to come!']].forEach(function (p) {
      feed.appendChild(h('div', { class: 'fb-card fb-post', role: 'article' },
        h('div', { class: 'fb-post-head' }, K.avatar(p[0]), h('strong', { text: p[0] })),
        h('p', { text: p[1] })));
    });
  }

  function renderMembers() {
    var g = current;
    K.clear(membersBox);
    membersBox.appendChild(h('h2', { text: t('membersHeading', { n: fmtN(g.count) }) }));
    var list = h('ul', { class: 'fb-memberlist' });
    var rows = g.memberNames.map(function (n) { return [n, t('member')]; });
    Object.keys(g.invited).forEach(function (n) { rows.push([n, t('invited')]); });
    rows.forEach(function (r) {
      list.appendChild(h('li', {}, K.avatar(r[0]), h('span', { class: 'fb-mname', text: r[0] }), h('span', { class: 'fb-muted', text: r[1] })));
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

    var counter = h('div', { class: 'fb-counter', 'aria-live': 'polite' });
    var chips = h('div', { class: 'fb-selected' });
    var sendBtn = K.button({ class: 'fb-btn fb-primary', 'aria-label': t('sendInvitations'), 'aria-disabled': 'true' }, t('sendInvitations'));
    var search = h('input', { type: 'search', class: 'fb-fsearch', placeholder: t('searchFriends'), 'aria-label': t('searchFriends') });
    var empty = h('div', { class: 'fb-muted fb-empty', hidden: true, text: t('noFriends') });

    var vlist = K.virtualList({
      rowHeight: 52, height: 416, pool: 12,
      attrs: { role: 'list', 'aria-label': t('inviteTitle') },
      makeRow: function () {
        var name = h('span', { class: 'fb-fname' }, '');
        var sub = h('span', { class: 'fb-muted fb-fsub' }, '');
        var av = h('span', { class: 'fx-avatar', 'aria-hidden': 'true' });
        var box = h('span', { class: 'fb-check', 'aria-hidden': 'true' });
        var row = h('div', { role: 'checkbox', 'aria-checked': 'false', tabindex: '0', class: 'fb-frow' }, av, h('span', { class: 'fb-fcol' }, name, sub), box);
        row.__name = name; row.__sub = sub; row.__av = av; row.__box = box;
        row.addEventListener('click', function () { toggle(row.__item); });
        row.addEventListener('keydown', function (e) { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); toggle(row.__item); } });
        return row;
      },
      bindRow: function (row, item) {
        var inv = !!g.invited[item.name];
        K.setText(row.__name, item.name);
        K.setText(row.__sub, inv ? t('invited') : '');
        row.__av.setAttribute('data-initials', K.initials(item.name));
        row.__av.style.background = K.avatarColor(item.name);
        row.setAttribute('aria-checked', selected[item.name] ? 'true' : 'false');
        if (inv) row.setAttribute('aria-disabled', 'true'); else row.removeAttribute('aria-disabled');
      },
    });

    function toggle(item) {
      if (!item || g.invited[item.name]) return;
      if (selected[item.name]) { delete selected[item.name]; order.splice(order.indexOf(item.name), 1); }
      else { selected[item.name] = true; order.push(item.name); }
      update();
    }
    function update() {
      vlist.refresh();
      var n = order.length;
      K.setText(counter, n === 1 ? t('selected1') : t('selected', { n: n }));
      sendBtn.setAttribute('aria-disabled', n ? 'false' : 'true');
      K.clear(chips);
      order.forEach(function (name) {
        chips.appendChild(h('div', { class: 'fb-chip' }, K.avatar(name), h('span', { text: name })));
      });
    }
    function filter() {
      var q = search.value.trim().toLowerCase();
      var items = FRIENDS.filter(function (p) { return !q || p.name.toLowerCase().indexOf(q) >= 0; });
      vlist.el.scrollTop = 0;
      vlist.setItems(items);
      empty.hidden = items.length > 0;
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

    var closeX = K.button({ class: 'fb-x', 'aria-label': t('close') }, '\u2715');
    closeX.addEventListener('click', cancel);
    var cancelBtn = K.button({ class: 'fb-btn' }, t('cancel'));
    cancelBtn.addEventListener('click', cancel);

    K.append(m.box, [
      h('div', { class: 'fb-dhead' }, h('h2', { text: t('inviteTitle') }), closeX),
      h('div', { class: 'fb-dbody' },
        h('div', { class: 'fb-dleft' }, search, vlist.el, empty),
        h('div', { class: 'fb-dright' }, counter, chips)),
      h('div', { class: 'fb-dfoot' }, cancelBtn, sendBtn),
    ]);
    vlist.setItems(FRIENDS);
    update();
    search.focus();
  }

  // ---- leave dialog ---------------------------------------------------------------
  function openLeave() {
    var g = current;
    if (!g || !g.member) return;
    var m = K.modal({ attrs: { class: 'fb-dialog fb-leave', 'aria-label': t('leaveGroup') }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'leave', group: g.name, groupId: g.id });
    var sw = h('div', { role: 'switch', 'aria-checked': 'false', tabindex: '0', class: 'fb-switch', 'aria-label': t('preventReinvite') }, h('span', { class: 'fb-knob' }));
    var flip = function () { sw.setAttribute('aria-checked', sw.getAttribute('aria-checked') === 'true' ? 'false' : 'true'); };
    sw.addEventListener('click', flip);
    sw.addEventListener('keydown', function (e) { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); flip(); } });
    var cancelBtn = K.button({ class: 'fb-btn' }, t('cancel'));
    cancelBtn.addEventListener('click', cancel);
    var leaveBtn = K.button({ class: 'fb-btn fb-primary', 'aria-label': t('leaveGroup') }, t('leaveGroup'));
    leaveBtn.addEventListener('click', function () {
      var prevent = sw.getAttribute('aria-checked') === 'true';
      K.log('leave', { group: g.name, groupId: g.id, preventReinvite: prevent });
      m.close();
      g.member = false;
      g.notices.unshift({ kind: 'left', text: t('youLeft', { group: g.name }) });
      if (current === g) { renderActions(); renderFeed(); }
    });
    function cancel() { K.log('dialog-cancel', { dialog: 'leave', group: g.name, groupId: g.id }); m.close(); }
    var closeX = K.button({ class: 'fb-x', 'aria-label': t('close') }, '\u2715');
    closeX.addEventListener('click', cancel);
    K.append(m.box, [
      h('div', { class: 'fb-dhead' }, h('h2', { text: t('leaveTitle', { group: g.name }) }), closeX),
      h('div', { class: 'fb-dpad' },
        h('p', { text: t('leaveBody') }),
        h('label', { class: 'fb-swrow' }, h('span', {}, h('strong', { text: t('preventReinvite') }), h('br'), h('span', { class: 'fb-muted', text: t('preventHint') })), sw)),
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
