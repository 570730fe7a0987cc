// Site drivers: one small main-world script per fixture site that opens the add/invite dialog,
// selects and unselects people and clicks the final confirm the way a user would (element.click()
// on the controls a user clicks). Every script is a string of JavaScript function source, so the
// same code runs in Chromium (Playwright) and Firefox (Selenium):
//
//   await page.evaluate(call(DRIVERS.facebook.select, 6));              // Playwright
//   await driver.executeScript(`return ${call(DRIVERS.facebook.select, 6)}`); // Selenium
//
// `call` builds a plain expression (no eval / new Function inside the page), so the scripts also
// run on pages served with `csp=strict`.
//
// Per site (a site with several page shapes has one entry per shape, e.g. whatsapp-classic):
//   site                     the site pack's id (the entry's key when it has one shape)
//   host, url(lang, extra?)  page path + query (delay=0) with the add/invite flow; extra params
//                            (e.g. {csp: 'strict'}) are merged into the query (before any #hash)
//   open()                   opens the dialog through its entry point; resolves when rows are there
//   select(n)                selects the first n selectable people; resolves to their names (fewer
//                            only if the list runs out of selectable people, e.g. Discord's cap)
//   unselect(k)              unselects the last k selected; resolves to their names
//   selection()              what the page itself shows as selected: {count, names}
//   confirmSelector          CSS selector of the final confirm control (the one a gate intercepts)
//   clickConfirm()           clicks it; followUp() clicks the platform's own confirmation popup
//                            (WhatsApp, Telegram Web K) or is null
//   groupName(lang), sentAction ('add' | 'invite'), maxSelectable (Discord's remaining slots)
//   setDirect(on)            Google Groups only: flips "Directly add members"
//
// Scripts read the UI language from <html lang>, which the fixtures set.

/** A JS expression that calls the function source `src` with JSON-serialisable `args`. */
export function call(src, ...args) {
  return `(${src})(${args.map((a) => JSON.stringify(a)).join(', ')})`;
}

/** Runs a driver script in a Playwright page. */
export function runInPage(page, src, ...args) {
  return page.evaluate(call(src, ...args));
}

/** Runs a driver script through Selenium WebDriver (the result promise is awaited by WebDriver). */
export function runInSelenium(driver, src, ...args) {
  return driver.executeScript(`return ${call(src, ...args)};`);
}

