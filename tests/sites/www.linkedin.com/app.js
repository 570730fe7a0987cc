/*
 * LinkedIn groups fixture, rebuilt from docs/evidence/real-dom.md (sections 2.4, 3).
 *
 * Sources per part (the invitee picker is shared by group, page and event invites; its selectors
 * are used by many public invite scripts cited in REAL-DOM 2.4):
 * - div[role=dialog].artdeco-modal holding #invitee-picker-results-container > div >
 *   div.scaffold-finite-scroll__content > ul.artdeco-typeahead__results-list >
 *   li.artdeco-typeahead__result.ember-view; in each row input[type=checkbox].ember-checkbox
 *   .invitee-picker-connections-result-item__checkbox with aria-selected and an id containing
 *   "checkbox-invitee-suggestion"; status div.invitee-picker-connections-result-item__status
 *   .t-14.t-black--light.t-bold.mt2 "Invited"; "Show more results"
 *   button.scaffold-finite-scroll__load-button; a span "N selected"; the primary
 *   button.artdeco-button.artdeco-button--primary "Invite" (REAL-DOM section 3 snippet).
 * - "Invite", "Invited", "Show more results": SITES.md and the snippet.
 * UNVERIFIED (invented): the modal title "Invite connections" and its header, the search field,
 * where the "N selected" span sits (.artdeco-modal__actionbar), disabled checkboxes for people
 * already invited, the label with avatar <img>, name and headline, the group page, the entry
 * button, the leave flow ("Leave this group" is from the brief), membership controls, the
 * invitation notice, and every German and French text.
 * The group page's "More options" menu button (aria-haspopup=menu) holding "Leave this group",
 * which the pack's leave steps open for "Leave again": unverified.
 */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var S = {
    en: {
      search: 'Search',
      home: 'Home', network: 'My Network', groups: 'Groups',
      privateListed: 'Private Listed',
      publicGroup: 'Public',
      members: '{n} members',
      invite: 'Invite',                                    // SITES.md
      startPost: 'Start a post in this group',
      moreOptions: 'More options',
      leave: 'Leave this group',                           // brief
      settings: 'Update your settings',
      report: 'Report this group',
      requestJoin: 'Request to join',
      pending: 'Pending',
      inviteTitle: 'Invite connections',
      searchConnections: 'Search for connections',
      invited: 'Invited',                                  // SITES.md
      showMore: 'Show more results',                       // SITES.md
      selected: '{n} selected',
      inviteCap: 'You can invite up to 250 connections per week.',
      dismiss: 'Dismiss',
      cancel: 'Cancel',
      sent: 'Your invitations have been sent.',
      leaveTitle: 'Leave group',
      leaveBody: 'Are you sure you want to leave {group}?',
      leaveBtn: 'Leave',
      youLeft: 'You left {group}.',
      invitedYou: '{actor} invited you to join this group',
      accept: 'Accept',
      ignore: 'Ignore',
      about: 'About this group',
      noResults: 'No results',
    },
    de: {
      search: 'Suchen',
      home: 'Startseite', network: 'Mein Netzwerk', groups: 'Gruppen',
      privateListed: 'Privat, gelistet',
      publicGroup: '\u00d6ffentlich',
      members: '{n} Mitglieder',
      invite: 'Einladen',
      startPost: 'Beitrag in dieser Gruppe beginnen',
      moreOptions: 'Weitere Optionen',
      leave: 'Diese Gruppe verlassen',
      settings: 'Einstellungen aktualisieren',
      report: 'Diese Gruppe melden',
      requestJoin: 'Beitritt anfragen',
      pending: 'Ausstehend',
      inviteTitle: 'Kontakte einladen',
      searchConnections: 'Nach Kontakten suchen',
      invited: 'Eingeladen',
      showMore: 'Weitere Ergebnisse anzeigen',
      selected: '{n} ausgew\u00e4hlt',
      inviteCap: 'Du kannst bis zu 250 Kontakte pro Woche einladen.',
      dismiss: 'Verwerfen',
      cancel: 'Abbrechen',
      sent: 'Ihre Einladungen wurden versendet.',
      leaveTitle: 'Gruppe verlassen',
      leaveBody: 'M\u00f6chten Sie {group} wirklich verlassen?',
      leaveBtn: 'Verlassen',
      youLeft: 'Sie haben {group} verlassen.',
      invitedYou: '{actor} hat Sie eingeladen, dieser Gruppe beizutreten',
      accept: 'Annehmen',
      ignore: 'Ignorieren',
      about: 'Info zu dieser Gruppe',
      noResults: 'Keine Ergebnisse',
    },
    fr: {
      search: 'Recherche',
      home: 'Accueil', network: 'R\u00e9seau', groups: 'Groupes',
      privateListed: 'Priv\u00e9 r\u00e9pertori\u00e9',
      publicGroup: 'Public',
      members: '{n} membres',
      invite: 'Inviter',
      startPost: 'Commencer un post dans ce groupe',
      moreOptions: 'Plus d\u2019options',
      leave: 'Quitter ce groupe',
      settings: 'Modifier vos param\u00e8tres',
      report: 'Signaler ce groupe',
      requestJoin: 'Demander \u00e0 rejoindre',
      pending: 'En attente',
      inviteTitle: 'Inviter des relations',
      searchConnections: 'Rechercher des relations',
      invited: 'Invit\u00e9(e)',
      showMore: 'Afficher plus de r\u00e9sultats',
      selected: '{n} s\u00e9lectionn\u00e9(s)',
      inviteCap: 'Vous pouvez inviter jusqu\u2019\u00e0 250 relations par semaine.',
      dismiss: 'Ignorer',
      cancel: 'Annuler',
      sent: 'Vos invitations ont \u00e9t\u00e9 envoy\u00e9es.',
      leaveTitle: 'Quitter le groupe',
      leaveBody: 'Voulez-vous vraiment quitter {group}\u00a0?',
      leaveBtn: 'Quitter',
      youLeft: 'Vous avez quitt\u00e9 {group}.',
      invitedYou: '{actor} vous a invit\u00e9 \u00e0 rejoindre ce groupe',
      accept: 'Accepter',
      ignore: 'Ignorer',
      about: '\u00c0 propos de ce groupe',
      noResults: 'Aucun r\u00e9sultat',
    },
  };
  var t = function (k, v) { return K.t(S, k, v); };
  var fmtN = function (n) { return n.toLocaleString(K.lang === 'de' ? 'de-DE' : K.lang === 'fr' ? 'fr-FR' : 'en-US'); };
  /** Profile pictures are <img> elements (class names unverified). */
  function avatar(name, cls) {
    return h('img', { src: K.avatarSrc(name), alt: '', class: 'li-av ' + (cls || ''), width: '48', height: '48' });
  }

  var CONNECTIONS = K.people(Number(K.param('people', 42)));
  var HEADLINES = ['Product Manager at Example GmbH', 'Software Engineer', 'UX Researcher', 'Founder & CEO', 'Data Scientist', 'Recruiter'];
  var startMember = K.flag('member', true);
  var GROUPS = {
    '9876543': { id: '9876543', name: 'Product Managers Berlin', private: true, count: 18342, about: 'A place for product people in Berlin to swap notes.' },
    '1234567': { id: '1234567', name: 'Open Source Maintainers DACH', private: false, count: 2410, about: 'Maintainers from Germany, Austria and Switzerland.' },
  };
  Object.keys(GROUPS).forEach(function (k) { var g = GROUPS[k]; g.member = startMember; g.invited = {}; g.notices = []; g.pending = false; });
  GROUPS['9876543'].invited[CONNECTIONS[2].name] = true;
  GROUPS['9876543'].invited[CONNECTIONS[9].name] = true;
  function groupFor(id) {
    if (!GROUPS[id]) GROUPS[id] = { id: id, name: 'Group ' + id, private: true, count: 40, about: '', member: startMember, invited: {}, notices: [], pending: false };
    return GROUPS[id];
  }
  var seeds = K.sysSeeds();
  var seeded = false;

  var app = document.getElementById('app');
  var main = h('main', { class: 'li-main', id: 'main' });
  var aside = h('aside', { class: 'li-aside' });
  app.appendChild(h('header', { class: 'global-nav' },
    h('span', { class: 'li-logo', 'aria-label': 'LinkedIn' }, 'in'),
    h('input', { type: 'text', class: 'search-global-typeahead__input', placeholder: t('search'), 'aria-label': t('search') }),
    h('nav', { class: 'li-navlinks' }, h('span', { text: t('home') }), h('span', { text: t('network') }), h('span', { class: 'active', text: t('groups') }))));
  app.appendChild(h('div', { class: 'li-layout' }, aside, main));

  var current = null;
  function route() {
    K.closeMenu();
    var m = location.pathname.match(/^\/groups\/(\d+)/);
    current = groupFor(m ? m[1] : '9876543');
    if (!seeded) { seeded = true; seeds.forEach(function (s) { applySeed(current, s); }); }
    render();
  }

  function renderAside() {
    K.clear(aside);
    var box = h('div', { class: 'artdeco-card li-pad' }, h('h2', { class: 'li-h2', text: t('groups') }));
    Object.keys(GROUPS).forEach(function (id) {
      var g = GROUPS[id];
      box.appendChild(h('div', { class: 'li-grouplink' }, avatar(g.name, 'li-sq'), K.link('/groups/' + id + '/', { 'aria-current': g === current ? 'page' : null }, g.name)));
    });
    aside.appendChild(box);
  }

  var actions, noticeBox;
  function render() {
    var g = current;
    K.title(g.name + ' | Groups | LinkedIn');
    K.clear(main);
    renderAside();
    noticeBox = h('div', {});
    actions = h('div', { class: 'groups-entity__actions' });
    main.appendChild(noticeBox);
    main.appendChild(h('section', { class: 'artdeco-card groups-entity' },
      h('div', { class: 'li-banner', 'aria-hidden': 'true' }),
      h('div', { class: 'li-pad' },
        avatar(g.name, 'li-logo-big'),
        h('h1', { class: 'groups-entity__name', text: g.name }),
        h('div', { class: 'li-muted' }, (g.private ? t('privateListed') : t('publicGroup')) + ' \u00b7 ' + t('members', { n: fmtN(g.count) })),
        actions)));
    main.appendChild(h('section', { class: 'artdeco-card li-pad' }, h('h2', { class: 'li-h2', text: t('about') }), h('p', { text: g.about })));
    renderActions();
    renderNotices();
  }

  function renderActions() {
    var g = current;
    K.clear(actions);
    if (g.member) {
      var inv = h('button', { class: 'artdeco-button artdeco-button--primary', type: 'button' }, h('span', { class: 'artdeco-button__text', text: t('invite') }));
      inv.addEventListener('click', openInvite);
      actions.appendChild(inv);
      actions.appendChild(h('button', { class: 'artdeco-button artdeco-button--secondary', type: 'button' }, h('span', { class: 'artdeco-button__text', text: t('startPost') })));
      var more = h('button', { class: 'artdeco-button artdeco-button--tertiary artdeco-button--circle', type: 'button', 'aria-label': t('moreOptions'), text: '\u2026' });
      K.menuButton(more, function () {
        return [
          { text: t('settings'), onSelect: function () {} },
          { text: t('leave'), onSelect: openLeave },
          { text: t('report'), onSelect: function () {} },
        ];
      }, { className: 'fx-menu artdeco-dropdown__content', alignRight: true });
      actions.appendChild(more);
    } else if (g.pending) {
      actions.appendChild(h('button', { class: 'artdeco-button artdeco-button--secondary', type: 'button', disabled: true }, h('span', { class: 'artdeco-button__text', text: t('pending') })));
    } else {
      var join = h('button', { class: 'artdeco-button artdeco-button--primary', type: 'button' }, h('span', { class: 'artdeco-button__text', text: t('requestJoin') }));
      join.addEventListener('click', function () {
        K.log('join', { group: g.name, groupId: g.id, request: g.private });
        if (g.private) g.pending = true; else g.member = true;
        renderActions();
      });
      actions.appendChild(join);
    }
  }

  function renderNotices() {
    var g = current;
    K.clear(noticeBox);
    g.notices.forEach(function (n) {
      var box = h('div', { class: 'artdeco-card li-notice li-pad', role: 'region', 'data-notice': n.kind }, avatar(n.actor || 'LinkedIn'), h('span', { class: 'li-grow', text: n.text }));
      if (n.kind === 'invited' && !g.member) {
        var acc = h('button', { class: 'artdeco-button artdeco-button--primary', type: 'button', text: t('accept') });
        acc.addEventListener('click', function () {
          g.member = true;
          g.notices.splice(g.notices.indexOf(n), 1);
          K.log('join', { group: g.name, groupId: g.id, via: 'invitation', inviter: n.actor });
          renderActions(); renderNotices();
        });
        var ign = h('button', { class: 'artdeco-button artdeco-button--secondary', type: 'button', text: t('ignore') });
        ign.addEventListener('click', function () {
          g.notices.splice(g.notices.indexOf(n), 1);
          K.log('decline', { group: g.name, groupId: g.id, inviter: n.actor });
          renderNotices();
        });
        box.appendChild(acc); box.appendChild(ign);
      }
      noticeBox.appendChild(box);
    });
  }
  function applySeed(g, s) {
    var actor = s.args[0] || 'Anna Schmidt';
    if (s.kind === 'invited') { g.member = false; g.notices.push({ kind: 'invited', actor: actor, text: t('invitedYou', { actor: actor }) }); }
    else if (s.kind === 'left') { g.member = false; g.notices.push({ kind: 'left', text: t('youLeft', { group: g.name }) }); }
    if (g === current && actions) { renderActions(); renderNotices(); }
  }

  // ---- artdeco modal ---------------------------------------------------------
  function modal(title, onDismiss, cls) {
    var id = 'artdeco-modal-header-' + Math.floor(Math.random() * 1e6);
    var m = K.modal({ backdropClass: 'fx-backdrop artdeco-modal-overlay', attrs: { class: 'artdeco-modal ' + (cls || ''), 'aria-labelledby': id }, onEscape: onDismiss });
    var x = h('button', { class: 'artdeco-modal__dismiss', type: 'button', 'aria-label': t('dismiss'), text: '\u2715' });
    x.addEventListener('click', onDismiss);
    m.box.appendChild(h('div', { class: 'artdeco-modal__header' }, h('h2', { id: id, text: title }), x));
    return m;
  }

  // ---- invite picker ---------------------------------------------------------
  var inviteOpen = false;
  var emberSeq = 1200;
  function openInvite() {
    if (inviteOpen) return;
    inviteOpen = true;
    var g = current;
    var order = [];
    var shown = 0;
    var m = modal(t('inviteTitle'), cancel, 'li-invite');
    K.log('dialog-open', { dialog: 'invite', group: g.name, groupId: g.id });
    var search = h('input', { type: 'text', class: 'artdeco-typeahead__input', placeholder: t('searchConnections'), 'aria-label': t('searchConnections') });
    var results = h('ul', { class: 'artdeco-typeahead__results-list' });
    var moreBtn = h('button', { class: 'scaffold-finite-scroll__load-button', type: 'button', text: t('showMore') });
    var container = h('div', { id: 'invitee-picker-results-container', class: 'li-results' },
      h('div', {}, h('div', { class: 'scaffold-finite-scroll__content' }, results), h('div', { class: 'li-loader' })),
      moreBtn);
    var counter = h('span', { class: 'li-muted', text: '' });
    var send = h('button', { class: 'artdeco-button artdeco-button--2 artdeco-button--primary ember-view', type: 'button', disabled: true }, h('span', { class: 'artdeco-button__text', text: t('invite') }));
    var rows = [];

    function addRows(n) {
      var end = Math.min(CONNECTIONS.length, shown + n);
      for (var i = shown; i < end; i++) {
        (function (p, i) {
          var inv = !!g.invited[p.name];
          var cbId = 'invitee-picker-checkbox-invitee-suggestion-' + p.id;
          var cb = h('input', { type: 'checkbox', id: cbId, class: 'ember-checkbox ember-view invitee-picker-connections-result-item__checkbox', 'aria-selected': 'false', props: { disabled: inv, checked: order.indexOf(p.name) >= 0 } });
          cb.addEventListener('change', function () {
            var k = order.indexOf(p.name);
            if (cb.checked && k < 0) order.push(p.name);
            if (!cb.checked && k >= 0) order.splice(k, 1);
            update();
          });
          emberSeq += 1;
          var li = h('li', { id: 'ember' + emberSeq, class: 'artdeco-typeahead__result ember-view' },
            cb,
            h('label', { for: cbId, class: 'li-label' }, avatar(p.name),
              h('span', { class: 'li-col' },
                h('span', { dir: 'auto', class: 'li-name', text: p.name }),
                h('span', { class: 'li-muted', text: HEADLINES[i % HEADLINES.length] }))),
            inv ? h('div', { class: 'invitee-picker-connections-result-item__status t-14 t-black--light t-bold mt2', text: t('invited') }) : null);
          rows.push({ li: li, cb: cb, name: p.name });
          results.appendChild(li);
        })(CONNECTIONS[i], i);
      }
      shown = end;
      moreBtn.hidden = shown >= CONNECTIONS.length;
      filter();
    }
    function update() {
      rows.forEach(function (r) { r.cb.setAttribute('aria-selected', r.cb.checked ? 'true' : 'false'); });
      K.setText(counter, t('selected', { n: order.length }));
      send.disabled = order.length === 0;
    }
    function filter() {
      var q = search.value.trim().toLowerCase();
      rows.forEach(function (r) { r.li.hidden = !!q && r.name.toLowerCase().indexOf(q) < 0; });
    }
    search.addEventListener('input', filter);
    moreBtn.addEventListener('click', function () { addRows(20); });
    function cancel() { K.log('dialog-cancel', { dialog: 'invite', group: g.name, groupId: g.id }); close(); }
    function close() { m.close(); inviteOpen = false; }
    // The site's own confirm handler, on the element.
    send.addEventListener('click', function () {
      if (!order.length) return;
      var names = order.slice();
      K.log('invite', { names: names, count: names.length, group: g.name, groupId: g.id });
      names.forEach(function (n) { g.invited[n] = true; });
      close();
      K.toast(t('sent'));
    });
    var cancelBtn = h('button', { class: 'artdeco-button artdeco-button--2 artdeco-button--secondary', type: 'button' }, h('span', { class: 'artdeco-button__text', text: t('cancel') }));
    cancelBtn.addEventListener('click', cancel);
    K.append(m.box, [
      h('div', { class: 'artdeco-modal__content' }, search, container, h('p', { class: 'li-muted', text: t('inviteCap') })),
      h('div', { class: 'artdeco-modal__actionbar' }, counter, h('span', { class: 'li-grow' }), cancelBtn, send),
    ]);
    addRows(20);
    update();
    search.focus();
  }

  // ---- leave -------------------------------------------------------------------
  function openLeave() {
    var g = current;
    if (!g.member) return;
    K.log('dialog-open', { dialog: 'leave', group: g.name, groupId: g.id });
    var cancel = function () { K.log('dialog-cancel', { dialog: 'leave', group: g.name, groupId: g.id }); m.close(); };
    var m = modal(t('leaveTitle'), cancel, 'li-leave');
    var leaveBtn = h('button', { class: 'artdeco-button artdeco-button--primary', type: 'button' }, h('span', { class: 'artdeco-button__text', text: t('leaveBtn') }));
    leaveBtn.addEventListener('click', function () {
      K.log('leave', { group: g.name, groupId: g.id });
      m.close();
      g.member = false;
      g.notices.push({ kind: 'left', text: t('youLeft', { group: g.name }) });
      if (g === current) { renderActions(); renderNotices(); }
    });
    var cancelBtn = h('button', { class: 'artdeco-button artdeco-button--secondary', type: 'button', text: t('cancel') });
    cancelBtn.addEventListener('click', cancel);
    K.append(m.box, [
      h('div', { class: 'artdeco-modal__content' }, h('p', { text: t('leaveBody', { group: g.name }) })),
      h('div', { class: 'artdeco-modal__actionbar' }, h('span', { class: 'li-grow' }), cancelBtn, leaveBtn),
    ]);
  }

  K.onRoute(route);
  route();
  K.ready('linkedin', {
    openInvite: openInvite,
    openLeave: openLeave,
    system: function (spec) { var b = spec.split(':'); applySeed(current, { kind: b[0], args: b.slice(1) }); },
    state: function () { return { group: current.name, groupId: current.id, member: current.member, invited: Object.keys(current.invited) }; },
  });
  if (K.param('open') === 'invite') openInvite();
  else if (K.param('open') === 'leave') openLeave();
})();
