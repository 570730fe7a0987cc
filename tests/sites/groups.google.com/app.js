/*
 * Google Groups fixture: a group's Conversations and Members pages with the "Add members" dialog.
 *
 * Sources (REAL-DOM.md = docs/evidence/real-dom.md, SITES.md = docs/evidence/sites-fact-sheet.md):
 * - REAL-DOM 2.5 and 3 "Google Groups – add members, Korean UI" (two public automation scripts,
 *   2025, Korean UI): the members page `/g/<group>/members`; open and confirm are both
 *   `div[aria-label="Add members"]` (회원 추가) – the confirm is the *second* such element, so the
 *   dialog itself carries no aria-label of that text (it is labelled by its heading here); the
 *   direct-add control is an `input[aria-labelledby="add-member-checkbox-label"]` (a checkbox,
 *   no role=switch); the people field `input[aria-label="Group members"]` (그룹 멤버);
 *   suggestions `div[data-aria-label="Group members"] ul > li`; after the first confirm click a
 *   reCAPTCHA (`iframe[title="reCAPTCHA"]`) may appear, and the confirm is clicked again.
 * - SITES.md (official German help): "Add members" / "Mitglieder hinzufügen", "Directly add
 *   members" / "Mitglieder direkt hinzufügen", "Send invites" / "Einladungen senden" (the confirm
 *   with direct add off), "Pending members" / "Ausstehende Mitglieder"; invitations expire.
 *
 * UNVERIFIED (invented, no evidence): the dialog root (`[role=dialog]` labelled by its heading),
 * the chips of chosen people (`[role=listitem][data-email]` with an avatar <img>, the name and a
 * remove button), role=button / role=option on the controls and suggestions, every jsname value,
 * the captcha step's content (`captcha=1`: a `div[title="reCAPTCHA"]` with an "I'm not a robot"
 * checkbox instead of an iframe, so that nothing is loaded from another origin), the leave flow
 * ("Leave group" → "Leave group?"), the notices ("{actor} added you to this group.",
 * "You left {group}."), the page layout, the German "Gruppenmitglieder" and all French texts
 * (drift=1).
 * "Leave group" is a button on the group page: "Leave again" clicks it directly (unverified).
 */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;

  var S = {
    en: {
      product: 'Groups',
      searchGroups: 'Search groups',
      conversations: 'Conversations',
      members: 'Members',
      pending: 'Pending members',                         // SITES.md (German counterpart)
      settings: 'My membership settings',
      about: 'About',
      addMembers: 'Add members',                          // REAL-DOM (aria-label, Korean UI), SITES.md
      groupMembers: 'Group members',                      // REAL-DOM (aria-label, Korean UI), SITES.md
      directly: 'Directly add members',                   // SITES.md
      sendInvites: 'Send invites',                        // SITES.md
      inviteMsg: 'Invitation message',
      welcomeMsg: 'Welcome message',
      cancel: 'Cancel',
      remove: 'Remove {name}',
      captcha: 'I\u2019m not a robot',
      captchaTitle: 'reCAPTCHA',                          // REAL-DOM (iframe title)
      captchaHint: 'Confirm that you are not a robot, then add the members again.',
      name: 'Name', email: 'Email', role: 'Role', joined: 'Joined date',
      member: 'Member', owner: 'Owner', invited: 'Invited',
      joinGroup: 'Join group',
      leaveGroup: 'Leave group',                          // brief
      leaveTitle: 'Leave group?',
      leaveBody: 'Are you sure you want to leave {group}? You won\u2019t receive any more messages from this group.',
      youLeft: 'You left {group}.',
      addedYou: '{actor} added you to this group.',
      added: 'Members added',
      invitesSent: 'Invitations sent',
      noConv: 'No conversations yet',
      membersCount: '{n} members',
      typeHint: 'Type names, email addresses or group names',
      expires: 'Invitations expire after 7 days.',
    },
    de: {
      product: 'Groups',
      searchGroups: 'Gruppen durchsuchen',
      conversations: 'Unterhaltungen',
      members: 'Mitglieder',
      pending: 'Ausstehende Mitglieder',                  // SITES.md
      settings: 'Meine Mitgliedschaftseinstellungen',
      about: '\u00dcber',
      addMembers: 'Mitglieder hinzuf\u00fcgen',             // SITES.md
      groupMembers: 'Gruppenmitglieder',                  // invented
      directly: 'Mitglieder direkt hinzuf\u00fcgen',        // SITES.md
      sendInvites: 'Einladungen senden',                  // SITES.md
      inviteMsg: 'Einladungsnachricht',
      welcomeMsg: 'Willkommensnachricht',
      cancel: 'Abbrechen',
      remove: '{name} entfernen',
      captcha: 'Ich bin kein Roboter.',
      captchaTitle: 'reCAPTCHA',
      captchaHint: 'Best\u00e4tigen Sie, dass Sie kein Roboter sind, und f\u00fcgen Sie die Mitglieder dann erneut hinzu.',
      name: 'Name', email: 'E-Mail', role: 'Rolle', joined: 'Beitrittsdatum',
      member: 'Mitglied', owner: 'Inhaber', invited: 'Eingeladen',
      joinGroup: 'Gruppe beitreten',
      leaveGroup: 'Gruppe verlassen',                     // invented
      leaveTitle: 'Gruppe verlassen?',
      leaveBody: 'M\u00f6chten Sie {group} wirklich verlassen? Sie erhalten dann keine Nachrichten mehr von dieser Gruppe.',
      youLeft: 'Sie haben {group} verlassen.',
      addedYou: '{actor} hat Sie dieser Gruppe hinzugef\u00fcgt.',
      added: 'Mitglieder hinzugef\u00fcgt',
      invitesSent: 'Einladungen gesendet',
      noConv: 'Noch keine Unterhaltungen',
      membersCount: '{n} Mitglieder',
      typeHint: 'Namen, E-Mail-Adressen oder Gruppennamen eingeben',
      expires: 'Einladungen laufen nach 7 Tagen ab.',
    },
    fr: {
      product: 'Groupes',
      searchGroups: 'Rechercher des groupes',
      conversations: 'Conversations',
      members: 'Membres',
      pending: 'Membres en attente',
      settings: 'Param\u00e8tres de mon abonnement',
      about: '\u00c0 propos',
      addMembers: 'Ajouter des membres',
      groupMembers: 'Membres du groupe',
      directly: 'Ajouter directement des membres',
      sendInvites: 'Envoyer les invitations',
      inviteMsg: 'Message d\u2019invitation',
      welcomeMsg: 'Message de bienvenue',
      cancel: 'Annuler',
      remove: 'Retirer {name}',
      captcha: 'Je ne suis pas un robot',
      captchaTitle: 'reCAPTCHA',
      captchaHint: 'Confirmez que vous n\u2019\u00eates pas un robot, puis ajoutez de nouveau les membres.',
      name: 'Nom', email: 'E-mail', role: 'R\u00f4le', joined: 'Date d\u2019inscription',
      member: 'Membre', owner: 'Propri\u00e9taire', invited: 'Invit\u00e9',
      joinGroup: 'Rejoindre le groupe',
      leaveGroup: 'Quitter le groupe',
      leaveTitle: 'Quitter le groupe\u00a0?',
      leaveBody: 'Voulez-vous vraiment quitter {group}\u00a0? Vous ne recevrez plus aucun message de ce groupe.',
      youLeft: 'Vous avez quitt\u00e9 {group}.',
      addedYou: '{actor} vous a ajout\u00e9 \u00e0 ce groupe.',
      added: 'Membres ajout\u00e9s',
      invitesSent: 'Invitations envoy\u00e9es',
      noConv: 'Aucune conversation pour le moment',
      membersCount: '{n}\u00a0membres',
      typeHint: 'Saisissez des noms, des adresses e-mail ou des noms de groupes',
      expires: 'Les invitations expirent au bout de 7\u00a0jours.',
    },
  };
  var t = function (k, v) { return K.t(S, k, v); };

  function emailOf(name) {
    var base = name.replace(/<[^>]*>/g, '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '');
    return (base || 'user') + '@example.org';
  }
  var PEOPLE = K.people(Number(K.param('people', 40))).map(function (p) { return { name: p.name, email: emailOf(p.name) }; });

  /** Google shows profile pictures as round <img>s; here an SVG data URL with initials. */
  function avatar(name, size) {
    var initials = K.initials(name).replace(/[^\w\u00C0-\u024F]/g, '');
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="20" fill="' + K.avatarColor(name) +
      '"/><text x="20" y="26" font-family="Arial,sans-serif" font-size="16" fill="#fff" text-anchor="middle">' + initials + '</text></svg>';
    return h('img', { src: 'data:image/svg+xml,' + encodeURIComponent(svg), class: 'gg-avatar', alt: '', 'aria-hidden': 'true', width: String(size), height: String(size) });
  }

  var startMember = K.flag('member', true);
  var GROUPS = {};
  function groupFor(key, domain) {
    var id = (domain ? domain + '/' : '') + key;
    if (!GROUPS[id]) {
      var pretty = key.split('-').map(function (w) { return w.charAt(0).toUpperCase() + w.slice(1); }).join(' ');
      GROUPS[id] = { id: id, key: key, domain: domain, name: pretty, email: key + '@' + (domain || 'googlegroups.com'), member: startMember, notices: [],
        members: PEOPLE.slice(12, 18).map(function (p) { return { name: p.name, email: p.email, role: 'member' }; }), pending: [] };
    }
    return GROUPS[id];
  }
  var seeds = K.sysSeeds();
  var seeded = false;

  var app = document.getElementById('app');
  var nav = h('nav', { class: 'gg-nav', 'aria-label': t('product') });
  var main = h('div', { role: 'main', class: 'gg-main' });
  app.appendChild(h('header', { class: 'gg-top', role: 'banner' },
    h('span', { class: 'gg-logo' }, h('span', { class: 'gg-g', 'aria-hidden': 'true', text: 'G' }), ' ' + t('product')),
    h('input', { type: 'text', class: 'gg-search', placeholder: t('searchGroups'), 'aria-label': t('searchGroups') })));
  app.appendChild(h('div', { class: 'gg-layout' }, nav, main));

  var current = null, page = 'conversations';
  function base(g) { return (g.domain ? '/a/' + g.domain : '') + '/g/' + g.key; }
  function route() {
    K.closeMenu();
    var m = location.pathname.match(/^(?:\/a\/([^/]+))?\/g\/([^/]+)(?:\/([^/]+))?/);
    current = m ? groupFor(decodeURIComponent(m[2]), m[1] && decodeURIComponent(m[1])) : groupFor('hiking-club');
    page = m && m[3] === 'members' ? 'members' : 'conversations';
    if (!seeded) { seeded = true; seeds.forEach(function (s) { applySeed(current, s); }); }
    render();
  }

  /** A Google-style button: a focusable div[role=button] whose aria-label is its text. */
  function button(text, attrs) {
    var b = h('div', Object.assign({ role: 'button', tabindex: '0', class: 'gg-btn', 'aria-label': text }, attrs || {}), h('span', { jsname: 'V67aGc', class: 'gg-btntext', text: text }));
    b.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); b.click(); } });
    return b;
  }

  function render() {
    var g = current;
    K.title((page === 'members' ? t('members') + ' \u2013 ' : '') + g.name + ' \u2013 Google Groups');
    K.clear(nav);
    nav.appendChild(h('div', { class: 'gg-gname', text: g.name }));
    nav.appendChild(h('div', { class: 'gg-muted', text: g.email }));
    nav.appendChild(K.link(base(g), { class: 'gg-navlink', 'aria-current': page === 'conversations' ? 'page' : null }, t('conversations')));
    nav.appendChild(K.link(base(g) + '/members', { class: 'gg-navlink', 'aria-current': page === 'members' ? 'page' : null }, t('members')));
    nav.appendChild(h('span', { class: 'gg-navlink', text: t('settings') }));
    nav.appendChild(h('span', { class: 'gg-navlink', text: t('about') }));
    K.clear(main);
    g.notices.forEach(function (n) { main.appendChild(h('div', { class: 'gg-notice', role: 'status', 'data-notice': n.kind, text: n.text })); });
    var head = h('div', { class: 'gg-head' }, h('h1', { text: page === 'members' ? t('members') : g.name }));
    var acts = h('div', { class: 'gg-acts' });
    head.appendChild(acts);
    main.appendChild(head);
    if (g.member) {
      if (page === 'members') {
        var add = button(t('addMembers'), { class: 'gg-btn gg-primary', jsname: 'Wv1ovb' });
        add.addEventListener('click', openAdd);
        acts.appendChild(add);
      }
      var leave = button(t('leaveGroup'), { jsname: 'LgbsSe' });
      leave.addEventListener('click', openLeave);
      acts.appendChild(leave);
    } else {
      var join = button(t('joinGroup'), { class: 'gg-btn gg-primary', jsname: 'Hf7sUe' });
      join.addEventListener('click', function () { g.member = true; K.log('join', { group: g.name, groupId: g.id }); render(); });
      acts.appendChild(join);
    }
    if (page === 'members') renderMembers(); else main.appendChild(h('p', { class: 'gg-muted', text: t('noConv') }));
  }

  function personCell(name) { return h('td', {}, h('span', { class: 'gg-person' }, avatar(name, 24), h('span', { text: name }))); }
  function renderMembers() {
    var g = current;
    main.appendChild(h('div', { class: 'gg-muted', text: t('membersCount', { n: g.members.length + 1 }) }));
    var table = h('table', { class: 'gg-table', role: 'table' });
    table.appendChild(h('thead', {}, h('tr', {}, h('th', { text: t('name') }), h('th', { text: t('email') }), h('th', { text: t('role') }))));
    var tb = h('tbody', {});
    tb.appendChild(h('tr', {}, personCell('Robin Meyer'), h('td', { text: 'robin.meyer@example.org' }), h('td', { text: t('owner') })));
    g.members.forEach(function (m) { tb.appendChild(h('tr', {}, personCell(m.name), h('td', { text: m.email }), h('td', { text: t('member') }))); });
    table.appendChild(tb);
    main.appendChild(table);
    if (g.pending.length) {
      main.appendChild(h('h2', { class: 'gg-h2', text: t('pending') }));
      var pt = h('table', { class: 'gg-table' }, h('tbody', {}, g.pending.map(function (m) {
        return h('tr', {}, personCell(m.name), h('td', { text: m.email }), h('td', { text: t('invited') }));
      })));
      main.appendChild(pt);
    }
  }

  function applySeed(g, s) {
    var actor = s.args[0] || 'Anna Schmidt';
    if (s.kind === 'added') { g.member = true; g.notices.push({ kind: 'added', text: t('addedYou', { actor: actor }) }); }
    else if (s.kind === 'left') { g.member = false; g.notices.push({ kind: 'left', text: t('youLeft', { group: g.name }) }); }
  }

  // ---- add members dialog (renders late) ------------------------------------------
  var addOpen = false;
  function openAdd() {
    if (addOpen) return;
    addOpen = true;
    var g = current;
    K.later(500, function () { buildAdd(g); });
  }
  function buildAdd(g) {
    var chips = []; // {name, email}
    var direct = K.flag('direct', false);
    var needCaptcha = K.flag('captcha', false);
    var solved = false;
    var m = K.modal({ attrs: { class: 'gg-dialog', 'aria-labelledby': 'gg-add-title', jsname: 'rZHESd' }, onEscape: cancel });
    K.log('dialog-open', { dialog: 'add', group: g.name, groupId: g.id });

    var input = h('input', { type: 'text', class: 'gg-peopleinput', 'aria-label': t('groupMembers'), placeholder: t('groupMembers'), role: 'combobox',
      'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'gg-suggest', jsname: 'YPqjbf', autocomplete: 'off' });
    // Chips go in front of the input, as its siblings (nesting unverified; the same reading as
    // crate/core/tests/snippets/google-groups-add-members.html).
    var field = h('div', { class: 'gg-people', jsname: 'Ax5wH' }, input);
    var suggestList = h('ul', { id: 'gg-suggest', role: 'listbox', class: 'gg-suggest-list' });
    var suggest = h('div', { class: 'gg-suggest', 'data-aria-label': t('groupMembers'), hidden: true }, suggestList);
    var label = h('div', { id: 'add-member-checkbox-label', class: 'gg-checklabel', text: t('directly') });
    var checkbox = h('input', { type: 'checkbox', class: 'gg-checkbox', 'aria-labelledby': 'add-member-checkbox-label', jsname: 'DrxWLe', props: { checked: direct } });
    var msgLabel = h('label', { class: 'gg-muted', for: 'gg-msg' });
    var msg = h('textarea', { id: 'gg-msg', rows: '3', class: 'gg-msg' });
    var robot = needCaptcha ? h('span', { role: 'checkbox', tabindex: '0', 'aria-checked': 'false', 'aria-labelledby': 'gg-robot-label', class: 'gg-robot' }) : null;
    var captchaBox = needCaptcha ? h('div', { class: 'gg-captcha', title: t('captchaTitle'), hidden: true },
      h('div', { class: 'gg-muted', text: t('captchaHint') }),
      h('div', { class: 'gg-captcha-anchor' }, robot, h('label', { id: 'gg-robot-label', text: t('captcha') }), h('span', { class: 'gg-captcha-logo', text: t('captchaTitle') }))) : null;
    var confirm = button('', { class: 'gg-btn gg-primary', jsname: 'c6xFrd', 'aria-disabled': 'true' });
    var cancelBtn = button(t('cancel'), { jsname: 'herOHc' });

    var existing = function (email) {
      return g.members.some(function (x) { return x.email === email; }) || chips.some(function (x) { return x.email === email; });
    };
    function renderSuggest() {
      var q = input.value.trim().toLowerCase();
      K.clear(suggestList);
      PEOPLE.forEach(function (p) {
        if (existing(p.email)) return;
        if (q && p.name.toLowerCase().indexOf(q) < 0 && p.email.indexOf(q) < 0) return;
        var li = h('li', { role: 'option', class: 'gg-option', 'aria-selected': 'false', 'data-email': p.email },
          avatar(p.name, 32), h('div', { class: 'gg-col' }, h('div', { class: 'gg-oname', text: p.name }), h('div', { class: 'gg-muted', text: p.email })));
        li.addEventListener('mousedown', function (e) { e.preventDefault(); });
        li.addEventListener('click', function () { addChip(p); });
        suggestList.appendChild(li);
      });
      suggest.hidden = !suggestList.firstChild;
      input.setAttribute('aria-expanded', suggest.hidden ? 'false' : 'true');
    }
    function addChip(p) {
      if (existing(p.email)) return;
      chips.push(p);
      var rm = h('div', { role: 'button', tabindex: '0', class: 'gg-chipx fx-x', 'aria-label': t('remove', { name: p.name }) });
      var chip = h('div', { class: 'gg-chip', role: 'listitem', 'data-email': p.email, jsname: 'Hq4ewd' }, avatar(p.name, 24), h('span', { class: 'gg-chipname', text: p.name }), rm);
      rm.addEventListener('click', function () {
        chips.splice(chips.indexOf(p), 1);
        K.remove(chip);
        update(); renderSuggest();
      });
      field.insertBefore(chip, input);
      input.value = '';
      update(); renderSuggest();
      input.focus();
    }
    input.addEventListener('focus', renderSuggest);
    input.addEventListener('input', renderSuggest);
    input.addEventListener('blur', function () { setTimeout(function () { suggest.hidden = true; input.setAttribute('aria-expanded', 'false'); }, 150); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && !suggest.hidden) {
        e.stopPropagation();
        suggest.hidden = true;
        input.setAttribute('aria-expanded', 'false');
        return;
      }
      if ((e.key === 'Enter' || e.key === ',') && input.value.trim()) {
        e.preventDefault();
        var v = input.value.trim().replace(/,$/, '');
        var hit = PEOPLE.filter(function (p) { return p.email === v.toLowerCase() || p.name.toLowerCase() === v.toLowerCase(); })[0];
        if (hit) addChip(hit);
        else if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) addChip({ name: v, email: v.toLowerCase() });
      }
    });
    checkbox.addEventListener('change', function () { direct = checkbox.checked; update(); });
    if (robot) {
      var tick = function () { solved = true; robot.setAttribute('aria-checked', 'true'); update(); };
      robot.addEventListener('click', tick);
      robot.addEventListener('keydown', function (e) { if (e.key === ' ' || e.key === 'Enter') { e.preventDefault(); tick(); } });
    }

    function update() {
      // The confirm's aria-label is its text: "Add members" with direct add on, else "Send invites".
      var label = direct ? t('addMembers') : t('sendInvites');
      K.setText(confirm.firstChild, label);
      confirm.setAttribute('aria-label', label);
      K.setText(msgLabel, direct ? t('welcomeMsg') : t('inviteMsg'));
      var ok = chips.length > 0 && (!captchaBox || captchaBox.hidden || solved);
      confirm.setAttribute('aria-disabled', ok ? 'false' : 'true');
    }
    function cancel() { K.log('dialog-cancel', { dialog: 'add', group: g.name, groupId: g.id }); close(); }
    function close() { m.close(); addOpen = false; }
    cancelBtn.addEventListener('click', cancel);
    // The site's own confirm handler, on the element.
    confirm.addEventListener('click', function () {
      if (confirm.getAttribute('aria-disabled') === 'true') return;
      if (captchaBox && !solved) {
        // The first click brings the reCAPTCHA; the members go with the next click once solved.
        captchaBox.hidden = false;
        K.log('captcha', { group: g.name, groupId: g.id });
        update();
        return;
      }
      var names = chips.map(function (c) { return c.name; });
      var emails = chips.map(function (c) { return c.email; });
      K.log(direct ? 'add' : 'invite', { names: names, emails: emails, count: names.length, group: g.name, groupId: g.id, direct: direct });
      chips.forEach(function (c) { (direct ? g.members : g.pending).push({ name: c.name, email: c.email }); });
      close();
      K.toast(direct ? t('added') : t('invitesSent'));
      if (current === g) render();
    });

    K.append(m.box, [
      h('h2', { id: 'gg-add-title', class: 'gg-dtitle', text: t('addMembers') }),
      h('div', { class: 'gg-dbody' },
        h('div', { class: 'gg-fieldlabel gg-muted', text: t('groupMembers') }),
        field, suggest,
        h('div', { class: 'gg-muted gg-hint', text: t('typeHint') }),
        h('div', { class: 'gg-checkrow' }, checkbox, label),
        msgLabel, msg,
        h('div', { class: 'gg-muted gg-hint', text: t('expires') }),
        captchaBox),
      h('div', { class: 'gg-dfoot' }, cancelBtn, confirm),
    ]);
    update();
    input.focus();
  }

  // ---- leave -------------------------------------------------------------------------
  function openLeave() {
    var g = current;
    if (!g.member) return;
    K.log('dialog-open', { dialog: 'leave', group: g.name, groupId: g.id });
    var cancel = function () { K.log('dialog-cancel', { dialog: 'leave', group: g.name, groupId: g.id }); m.close(); };
    var m = K.modal({ attrs: { class: 'gg-dialog gg-small', 'aria-label': t('leaveTitle'), jsname: 'bN97Pc' }, onEscape: cancel });
    var cancelBtn = button(t('cancel'), { jsname: 'herOHc' });
    cancelBtn.addEventListener('click', cancel);
    var ok = button(t('leaveGroup'), { class: 'gg-btn gg-primary', jsname: 'M2UYVd' });
    ok.addEventListener('click', function () {
      K.log('leave', { group: g.name, groupId: g.id });
      m.close();
      g.member = false;
      g.notices.push({ kind: 'left', text: t('youLeft', { group: g.name }) });
      if (current === g) render();
    });
    K.append(m.box, [h('h2', { class: 'gg-dtitle', text: t('leaveTitle') }), h('div', { class: 'gg-dbody' }, h('p', { text: t('leaveBody', { group: g.name }) })), h('div', { class: 'gg-dfoot' }, cancelBtn, ok)]);
  }

  K.onRoute(route);
  route();
  K.ready('google-groups', {
    openAdd: openAdd,
    openLeave: openLeave,
    system: function (spec) { var b = spec.split(':'); applySeed(current, { kind: b[0], args: b.slice(1) }); render(); },
    state: function () { return { group: current.name, groupId: current.id, member: current.member, members: current.members.map(function (m) { return m.name; }), pending: current.pending.map(function (m) { return m.name; }) }; },
  });
  if (K.param('open') === 'add' && page === 'members') openAdd();
  else if (K.param('open') === 'leave') openLeave();
})();