// Helpers shared by every script (inlined into each function source).
const LIB = String.raw`
  const LANG = ['de', 'fr'].includes(document.documentElement.lang) ? document.documentElement.lang : 'en';
  // The page's own form of a selector: with ?drift=1 the fixture renames class names, ids and
  // test hooks (tests/sites/_kit/kit.js), and every selector here follows.
  const sel = (s) => (window.FixtureKit && window.FixtureKit.sel ? window.FixtureKit.sel(s) : s);
  const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
  const fail = (what) => { throw new Error('driver ' + SITE + '.' + STEP + ': ' + what); };
  const shown = (el) => !!el && el.isConnected && el.getClientRects().length > 0;
  const all = (s, root) => Array.from((root || document).querySelectorAll(sel(s)));
  const one = (s, root) => (root || document).querySelector(sel(s));
  const first = (sel, root) => all(sel, root).find(shown) || null;
  const lastOf = (sel, root) => all(sel, root).filter(shown).pop() || null;
  const text = (el) => (el ? el.textContent : '').replace(/\s+/g, ' ').trim();
  const byText = (sel, texts, root) => all(sel, root).filter(shown).find((el) => texts.includes(text(el))) || null;
  async function until(what, probe, timeout) {
    const limit = timeout || 3000;
    const end = Date.now() + limit;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > end) fail(what + ' not found within ' + limit + ' ms');
      await sleep(20);
    }
  }
  async function maybe(probe, timeout) {
    const end = Date.now() + (timeout || 300);
    for (;;) {
      const value = probe();
      if (value || Date.now() > end) return value;
      await sleep(20);
    }
  }
  function press(el) {
    if (typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'nearest' });
    el.click();
  }
  function type(input, value) {
    input.focus();
    input.value = value;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: value }));
  }

  // Rows of a scroll container that are fully inside its visible box, top to bottom.
  function inView(box, rowSel) {
    const r = box.getBoundingClientRect();
    return all(rowSel, box).filter(shown).filter((row) => {
      const b = row.getBoundingClientRect();
      return b.top >= r.top - 1 && b.bottom <= r.bottom + 1;
    }).sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
  }
  // Scrolls a (virtualised) list and waits for the site to rebind its rows. false at the end.
  async function scrollTo(box, top) {
    const before = box.scrollTop;
    const scrolled = new Promise((ok) => box.addEventListener('scroll', ok, { once: true }));
    box.scrollTop = top;
    if (box.scrollTop === before) return false;
    await Promise.race([scrolled, sleep(1500)]);
    await sleep(0);
    return true;
  }
  async function scrollOn(box, rowSel) {
    const rows = inView(box, rowSel);
    const rowH = rows.length ? rows[0].offsetHeight : 40;
    return scrollTo(box, box.scrollTop + Math.max(rowH, box.clientHeight - rowH));
  }
  // Picks people in a virtualised list: click what is in view, then scroll on.
  async function pickVirtual(o) {
    const box = o.box();
    const got = [];
    const seen = new Set();
    for (;;) {
      for (const row of inView(box, o.row)) {
        if (got.length >= o.n) return got;
        const name = o.name(row);
        if (!name || seen.has(name)) continue;
        seen.add(name);
        if (o.on(row) || o.off(row)) continue;
        press(row);
        const again = inView(box, o.row).find((r) => o.name(r) === name);
        if (!again || !o.on(again)) fail('clicking "' + name + '" did not select it');
        got.push(name);
      }
      if (got.length >= o.n || !(await scrollOn(box, o.row))) return got;
    }
  }
  // Finds the row of one person in a virtualised list by scrolling from the top.
  async function findVirtual(o, name) {
    const box = o.box();
    await scrollTo(box, 0);
    for (;;) {
      const row = inView(box, o.row).find((r) => o.name(r) === name);
      if (row) return row;
      if (!(await scrollOn(box, o.row))) fail('no row for "' + name + '" in the list');
    }
  }
  // Picks people in a plain list (all rows in the DOM): scroll each into view, click.
  async function pickStatic(o) {
    const got = [];
    for (;;) {
      for (const row of o.rows()) {
        if (got.length >= o.n) return got;
        if (!shown(row) || o.on(row) || o.off(row)) continue;
        const name = o.name(row);
        if (!name || got.includes(name)) continue;
        press(o.target(row));
        if (!o.on(row)) fail('clicking "' + name + '" did not select it');
        got.push(name);
      }
      if (got.length >= o.n || !o.more || !(await o.more())) return got;
    }
  }
  // Picks people through a people field: type part of a suggested name, click the suggestion.
  async function pickField(o) {
    const input = await until('people field', o.input);
    const got = [];
    while (got.length < o.n) {
      type(input, '');
      const offered = await maybe(() => o.options().find((opt) => !o.off(opt) && !got.includes(o.name(opt))), 1000);
      if (!offered) return got;
      const name = o.name(offered);
      type(input, name.slice(0, 4));
      const opt = await until('suggestion "' + name + '"', () => o.options().find((x) => o.name(x) === name && !o.off(x)));
      press(opt);
      await until('chip for "' + name + '"', () => o.chips().includes(name));
      got.push(name);
    }
    type(input, '');
    return got;
  }
`;

/** Function source with the shared helpers; `params` is the parameter list, `body` the code. */
function fn(site, step, params, body) {
  return `async function (${params}) {\n  const SITE = ${JSON.stringify(site)};\n  const STEP = ${JSON.stringify(step)};\n${LIB}\n${body}\n}`;
}

/** Builds the path + query of a fixture page; `hash` stays at the end. */
function pagePath(path, lang, extra = {}, hash = '', delay = true) {
  const query = new URLSearchParams({ lang });
  if (delay) query.set('delay', '0');
  for (const [key, value] of Object.entries(extra)) query.set(key, String(value));
  return `${path}?${query}${hash}`;
}

// ---- Facebook, WhatsApp ---------------------------------------------------------------------
// The scroll container around a row of a virtualised list (the lists carry no hook of their own).
const SCROLLER = `
  function scroller(el) {
    for (let node = el && el.parentElement; node; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowY;
      if (overflow === 'auto' || overflow === 'scroll') return node;
    }
    return fail('no scroll container around the list');
  }
`;

