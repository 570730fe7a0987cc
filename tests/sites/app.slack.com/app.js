/* Slack fixture. Strings/hooks: SITES.md unless marked "invented". */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var S = {
    en: {
      search: 'Search Acme Corp',
      channels: 'Channels',
      dms: 'Direct messages',
      addPeopleMenu: 'Add people to channel',             // invented (menu item)
      addPeopleTitle: 'Add people to ',                   // invented (title prefix before the channel name)
      addSpecific: 'Add specific people',
      addAll: 'Add all members of Acme Corp',
      placeholder: 'ex. Nathalie, or james@acme.com',
      add: 'Add',
      cancel: 'Cancel',
      close: 'Close',
      remove: 'Remove {name}',
      leaveChannel: 'Leave channel',                      // brief
      leavePrivateTitle: 'Leave private channel?',
      leavePrivateBody: 'You\u2019ll no longer have access to #{channel}. You\u2019ll need to be added back by a member to rejoin.',
      leave: 'Leave Channel',
      channelDetails: 'Channel details',
      members: 'View all {n} members',
      more: 'More actions',
      message: 'Message #{channel}',
      viewing: 'You are viewing #{channel}',
      join: 'Join Channel',
      hasLeft: 'has left the channel',                    // SITES.md ("<Name> has left the channel")
      hasJoined: 'has joined the channel',
      wasAdded: 'was added to #{channel} by {actor}.',    // invented
      youAddedMsg: 'was added to #{channel} by you.',     // invented
      alreadyIn: 'Already in this channel',
      added: 'Added {n} people to #{channel}',
      noMatch: 'No matches',
      today: 'Today',
    },
    de: {
      search: 'Acme Corp durchsuchen',
      channels: 'Channels',
      dms: 'Direktnachrichten',
      addPeopleMenu: 'Leute zum Channel hinzuf\u00fcgen',  // SITES.md
      addPeopleTitle: 'Leute hinzuf\u00fcgen zu ',          // invented
      addSpecific: 'Bestimmte Leute hinzuf\u00fcgen',       // invented
      addAll: 'Alle Mitglieder von Acme Corp hinzuf\u00fcgen', // invented
      placeholder: 'z. B. Nathalie oder james@acme.com',
      add: 'Hinzuf\u00fcgen',                               // SITES.md
      cancel: 'Abbrechen',
      close: 'Schlie\u00dfen',
      remove: '{name} entfernen',
      leaveChannel: 'Channel verlassen',                  // invented
      leavePrivateTitle: 'Privaten Channel verlassen?',   // invented
      leavePrivateBody: 'Du hast dann keinen Zugriff mehr auf #{channel}. Ein Mitglied muss dich wieder hinzuf\u00fcgen.',
      leave: 'Channel verlassen',                         // invented
      channelDetails: 'Channel-Details',
      members: 'Alle {n} Mitglieder anzeigen',
      more: 'Weitere Aktionen',
      message: 'Nachricht an #{channel}',
      viewing: 'Du siehst dir #{channel} an',
      join: 'Channel beitreten',
      hasLeft: 'hat den Channel verlassen',               // invented
      hasJoined: 'ist dem Channel beigetreten',
      wasAdded: 'wurde von {actor} zu #{channel} hinzugef\u00fcgt.', // invented
      youAddedMsg: 'wurde von dir zu #{channel} hinzugef\u00fcgt.',  // invented
      alreadyIn: 'Bereits in diesem Channel',
      added: '{n} Leute zu #{channel} hinzugef\u00fcgt',
      noMatch: 'Keine Treffer',
      today: 'Heute',
    },
  };
  var t = function (k, v) { return K.t(S, k, v); };

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

  var app = document.getElementById('app');
  var sidebar = h('nav', { class: 'p-channel_sidebar', 'aria-label': 'Sidebar' });
  var view = h('div', { class: 'p-view_contents', role: 'main' });
  app.appendChild(h('div', { class: 'p-top_nav' }, h('input', { type: 'text', class: 'sl-search', placeholder: t('search'), 'aria-label': t('search') })));
  app.appendChild(h('div', { class: 'p-client' }, sidebar, view));

  var current = null;
  function route() {
    K.closeMenu();
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
      sidebar.appendChild(K.link('/client/' + TEAM + '/' + c.id, { class: 'p-channel_sidebar__channel' + (c === current ? ' is-selected' : ''), 'data-qa-channel-sidebar-channel-id': c.id, 'aria-current': c === current ? 'page' : null },
        h('span', { class: 'sl-hash', text: c.private ? '\u25c8' : '#' }), h('span', { class: 'p-channel_sidebar__name', text: c.name })));
    });
    sidebar.appendChild(h('div', { class: 'sl-sechead', text: t('dms') }));
    ['Anna Schmidt', 'Ben Carter'].forEach(function (n) { sidebar.appendChild(h('div', { class: 'p-channel_sidebar__channel' }, K.avatar(n, 'fx-avatar sl-mini'), h('span', { text: n }))); });
  }

  var pane, footer, membersBtn;
  function renderView() {
    var c = current;
    K.title((c.private ? '' : '#') + c.name + ' (Channel) - Acme Corp - Slack');
    K.clear(view);
    var nameBtn = h('button', { class: 'sl-chname', 'data-qa': 'channel_name_button', type: 'button' }, (c.private ? '\u25c8 ' : '# ') + c.name);
    membersBtn = h('button', { class: 'sl-members', 'data-qa': 'channel_members_button', type: 'button' });
    var kebab = h('button', { class: 'sl-kebab', type: 'button', 'data-qa': 'channel_header_kebab', 'aria-label': t('more'), text: '\u22ee' });
    K.menuButton(kebab, function () {
      if (!c.member) return [{ text: t('join'), onSelect: joinChannel }];
      return [
        { text: t('addPeopleMenu'), attrs: { class: 'fx-menuitem', 'data-qa': 'channel_header_add_people' }, onSelect: openAdd },
        { text: t('channelDetails'), onSelect: function () {} },
        null,
        { text: t('leaveChannel'), attrs: { class: 'fx-menuitem sl-danger', 'data-qa': 'channel_header_leave' }, onSelect: leaveChannel },
      ];
    }, { alignRight: true });
    membersBtn.addEventListener('click', function () { if (c.member) openAdd(); });
    view.appendChild(h('div', { class: 'p-view_header' }, nameBtn, h('span', { class: 'sl-grow' }), membersBtn, kebab));
    pane = h('div', { class: 'c-message_list', 'data-qa': 'message_pane', role: 'list' });
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
    c.members.slice(0, 3).forEach(function (n) { membersBtn.appendChild(K.avatar(n, 'fx-avatar sl-mini')); });
    membersBtn.appendChild(h('span', { text: String(c.members.length + (c.member ? 1 : 0)) }));
    membersBtn.setAttribute('aria-label', t('members', { n: c.members.length + (c.member ? 1 : 0) }));
  }
  function msgRow(author, text, kind) {
    return h('div', { class: 'c-virtual_list__item', role: 'listitem', 'data-qa': 'virtual-list-item', 'data-system': kind || null },
      h('div', { class: 'c-message_kit__message' }, K.avatar(author, 'fx-avatar sl-av'),
        h('div', { class: 'sl-msgbody' },
          h('span', { class: 'c-message__sender', 'data-qa': 'message_sender_name', text: author }),
          h('div', { class: 'p-rich_text_section' + (kind ? ' sl-systext' : ''), text: text }))));
  }
  function renderMessages() {
    var c = current;
    K.clear(pane);
    pane.appendChild(h('div', { class: 'sl-day', text: t('today') }));
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
    var input = h('input', { type: 'text', class: 'ql-editor', 'data-qa': 'message_input', 'aria-label': t('message', { channel: c.name }), placeholder: t('message', { channel: c.name }) });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && input.value.trim()) { c.messages.push({ from: ME, text: input.value.trim() }); input.value = ''; renderMessages(); }
    });
    footer.appendChild(input);
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
    var m = K.modal({ backdropClass: 'fx-backdrop c-sk-overlay', attrs: { class: 'c-sk-modal sl-modal', 'data-qa': 'invite_to_channel_modal', 'aria-labelledby': 'sl-add-title' }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'add', group: '#' + c.name, channelId: c.id });
    var input = h('input', { type: 'text', class: 'c-select_input', 'data-qa': 'invite_to_workspace_select-input', placeholder: t('placeholder'), 'aria-label': t('placeholder'), role: 'combobox', 'aria-expanded': 'false', 'aria-controls': 'sl-options', autocomplete: 'off' });
    var tokenBox = h('div', { class: 'c-multi_select_input', 'data-qa': 'invite_to_workspace_select' }, input);
    var options = h('div', { id: 'sl-options', role: 'listbox', class: 'sl-options', hidden: true });
    var submit = h('button', { type: 'button', class: 'c-button c-button--primary', 'data-qa': 'invite_to_workspace_submit_button', disabled: true, text: t('add') });
    var cancelBtn = h('button', { type: 'button', class: 'c-button c-button--outline', 'data-qa': 'invite_to_workspace_cancel_button', text: t('cancel') });
    var closeBtn = h('button', { type: 'button', class: 'c-button-unstyled sl-x', 'data-qa': 'sk_close_modal_button', 'aria-label': t('close'), text: '\u2715' });
    var rSpecific = h('input', { type: 'radio', name: 'sl-mode', id: 'sl-mode-specific', value: 'specific', props: { checked: true } });
    var rAll = h('input', { type: 'radio', name: 'sl-mode', id: 'sl-mode-all', value: 'all' });
    var specificRow = h('label', { class: 'sl-radio', 'data-qa': 'add-specific-members-option', for: 'sl-mode-specific' }, rSpecific, h('span', { text: t('addSpecific') }));
    var allRow = h('label', { class: 'sl-radio', 'data-qa': 'add-all-members-option', for: 'sl-mode-all' }, rAll, h('span', { text: t('addAll') }));

    var inChannel = function (n) { return c.members.indexOf(n) >= 0; };
    function renderOptions() {
      var q = input.value.trim().toLowerCase();
      K.clear(options);
      PEOPLE.forEach(function (p) {
        if (tokens.indexOf(p.name) >= 0) return;
        if (q && p.name.toLowerCase().indexOf(q) < 0) return;
        var inC = inChannel(p.name);
        var opt = h('div', { role: 'option', class: 'c-select_options_list__option' + (inC ? ' is-disabled' : ''), 'aria-disabled': inC ? 'true' : 'false', 'aria-selected': 'false' },
          K.avatar(p.name, 'fx-avatar sl-mini'),
          h('span', { class: 'c-member__primary-name', 'data-qa': 'member-entity__primary-name', text: p.name }),
          h('span', { class: 'sl-muted', text: inC ? t('alreadyIn') : p.name.split(' ')[0].toLowerCase() }));
        opt.addEventListener('mousedown', function (e) { e.preventDefault(); });
        opt.addEventListener('click', function () { if (!inC) addToken(p.name); });
        options.appendChild(opt);
      });
      if (!options.firstChild) options.appendChild(h('div', { class: 'sl-muted sl-nomatch', text: t('noMatch') }));
      options.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }
    function addToken(name) {
      tokens.push(name);
      var tok = h('div', { class: 'c-token', 'data-qa': 'token' }, K.avatar(name, 'fx-avatar sl-tokav'), h('span', { class: 'c-token__label', text: name }));
      var rm = h('button', { type: 'button', class: 'c-token__remove fx-x', 'aria-label': t('remove', { name: name }) });
      rm.addEventListener('click', function () { tokens.splice(tokens.indexOf(name), 1); K.remove(tok); update(); });
      tok.appendChild(rm);
      tokenBox.insertBefore(tok, input);
      input.value = '';
      update();
      renderOptions();
      input.focus();
    }
    function update() {
      submit.disabled = mode === 'specific' ? tokens.length === 0 : false;
      tokenBox.hidden = mode !== 'specific';
    }
    input.addEventListener('focus', renderOptions);
    input.addEventListener('input', renderOptions);
    input.addEventListener('blur', function () { setTimeout(function () { options.hidden = true; input.setAttribute('aria-expanded', 'false'); }, 150); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && !options.hidden) { e.stopPropagation(); options.hidden = true; input.setAttribute('aria-expanded', 'false'); }
    });
    rSpecific.addEventListener('change', function () { mode = 'specific'; update(); });
    rAll.addEventListener('change', function () { mode = 'all'; options.hidden = true; update(); });
    function cancel() { K.log('dialog-cancel', { dialog: 'add', group: '#' + c.name, channelId: c.id }); close(); }
    function close() { m.close(); addOpen = false; }
    cancelBtn.addEventListener('click', cancel);
    closeBtn.addEventListener('click', cancel);
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

    K.append(m.box, [
      h('div', { class: 'c-sk-modal_header' },
        h('h1', { id: 'sl-add-title', class: 'c-sk-modal_title' }, t('addPeopleTitle'),
          h('span', { class: 'sl-inline-channel' }, h('span', { text: c.private ? '\u25c8' : '#' }), h('span', { 'data-qa': 'inline_channel_entity__name', text: c.name }))),
        closeBtn),
      h('div', { class: 'c-sk-modal_content' }, specificRow, tokenBox, options, allRow),
      h('div', { class: 'c-sk-modal_footer' }, cancelBtn, submit),
    ]);
    update();
    input.focus();
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
    var m = K.modal({ backdropClass: 'fx-backdrop c-sk-overlay', attrs: { class: 'c-sk-modal sl-modal sl-small', 'aria-label': t('leavePrivateTitle') }, onEscape: cancel });
    var cancelBtn = h('button', { type: 'button', class: 'c-button c-button--outline', text: t('cancel') });
    cancelBtn.addEventListener('click', cancel);
    var ok = h('button', { type: 'button', class: 'c-button c-button--danger', 'data-qa': 'leave_channel_confirm_button', text: t('leave') });
    ok.addEventListener('click', function () { m.close(); doLeave(c); });
    K.append(m.box, [
      h('div', { class: 'c-sk-modal_header' }, h('h1', { class: 'c-sk-modal_title', text: t('leavePrivateTitle') })),
      h('div', { class: 'c-sk-modal_content' }, h('p', { text: t('leavePrivateBody', { channel: c.name }) })),
      h('div', { class: 'c-sk-modal_footer' }, cancelBtn, ok),
    ]);
  }

  K.onRoute(route);
  route();
  K.ready('slack', {
    openAdd: openAdd,
    openLeave: leaveChannel,
    system: function (spec) { var b = spec.split(':'); applySeed(current, { kind: b[0], args: b.slice(1) }); },
    state: function () { return { group: '#' + current.name, channelId: current.id, member: current.member, members: current.members.slice() }; },
  });
  if (K.param('open') === 'add') openAdd();
  else if (K.param('open') === 'leave') leaveChannel();
})();
