/* Benchmark page (tests/bench/run.mjs): a Facebook-like group page whose feed is virtualised and
 * churns. A fixed pool of posts is recycled: each recycle moves one post (its `style`) and rebinds
 * its author, text and time (three text replacements), i.e. four DOM mutations, each one
 * MutationRecord, all of kinds the content core observes. `__bench.churn({rate, seconds})` runs
 * about `rate` mutations per second for `seconds` and resolves with what it did.
 * Not part of the fixture catalogue (index.json); the end-to-end tests never open it. */
(function () {
  'use strict';
  // The page poses as a group page (the content core reads groups from the URL).
  history.replaceState(null, '', '/groups/bench-churn/' + location.search);

  var POOL = 8;
  var ROW = 72;
  var MUTATIONS_PER_RECYCLE = 4;
  var AUTHORS = ['Anna Schmidt', 'Jonas Weber', 'Lea Fischer', 'Paul Wagner', 'Mia Becker',
    'Ben Hoffmann', 'Emma Schulz', 'Noah Koch', 'Sofia Richter', 'Elias Klein'];
  var TOPICS = ['the weekend hike', 'a flat in Neukölln', 'the book swap', 'bike repairs',
    'the summer party', 'a lost cat', 'German lessons', 'the tram strike'];

  function h(tag, attrs, text) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text != null) el.textContent = text;
    return el;
  }

  var app = document.getElementById('app');
  app.appendChild(h('div', { role: 'banner', class: 'b-top' }, 'facebook'));
  var main = h('div', { role: 'main', class: 'b-main' });
  var header = h('div', { class: 'b-card' });
  var title = h('h1');
  title.appendChild(h('a', { href: '/groups/bench-churn/' }, 'Bench Churn Group'));
  header.appendChild(title);
  header.appendChild(h('div', { class: 'b-muted' }, 'Private group \u00b7 2,000 members'));
  header.appendChild(h('div', { role: 'button', tabindex: '0', class: 'b-btn' }, 'Joined'));
  header.appendChild(h('div', { role: 'button', tabindex: '0', class: 'b-btn b-primary' }, 'Invite'));
  main.appendChild(header);
  var feed = h('div', { role: 'feed', class: 'b-feed', 'aria-label': 'Posts' });
  main.appendChild(feed);
  app.appendChild(main);

  var seq = 0;
  var posts = [];
  for (var i = 0; i < POOL; i++) {
    var post = h('div', { role: 'article', class: 'b-post' });
    post.__author = h('span', { class: 'b-author' }, '');
    post.__time = h('span', { class: 'b-muted' }, '');
    post.__text = h('div', {}, '');
    post.appendChild(post.__author);
    post.appendChild(post.__time);
    post.appendChild(post.__text);
    feed.appendChild(post);
    posts.push(post);
    recycle();
  }

  /** Rebinds the next post of the pool to a new item: four mutations. */
  function recycle() {
    var post = posts[seq % POOL];
    post.style.top = (seq % (2 * POOL)) * (ROW / 2) + 'px';
    post.__author.textContent = AUTHORS[seq % AUTHORS.length];
    post.__time.textContent = (seq % 59) + 1 + ' min';
    post.__text.textContent = 'Post ' + seq + ': who is in for ' + TOPICS[seq % TOPICS.length] + '?';
    seq += 1;
  }

  window.__bench = {
    ready: true,
    mutationsPerRecycle: MUTATIONS_PER_RECYCLE,
    /** Churns at about `rate` mutations per second for `seconds`; resolves with the count. */
    churn: function (opts) {
      var rate = opts.rate || 2000;
      var ms = (opts.seconds || 10) * 1000;
      return new Promise(function (done) {
        var start = performance.now();
        var recycled = 0;
        var timer = setInterval(function () {
          var elapsed = Math.min(performance.now() - start, ms);
          var due = Math.floor((rate * elapsed) / 1000 / MUTATIONS_PER_RECYCLE);
          while (recycled < due) { recycle(); recycled += 1; }
          if (elapsed >= ms) {
            clearInterval(timer);
            done({ mutations: recycled * MUTATIONS_PER_RECYCLE, ms: performance.now() - start });
          }
        }, 10);
      });
    },
  };
  document.documentElement.setAttribute('data-bench-ready', '1');
})();