// ---- Facebook ---------------------------------------------------------------------------------
const FB_TITLES = ['Invite friends to join this group', 'Freunde einladen, dieser Gruppe beizutreten', 'Invitez des amis \u00e0 rejoindre ce groupe'];
const FB_LIST = `${SCROLLER}
  const TITLES = ${JSON.stringify(FB_TITLES)};
  const dialog = () => all('[role=dialog]').filter(shown).find((d) => TITLES.includes(d.getAttribute('aria-label')));
  const LIST = {
    box: () => scroller(one('[role=checkbox]', dialog())),
    row: '[role=checkbox]',
    name: (row) => text(one('span[dir=auto]', row)),
    on: (row) => row.getAttribute('aria-checked') === 'true',
    off: (row) => row.getAttribute('aria-disabled') === 'true',
  };
  const chips = () => (dialog() ? all('.fb-selected .fb-chip', dialog()).map(text) : []);
`;
const facebook = {
  host: 'www.facebook.com',
  url: (lang, extra) => pagePath('/groups/4711/', lang, extra),
  groupName: () => 'Berlin Networking Circle',
  sentAction: 'invite',
  maxSelectable: null,
  open: fn('facebook', 'open', '', `
    // The entry's aria-label contains "Invite" (2022: "Inviter"); then the menu item.
    const invite = await until('"Invite" button', () => all('[role=main] [role=button][aria-label]').filter(shown).find((b) => ['Invite', 'Einladen', 'Inviter'].includes(b.getAttribute('aria-label'))));
    press(invite);
    const item = await until('menu item "Invite Facebook friends"', () => byText('[role=menu] [role=menuitem]', ['Invite Facebook friends', 'Facebook-Freunde einladen', 'Inviter des amis Facebook']));
    press(item);
    const TITLES = ${JSON.stringify(FB_TITLES)};
    await until('invite dialog rows', () => { const d = all('[role=dialog]').filter(shown).find((x) => TITLES.includes(x.getAttribute('aria-label'))); return d && first('[role=checkbox]', d); });
    return true;`),
  select: fn('facebook', 'select', 'n', `${FB_LIST}
    await until('invite dialog', dialog);
    return pickVirtual(Object.assign({ n }, LIST));`),
  unselect: fn('facebook', 'unselect', 'k', `${FB_LIST}
    await until('invite dialog', dialog);
    const names = chips().slice(-k).reverse();
    for (const name of names) {
      const row = await findVirtual(LIST, name);
      press(row);
      await until('"' + name + '" unselected', () => !chips().includes(name));
    }
    return names;`),
  selection: fn('facebook', 'selection', '', `${FB_LIST}
    const d = await until('invite dialog', dialog);
    // "3 FRIENDS SELECTED": a span[dir=auto] that starts with the number.
    const counter = text(all('span[dir=auto]', d).find((s) => /^\\d+ /.test(text(s))));
    const m = counter.match(/\\d+/);
    return { count: m ? Number(m[0]) : NaN, names: chips(), counter };`),
  confirmSelector: [
    'Send invitations', 'Send Invites', 'Einladungen senden', 'Envoyer les invitations',
  ].map((label) => `[role=dialog] [role=button][aria-label="${label}"]`).join(', '),
};

