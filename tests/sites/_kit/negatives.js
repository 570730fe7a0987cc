/*
 * Ordinary pages that must never get a warning or a gate (served on every host at
 * /__kit/negatives.html?kind=…, so the content core runs with each site's pack):
 *
 *   settings  a settings dialog full of checked toggles and checkboxes, with a search field
 *   poll      a multiple-choice poll in a feed post: options ticked, each with its share and
 *             the pictures of some voters, beside a comment field
 *   photos    a photo and video picker: thumbnails with file names or durations, ticked
 *   emoji     an emoji picker where emoji are picked one after another
 *   feed      a notifications panel (people with pictures) beside a feed of posts
 *
 * Constructed, not copied from a site: they hold the traps a structural people-picker reading
 * could fall into (pictures, selection, search fields, dialogs). Each has an opener, ITEMS
 * things to tick (more than any threshold), and a final button that logs `done`. Texts are in
 * the page's language (en, de, fr).
 */
(function () {
  'use strict';
  var K = window.FixtureKit;
  var h = K.h;
  var ITEMS = Number(K.param('items', 24));
  var S = {
    en: { open: 'Open', search: 'Search', save: 'Save', vote: 'Vote', send: 'Send', insert: 'Insert',
      settings: 'Notification settings', photos: 'Select photos', emoji: 'Emoji', notifications: 'Notifications',
      question: 'Which days suit you for the meetup?', comment: 'Write a comment', commented: 'commented on your post.',
      option: 'Option', hours: '{n} h' },
    de: { open: 'Öffnen', search: 'Suchen', save: 'Speichern', vote: 'Abstimmen', send: 'Senden', insert: 'Einfügen',
      settings: 'Benachrichtigungen', photos: 'Fotos auswählen', emoji: 'Emoji', notifications: 'Benachrichtigungen',
      question: 'Welche Tage passen euch für das Treffen?', comment: 'Kommentieren', commented: 'hat deinen Beitrag kommentiert.',
      option: 'Option', hours: '{n} Std.' },
    fr: { open: 'Ouvrir', search: 'Rechercher', save: 'Enregistrer', vote: 'Voter', send: 'Envoyer', insert: 'Insérer',
      settings: 'Paramètres des notifications', photos: 'Choisir des photos', emoji: 'Émojis', notifications: 'Notifications',
      question: 'Quels jours vous conviennent pour la rencontre ?', comment: 'Écrire un commentaire', commented: 'a commenté votre publication.',
      option: 'Option', hours: '{n} h' },
  };
  var t = function (k, v) { return K.t(S, k, v); };
  var SETTINGS = ['Show previews', 'Sound', 'Vibrate', 'Badge counter', 'Message notifications', 'Group notifications',
    'Show sender name', 'Mentions only', 'Reactions', 'Calls', 'Stories', 'Birthdays', 'Reminders', 'Events',
    'Live videos', 'Marketplace', 'Pages you follow', 'Friend requests', 'Tags', 'Comments', 'Memories',
    'Groups you manage', 'Email digests', 'Sounds in the app', 'Night mode', 'Data saver'];
  var DAYS = ['Monday evening', 'Tuesday', 'Wednesday', 'Thursday lunch', 'Friday', 'Saturday brunch', 'Sunday walk'];
  var EMOJI = ['\ud83d\ude00', '\ud83d\ude02', '\ud83d\udc4d', '\ud83c\udf89', '\u2764\ufe0f', '\ud83d\ude4f', '\ud83d\udd25', '\ud83d\ude2e',
    '\ud83d\ude0d', '\ud83e\udd14', '\ud83d\ude4c', '\ud83d\udcaf', '\ud83d\ude0e', '\ud83e\udd73', '\ud83d\ude22', '\ud83d\ude31',
    '\ud83d\udc40', '\u2728', '\ud83c\udf7b', '\ud83c\udf82', '\ud83d\udc4b', '\ud83d\udc4f', '\ud83c\udf1e', '\ud83c\udf08'];

  function picture(seed, size) {
    // A data: picture, as sites show photos and faces (no request leaves the page).
    var hue = (seed * 47) % 360;
    var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '"><rect width="100%" height="100%" fill="hsl(' + hue + ',55%,62%)"/></svg>';
    return h('img', { src: 'data:image/svg+xml,' + encodeURIComponent(svg), alt: '', width: size, height: size });
  }
  function done(what) { K.log('done', { kind: kind, what: what }); }

  var kind = K.param('kind', 'settings');
  var app = document.getElementById('app');
  var opener = h('button', { type: 'button', 'data-negative': 'open', text: t('open') });
  app.appendChild(h('main', { style: { padding: '16px' } }, opener, h('div', { 'data-negative': 'place' })));
  var place = app.querySelector('div');

  function dialog(label) {
    var m = K.modal({ attrs: { 'aria-label': label, style: { background: '#fff', padding: '12px', maxHeight: '80vh', overflow: 'auto', width: '420px' } }, onEscape: function () { m.close(); } });
    return m;
  }

  var builders = {
    settings: function () {
      var m = dialog(t('settings'));
      K.append(m.box, h('input', { type: 'search', 'aria-label': t('search'), placeholder: t('search') }));
      for (var i = 0; i < ITEMS; i++) {
        var asSwitch = i % 3 === 0;
        var input = h('input', { type: 'checkbox', role: asSwitch ? 'switch' : null, 'data-negative': 'item' });
        K.append(m.box, h('label', { style: { display: 'flex', gap: '8px', padding: '4px 0' } },
          h('svg', { 'aria-hidden': 'true', width: '16', height: '16' }), h('span', { text: SETTINGS[i % SETTINGS.length] }), input));
      }
      var save = h('button', { type: 'button', 'data-negative': 'done', text: t('save') });
      save.addEventListener('click', function () { done('save'); m.close(); });
      K.append(m.box, save);
    },
    poll: function () {
      var post = h('div', { role: 'article', style: { background: '#fff', padding: '12px', maxWidth: '520px' } },
        h('div', { text: t('question') }));
      for (var i = 0; i < ITEMS; i++) {
        var share = Math.max(1, 40 - i * 2) + '%';
        post.appendChild(h('label', { style: { display: 'flex', gap: '6px', alignItems: 'center' } },
          h('input', { type: 'checkbox', 'data-negative': 'item' }),
          h('span', { text: DAYS[i % DAYS.length] + (i >= DAYS.length ? ' ' + t('option') : '') }),
          h('span', { text: share }), picture(i, 16), picture(i + 1, 16), picture(i + 2, 16)));
      }
      var vote = h('button', { type: 'button', 'data-negative': 'done', text: t('vote') });
      vote.addEventListener('click', function () { done('vote'); });
      post.appendChild(vote);
      post.appendChild(h('input', { type: 'text', 'aria-label': t('comment'), placeholder: t('comment') }));
      place.appendChild(post);
    },
    photos: function () {
      var m = dialog(t('photos'));
      K.append(m.box, h('input', { type: 'search', 'aria-label': t('search'), placeholder: t('search') }));
      var grid = h('div', { role: 'grid', style: { display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: '4px' } });
      for (var i = 0; i < ITEMS; i++) {
        var caption = i % 4 === 1 ? '0:' + (10 + i) : 'IMG_20' + (30 + i) + '.jpg';
        var cell = h('div', { role: 'checkbox', 'aria-checked': 'false', tabindex: '0', 'data-negative': 'item' }, picture(i, 80), h('span', { text: caption }));
        cell.addEventListener('click', (function (c) { return function () { c.setAttribute('aria-checked', c.getAttribute('aria-checked') === 'true' ? 'false' : 'true'); }; })(cell));
        grid.appendChild(cell);
      }
      K.append(m.box, grid);
      var send = h('button', { type: 'button', 'data-negative': 'done', text: t('send') });
      send.addEventListener('click', function () { done('send'); m.close(); });
      K.append(m.box, send);
    },
    emoji: function () {
      var m = dialog(t('emoji'));
      K.append(m.box, h('input', { type: 'search', 'aria-label': t('search'), placeholder: t('search') }));
      var list = h('div', { role: 'listbox', 'aria-multiselectable': 'true', style: { display: 'flex', flexWrap: 'wrap', gap: '4px' } });
      for (var i = 0; i < ITEMS; i++) {
        var option = h('div', { role: 'option', 'aria-selected': 'false', tabindex: '0', 'data-negative': 'item', style: { fontSize: '22px' } }, h('span', { text: EMOJI[i % EMOJI.length] }));
        option.addEventListener('click', (function (o) { return function () { o.setAttribute('aria-selected', 'true'); }; })(option));
        list.appendChild(option);
      }
      K.append(m.box, list);
      var insert = h('button', { type: 'button', 'data-negative': 'done', text: t('insert') });
      insert.addEventListener('click', function () { done('insert'); m.close(); });
      K.append(m.box, insert);
    },
    feed: function () {
      var m = dialog(t('notifications'));
      var grid = h('div', { role: 'grid' });
      for (var i = 0; i < ITEMS; i++) {
        var name = K.NAMES[i % K.NAMES.length];
        var row = h('div', { role: 'row', 'data-negative': 'item' },
          h('div', { role: 'gridcell', style: { display: 'flex', gap: '8px', padding: '4px 0' } }, picture(i, 36),
            h('span', {}, h('strong', { text: name }), ' ' + t('commented')), h('span', { text: t('hours', { n: i + 1 }) })));
        row.addEventListener('click', function () { K.log('read', {}); });
        grid.appendChild(row);
      }
      K.append(m.box, grid);
      var close = h('button', { type: 'button', 'data-negative': 'done', text: t('save') });
      close.addEventListener('click', function () { done('read-all'); m.close(); });
      K.append(m.box, close);
      var feed = h('div', { role: 'feed' });
      for (var j = 0; j < 6; j++) {
        feed.appendChild(h('div', { role: 'article', style: { background: '#fff', margin: '8px 0', padding: '8px' } },
          picture(j, 32), h('strong', { text: K.NAMES[j] }), h('p', { text: t('question') }),
          h('input', { type: 'text', 'aria-label': t('comment'), placeholder: t('comment') })));
      }
      place.appendChild(feed);
    },
  };
  opener.addEventListener('click', function () { (builders[kind] || builders.settings)(); });
  K.ready('negatives', { kinds: Object.keys(builders) });
})();