// ---- WhatsApp ---------------------------------------------------------------------------------
// Icons are data-icon="<name>" (classic) or "<name>-refreshed" (2.3000+). Exact values, not a
// prefix: with ?drift=1 the fixture renames hook values, and only exact matches follow.
const waIcon = (name, scope = '') => [name, `${name}-refreshed`].map((v) => `${scope}span[data-icon="${v}"]`).join(', ');
const WA_ADD = [
  'Add member', 'Add members', 'Add participant', 'Add participants',
  'Mitglied hinzuf\u00fcgen', 'Mitglieder hinzuf\u00fcgen', 'Teilnehmer hinzuf\u00fcgen',
  'Ajouter le membre', 'Ajouter les membres', 'Ajouter le participant', 'Ajouter les participants',
];
const WA_LIST = `${SCROLLER}
  const picker = () => all('[role=dialog]').filter(shown).find((d) => one('[role=checkbox]', d));
  const LIST = {
    box: () => scroller(one('[role=checkbox]', picker())),
    row: '[role=checkbox]',
    name: (row) => { const s = one('span[title][dir=auto]', row); return s ? s.getAttribute('title') : ''; },
    on: (row) => row.getAttribute('aria-checked') === 'true',
    off: (row) => row.getAttribute('aria-disabled') === 'true',
  };
  // A chip: the element around the remove button that holds the x-alt icon.
  const chipEls = () => (picker() ? all(${JSON.stringify(waIcon('x-alt'))}, picker()).map((icon) => icon.closest('[role=button]').parentElement) : []);
  const chips = () => chipEls().map((chip) => text(one('span[dir=auto]', chip)));
`;
const whatsapp = {
  host: 'web.whatsapp.com',
  url: (lang, extra) => pagePath('/', lang, extra),
  groupName: () => 'Book Club',
  sentAction: 'add',
  maxSelectable: null,
  open: fn('whatsapp', 'open', '', `
    const title = await until('chat header title', () => first('#main header span[title]'));
    press(title);
    const add = await until('group info "Add member" (data-icon add-user)', () => first(${JSON.stringify(waIcon('add-user'))}));
    press(add);
    await until('add picker rows', () => all('[role=dialog]').filter(shown).find((d) => one('[role=checkbox]', d)));
    return true;`),
  select: fn('whatsapp', 'select', 'n', `${WA_LIST}
    await until('add picker', picker);
    return pickVirtual(Object.assign({ n }, LIST));`),
  unselect: fn('whatsapp', 'unselect', 'k', `${WA_LIST}
    await until('add picker', picker);
    const names = chips().slice(-k).reverse();
    for (const name of names) {
      const chip = chipEls().find((c) => text(one('span[dir=auto]', c)) === name);
      press(one('[role=button]', chip));
      await until('"' + name + '" unselected', () => !chips().includes(name));
    }
    return names;`),
  selection: fn('whatsapp', 'selection', '', `${WA_LIST}
    await until('add picker', picker);
    return { count: chips().length, names: chips() };`),
  confirmSelector: waIcon('checkmark-medium', '[role=dialog] '),
  followUp: fn('whatsapp', 'followUp', '', `
    // The platform's own question 'Add … to "…" group?': a popup without the picker's rows.
    const pop = await until('"Add … to group?" popup', () => all('[role=dialog]').filter(shown).filter((d) => !one('[role=checkbox]', d)).pop());
    const buttons = all('button, [role=button]', pop).filter(shown);
    const ok = buttons.find((b) => ${JSON.stringify(WA_ADD)}.includes(text(b))) || buttons.pop();
    press(ok);
    return text(ok);`),
};
// The client before the icon rename (?shape=classic): same driver, other page.
const whatsappClassic = { ...whatsapp, site: 'whatsapp', url: (lang, extra) => pagePath('/', lang, { shape: 'classic', ...extra }) };

// ---- Telegram ---------------------------------------------------------------------------------
// Two clients on one host. Web K (/k/, key `telegram`): the picker is a right-column tab opened
// from the group profile's round corner button; its own corner button opens the platform's "Add N
// members" popup (followUp). Web A (/a/, key `telegram-a`): the picker's floating button adds at
// once. Both select by selectors alone (no texts), so they also run under drift=1.
const TGK_LIST = `
  const picker = () => first('.add-members-container');
  const LIST = {
    rows: () => all('.chatlist a.row[data-peer-id]', picker()),
    target: (row) => row,
    name: (row) => text(one('.peer-title', row)),
    on: (row) => one('input[type=checkbox]', row).checked,
    off: (row) => one('input[type=checkbox]', row).disabled,
  };
  // A chip being removed keeps its place until its animation ends (.scale-out).
  const chipEls = () => (picker() ? all('.selector-search .selector-user:not(.scale-out)', picker()) : []);
  const chipName = (chip) => text(one('.selector-user-title', chip));
  const chips = () => chipEls().map(chipName);
`;
const telegram = {
  site: 'telegram',
  host: 'web.telegram.org',
  // A basic group: its confirmation popup shows the pre-checked "Show the last 100 messages" box.
  url: (lang, extra) => pagePath('/k/', lang, extra, '#-48151623'),
  groupName: () => 'Kochclub Wedding',
  sentAction: 'add',
  maxSelectable: null,
  open: fn('telegram', 'open', '', `
    const info = await until('chat header (.chat-info)', () => first('#column-center .chat-info'));
    press(info);
    const corner = await until('the profile\u2019s "add members" corner button', () => first('#column-right .profile-container.can-add-members button.btn-circle.btn-corner'));
    press(corner);
    await until('"Add Members" picker rows', () => first('.add-members-container .chatlist a.row[data-peer-id]'));
    return true;`),
  select: fn('telegram', 'select', 'n', `${TGK_LIST}
    await until('"Add Members" picker', picker);
    return pickStatic(Object.assign({ n }, LIST));`),
  unselect: fn('telegram', 'unselect', 'k', `${TGK_LIST}
    await until('"Add Members" picker', picker);
    const names = chips().slice(-k).reverse();
    for (const name of names) {
      press(chipEls().find((c) => chipName(c) === name));
      await until('"' + name + '" unselected', () => !chips().includes(name));
    }
    return names;`),
  selection: fn('telegram', 'selection', '', `${TGK_LIST}
    await until('"Add Members" picker', picker);
    return { count: chips().length, names: chips() };`),
  confirmSelector: '.add-members-container button.btn-circle.btn-corner',
  followUp: fn('telegram', 'followUp', '', `
    // The platform's own popup "Add N members": its first button adds.
    const pop = await until('"Add N members" confirmation popup', () => first('.popup-add-members'));
    const ok = await until('its first button ("Add")', () => first('.popup-buttons button', pop));
    press(ok);
    return text(ok);`),
};

const TGA_LIST = `
  const picker = () => first('#RightColumn .AddChatMembers');
  const LIST = {
    box: () => all('.custom-scroll', picker()).find((el) => one('.PeerPickerItem', el)),
    row: '.PeerPickerItem',
    name: (row) => text(one('.fullName', row)),
    on: (row) => one('input[type=checkbox]', row).checked,
    off: (row) => one('input[type=checkbox]', row).disabled,
  };
  // The chips are the picker header's children that hold an avatar (CSS-module classes only);
  // past ten, older chips show the avatar alone with the name as their title.
  const chipEls = () => {
    const input = picker() && one('#new-members-picker-search', picker());
    if (!input) return [];
    const header = input.parentElement.parentElement;
    return Array.from(header.children).filter((el) => Array.from(el.children).some((c) => c.matches(sel('.Avatar'))));
  };
  const chipName = (chip) => chip.getAttribute('title') || text(one('.fullName', chip));
  const chips = () => chipEls().map(chipName);
`;
const telegramA = {
  site: 'telegram',
  host: 'web.telegram.org',
  url: (lang, extra) => pagePath('/a/', lang, extra, '#-1001303328644'),
  groupName: () => 'Rust Berlin Meetup',
  sentAction: 'add',
  maxSelectable: null,
  open: fn('telegram-a', 'open', '', `
    const info = await until('chat header (.MiddleHeader .ChatInfo)', () => first('.MiddleHeader .ChatInfo'));
    press(info);
    const fab = await until('the profile\u2019s floating "add members" button', () => first('#RightColumn .Profile button.FloatingActionButton'));
    press(fab);
    await until('"Add Members" picker rows', () => first('#RightColumn .AddChatMembers .PeerPickerItem'));
    return true;`),
  select: fn('telegram-a', 'select', 'n', `${TGA_LIST}
    await until('"Add Members" picker', picker);
    return pickVirtual(Object.assign({ n }, LIST));`),
  unselect: fn('telegram-a', 'unselect', 'k', `${TGA_LIST}
    await until('"Add Members" picker', picker);
    const names = chips().slice(-k).reverse();
    for (const name of names) {
      press(chipEls().find((c) => chipName(c) === name));
      await until('"' + name + '" unselected', () => !chips().includes(name));
    }
    return names;`),
  selection: fn('telegram-a', 'selection', '', `${TGA_LIST}
    await until('"Add Members" picker', picker);
    return { count: chips().length, names: chips() };`),
  // Adds at once: no platform popup follows.
  confirmSelector: '#RightColumn .AddChatMembers button.FloatingActionButton',
};

// ---- LinkedIn ---------------------------------------------------------------------------------
const LI_LIST = `
  const modal = () => all('.artdeco-modal[role=dialog]').filter(shown).find((d) => one('#invitee-picker-results-container', d));
  const LIST = {
    rows: () => all('#invitee-picker-results-container li.artdeco-typeahead__result', modal()),
    target: (row) => one('input[type=checkbox]', row),
    name: (row) => text(one('label span[dir=auto]', row)),
    on: (row) => one('input[type=checkbox]', row).checked,
    off: (row) => one('input[type=checkbox]', row).disabled,
    // "Show more results" (button.scaffold-finite-scroll__load-button) appends the next rows.
    more: async () => {
      const btn = first('button.scaffold-finite-scroll__load-button', modal());
      if (!btn) return false;
      const before = LIST.rows().length;
      press(btn);
      await until('more results', () => LIST.rows().length > before);
      return true;
    },
  };
  const picked = () => (modal() ? LIST.rows().filter(LIST.on).map(LIST.name) : []);
`;
const linkedin = {
  host: 'www.linkedin.com',
  url: (lang, extra) => pagePath('/groups/9876543/', lang, extra),
  groupName: () => 'Product Managers Berlin',
  sentAction: 'invite',
  maxSelectable: null,
  open: fn('linkedin', 'open', '', `
    const invite = await until('"Invite" button', () => all('main button.artdeco-button--primary').filter(shown).find((b) => !b.closest('[role=dialog]') && ['Invite', 'Einladen', 'Inviter'].includes(text(b))));
    press(invite);
    await until('invitee picker rows', () => first('.artdeco-modal[role=dialog] #invitee-picker-results-container li.artdeco-typeahead__result'));
    return true;`),
  select: fn('linkedin', 'select', 'n', `${LI_LIST}
    await until('invite modal', modal);
    return pickStatic(Object.assign({ n }, LIST));`),
  unselect: fn('linkedin', 'unselect', 'k', `${LI_LIST}
    await until('invite modal', modal);
    // No chips on LinkedIn: the last checked rows in list order are the last selected.
    const names = picked().slice(-k).reverse();
    for (const name of names) {
      const row = LIST.rows().find((r) => LIST.name(r) === name);
      press(LIST.target(row));
      if (LIST.on(row)) fail('clicking "' + name + '" did not unselect it');
    }
    return names;`),
  selection: fn('linkedin', 'selection', '', `${LI_LIST}
    const m = await until('invite modal', modal);
    // "3 selected": a span that starts with the number.
    const counter = text(all('span', m).find((s) => /^\\d+ \\S/.test(text(s)) && !one('span', s)));
    const num = counter.match(/\\d+/);
    return { count: num ? Number(num[0]) : NaN, names: picked(), counter };`),
  confirmSelector: '.artdeco-modal[role=dialog] .artdeco-modal__actionbar button.artdeco-button--primary',
};

// ---- Google Groups ----------------------------------------------------------------------------
// Texts of the fixture's controls in en, de and fr (drift=1): the dialog is found by its people
// field, controls by their aria-labels (which Google sets to the visible text).
const GG_ADD = ['Add members', 'Mitglieder hinzuf\u00fcgen', 'Ajouter des membres'];
const GG_INVITE = ['Send invites', 'Einladungen senden', 'Envoyer les invitations'];
const GG_PEOPLE = ['Group members', 'Gruppenmitglieder', 'Membres du groupe'];
const ggLabelled = (scope, tag, labels) => labels.map((l) => `${scope} ${tag}[aria-label="${l}"]`).join(', ');
const GG_FIELD = `
  const PEOPLE = ${JSON.stringify(ggLabelled('[role=dialog]', 'input', GG_PEOPLE))};
  const dialog = () => { const input = first(PEOPLE); return input && input.closest('[role=dialog]'); };
  const FIELD = {
    input: () => first(PEOPLE),
    // Suggestions: div[data-aria-label="Group members"] ul > li.
    options: () => all('[data-aria-label] ul > li', dialog()).filter(shown),
    name: (opt) => text(one('.gg-oname', opt)),
    off: (opt) => opt.getAttribute('aria-disabled') === 'true',
    chips: () => chips(),
  };
  const chipEls = () => (dialog() ? all('[role=listitem][data-email]', dialog()) : []);
  const chips = () => chipEls().map(text);
`;
const googleGroups = {
  site: 'google-groups',
  host: 'groups.google.com',
  url: (lang, extra) => pagePath('/g/hiking-club/members', lang, extra),
  groupName: () => 'Hiking Club',
  // With "Directly add members" off (the default) the confirm sends invitations.
  sentAction: 'invite',
  maxSelectable: null,
  open: fn('google-groups', 'open', '', `
    const add = await until('"Add members" button', () => first(${JSON.stringify(ggLabelled('[role=main]', 'div', GG_ADD))}));
    press(add);
    await until('"Add members" people field', () => first(${JSON.stringify(ggLabelled('[role=dialog]', 'input', GG_PEOPLE))}));
    return true;`),
  select: fn('google-groups', 'select', 'n', `${GG_FIELD}
    await until('"Add members" dialog', dialog);
    return pickField(Object.assign({ n }, FIELD));`),
  unselect: fn('google-groups', 'unselect', 'k', `${GG_FIELD}
    await until('"Add members" dialog', dialog);
    const names = chips().slice(-k).reverse();
    for (const name of names) {
      press(one('[role=button]', chipEls().find((c) => text(c) === name)));
      await until('"' + name + '" unselected', () => !chips().includes(name));
    }
    return names;`),
  selection: fn('google-groups', 'selection', '', `${GG_FIELD}
    await until('"Add members" dialog', dialog);
    return { count: chips().length, names: chips() };`),
  setDirect: fn('google-groups', 'setDirect', 'on', `${GG_FIELD}
    // "Directly add members": input[aria-labelledby="add-member-checkbox-label"], a checkbox.
    const box = await until('"Directly add members" checkbox', () => dialog() && one('input[type=checkbox][aria-labelledby]', dialog()));
    if (box.checked !== !!on) press(box);
    await until('checkbox ' + (on ? 'on' : 'off'), () => box.checked === !!on);
    return !!on;`),
  // The confirm: "Send invites" (direct add off) or "Add members" (on: the page's second element so labelled).
  confirmSelector: ggLabelled('[role=dialog]', 'div[role=button]', [...GG_INVITE, ...GG_ADD]),
};

// ---- Slack ------------------------------------------------------------------------------------
// Two shapes of the "Add people" modal (tests/sites/app.slack.com/app.js): `new` (the default,
// div[data-qa=add_people_modal_select-input] holding the tokens and the text input, tokens without
// a test hook) and `old`
// (input[data-qa=invite_to_workspace_select-input], tokens [data-qa=token]).
const SL_FIELD = `
  const FIELDS = '[data-qa="add_people_modal_select-input"], [data-qa="invite_to_workspace_select-input"]';
  const modal = () => all('[role=dialog]').filter(shown).find((d) => one(FIELDS, d));
  const FIELD = {
    // old: the hook is on the text input; new: on the box holding the tokens and the input.
    input: () => modal() && one('[data-qa="add_people_modal_select-input"] input[type=text], input[data-qa="invite_to_workspace_select-input"]', modal()),
    options: () => all('[role=listbox] [role=option]', modal()).filter(shown),
    name: (opt) => text(one('[data-qa="member-entity__primary-name"]', opt)),
    off: (opt) => opt.getAttribute('aria-disabled') === 'true',
    chips: () => chips(),
  };
  // Tokens: [data-qa=token] (old); in the new field, the boxes holding a remove button.
  const tokenEls = () => (modal() ? all('[data-qa="token"], [data-qa="add_people_modal_select-input"] div:has(> button[aria-label])', modal()) : []);
  const chips = () => tokenEls().map(text);
`;
const SL_ADD_ITEM = ['Add people to channel', 'Leute zum Channel hinzuf\u00fcgen', 'Ajouter des personnes au canal'];
function slackDriver(id, shape) {
  const submit = shape === 'new'
    ? '[role=dialog] [data-qa="add_button_container"] button[data-qa="invite_to_workspace_submit_button"]'
    : '[role=dialog] button[data-qa="invite_to_workspace_submit_button"]';
  return {
    site: 'slack',
    shape,
    host: 'app.slack.com',
    url: (lang, extra) => pagePath('/client/T0123ABCD/C0789APOLO', lang, shape === 'new' ? extra : { shape, ...extra }),
    // The channel name as the modal title shows it ([data-qa=inline_channel_entity__name]); the
    // fixture's log calls the group '#project-apollo'.
    groupName: () => 'project-apollo',
    sentAction: 'add',
    maxSelectable: null,
    open: fn(id, 'open', '', `
      const kebab = await until('channel header menu', () => first('[data-qa="channel_header_kebab"]'));
      press(kebab);
      const item = await until('menu item "Add people to channel"', () => byText('[role=menu] [role=menuitem]', ${JSON.stringify(SL_ADD_ITEM)}));
      press(item);
      await until('"Add people" people field', () => first('[role=dialog] [data-qa="add_people_modal_select-input"], [role=dialog] [data-qa="invite_to_workspace_select-input"]'));
      return true;`),
    select: fn(id, 'select', 'n', `${SL_FIELD}
      const m = await until('"Add people" modal', modal);
      // "Add specific people" must be the chosen mode for the people field.
      const specific = one('input[type=radio][data-qa="add-specific-members-option"]', m);
      if (specific && !specific.checked) press(specific);
      return pickField(Object.assign({ n }, FIELD));`),
    unselect: fn(id, 'unselect', 'k', `${SL_FIELD}
      await until('"Add people" modal', modal);
      const names = chips().slice(-k).reverse();
      for (const name of names) {
        press(tokenEls().find((c) => text(c) === name).querySelector('button'));
        await until('"' + name + '" unselected', () => !chips().includes(name));
      }
      return names;`),
    selection: fn(id, 'selection', '', `${SL_FIELD}
      await until('"Add people" modal', modal);
      return { count: chips().length, names: chips() };`),
    confirmSelector: submit,
  };
}
const slack = slackDriver('slack', 'new');
const slackOld = slackDriver('slack-old', 'old');

// ---- Discord ----------------------------------------------------------------------------------
// Two row shapes of the "Add Friends to DM" modal (tests/sites/discord.com/app.js):
// `checkbox-rows` (the default: rows [role=checkbox][aria-checked] with the name in <strong>, the
// add button next to the search bar) and `label-rows` (label › input[type=checkbox], an older
// shape). Both show the chosen people as tags in the search field.
const DC_ENTRY = ['Add Friends to DM', 'Freunde zur DM hinzuf\u00fcgen', 'Ajouter des amis au MP'];
const DC_ROWS = {
  'checkbox-rows': `
    const ROW = '[role=checkbox]';
    const LIST = {
      rows: () => all(ROW, popout()),
      target: (row) => row,
      name: (row) => text(row.querySelector('strong')),
      on: (row) => row.getAttribute('aria-checked') === 'true',
      off: (row) => row.getAttribute('aria-disabled') === 'true',
    };`,
  'label-rows': `
    const ROW = 'label';
    const LIST = {
      rows: () => all('label', popout()).filter((l) => l.querySelector('input[type=checkbox]')),
      target: (row) => row.querySelector('input[type=checkbox]'),
      name: (row) => text(one('.dc-fname', row)),
      on: (row) => row.querySelector('input[type=checkbox]').checked,
      off: (row) => row.querySelector('input[type=checkbox]').disabled,
    };`,
};
function discordDriver(id, shape) {
  const LIST = `
    const popout = () => all('[role=dialog]').filter(shown).find((d) => d.querySelector(${JSON.stringify(shape === 'label-rows' ? 'label input[type=checkbox]' : '[role=checkbox]')}));
    ${DC_ROWS[shape]}
    const tagEls = () => (popout() ? all('.dc-tags .dc-tag', popout()) : []);
    const chips = () => tagEls().map(text);
  `;
  return {
    site: 'discord',
    shape,
    host: 'discord.com',
    url: (lang, extra) => pagePath('/channels/@me/1100000000000000001', lang, shape === 'checkbox-rows' ? extra : { shape, ...extra }),
    groupName: () => 'Weekend Trip',
    sentAction: 'add',
    // Group DMs hold at most 10 people; Weekend Trip has you and 3 others.
    maxSelectable: 6,
    open: fn(id, 'open', '', `
      const add = await until('"Add Friends to DM" button', () => first(${JSON.stringify(DC_ENTRY.map((l) => `[role=button][aria-label="${l}"]`).join(', '))}));
      press(add);
      await until('"Add Friends to DM" rows', () => first(${JSON.stringify(shape === 'label-rows' ? '[role=dialog] label input[type=checkbox]' : '[role=dialog] [role=checkbox]')}));
      return true;`),
    select: fn(id, 'select', 'n', `${LIST}
      await until('"Add Friends to DM" modal', popout);
      return pickStatic(Object.assign({ n }, LIST));`),
    unselect: fn(id, 'unselect', 'k', `${LIST}
      await until('"Add Friends to DM" modal', popout);
      const names = chips().slice(-k).reverse();
      for (const name of names) {
        const row = LIST.rows().find((r) => LIST.name(r) === name);
        press(LIST.target(row));
        await until('"' + name + '" unselected', () => !chips().includes(name));
      }
      return names;`),
    // open: rows still selectable (0 once the cap is reached).
    selection: fn(id, 'selection', '', `${LIST}
      const p = await until('"Add Friends to DM" modal', popout);
      const notice = text(one('.dc-subtitle', p));
      const open = LIST.rows().filter((r) => !LIST.on(r) && !LIST.off(r)).length;
      return { count: chips().length, names: chips(), notice, open };`),
    confirmSelector: shape === 'label-rows' ? '[role=dialog] .dc-modalfooter button' : '[role=dialog] .dc-searchrow > button',
  };
}
const discord = discordDriver('discord', 'checkbox-rows');
const discordLabelRows = discordDriver('discord-label-rows', 'label-rows');

const SITES = { facebook, whatsapp, 'whatsapp-classic': whatsappClassic, telegram, 'telegram-a': telegramA, linkedin, 'google-groups': googleGroups, slack, 'slack-old': slackOld, discord, 'discord-label-rows': discordLabelRows };

// Every driver clicks its confirm the same way; sites without a platform popup get followUp null.
for (const [id, driver] of Object.entries(SITES)) {
  driver.id = id;
  // The site pack the entry exercises (shapes of one site share it).
  if (!driver.site) driver.site = id;
  driver.clickConfirm = fn(id, 'clickConfirm', '', `
    const el = await until('confirm control', () => first(${JSON.stringify(driver.confirmSelector)}));
    press(el);
    return true;`);
  if (!driver.followUp) driver.followUp = null;
  if (!driver.setDirect) driver.setDirect = null;
}

export const DRIVERS = Object.freeze(SITES);
