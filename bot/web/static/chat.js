// whereto web chat: makes the server-rendered form smoother. Without this
// file the page works as plain forms. It sets no cookies and stores
// nothing (no localStorage, no sessionStorage, no history entries).
(function () {
  'use strict';
  var exitLink = document.getElementById('exit');
  if (!exitLink) return;
  var exitURL = exitLink.getAttribute('data-exit') || exitLink.href;
  var gone = false;

  // Quick exit: replace this page (and, in the widget, the page around
  // it) with the neutral site, so that Back does not come here.
  function exit(e) {
    if (e) e.preventDefault();
    if (gone) return;
    gone = true;
    document.body.textContent = '';
    document.title = '';
    try {
      if (window.parent !== window) window.parent.postMessage({ whereto: 'exit' }, '*');
    } catch (_) { /* nothing to tell */ }
    try {
      window.top.location.replace(exitURL);
    } catch (_) {
      window.location.replace(exitURL);
    }
  }
  exitLink.addEventListener('click', exit);
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' || e.key === 'Esc') exit(e);
  }, true);
  var note = document.getElementById('exit-note');
  if (note) note.hidden = false;

  var log = document.getElementById('log');
  var text = document.getElementById('text');
  var tpl = document.getElementById('neterr');
  var busy = false;
  var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  function show(node) {
    node.classList.add('new');
    log.appendChild(node);
    return node;
  }

  function echo(words) {
    var you = document.createElement('span');
    you.className = 'sr';
    you.textContent = log.getAttribute('data-you') + ' ';
    var m = document.createElement('div');
    m.className = 'msg me';
    m.dir = 'auto';
    m.appendChild(you);
    m.appendChild(document.createTextNode(words));
    show(m);
  }

  function reveal(first, focus) {
    if (!first) return;
    if (focus) {
      first.tabIndex = -1;
      first.focus({ preventScroll: true });
    }
    first.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
  }

  // relabel takes the page's own words from doc when its language
  // changed (the person chose another, or wrote in one): the page's
  // language and direction, title, and the words around the conversation.
  function relabel(doc) {
    var now = document.documentElement, next = doc.documentElement;
    if (!next.lang || next.lang === now.lang) return;
    now.lang = next.lang;
    now.dir = next.dir;
    document.title = doc.title;
    ['h1', '#exit-note', 'label[for=text]', '#send button', '#forget button', '#language button', '#neterr'].forEach(function (sel) {
      var a = document.querySelector(sel), b = doc.querySelector(sel);
      if (a && b) (a.content || a).replaceChildren.apply(a.content || a, Array.prototype.map.call((b.content || b).childNodes, function (n) {
        return document.importNode(n, true);
      }));
    });
    exitLink.textContent = doc.getElementById('exit').textContent;
    ['log', 'choices'].forEach(function (id) {
      var a = document.getElementById(id), b = doc.getElementById(id);
      if (a && b) a.setAttribute('aria-label', b.getAttribute('aria-label'));
    });
    log.setAttribute('data-you', doc.getElementById('log').getAttribute('data-you'));
    document.querySelectorAll('input[name=l]').forEach(function (i) { i.value = next.lang; });
  }

  // apply puts a page's new messages, token and buttons into this one.
  function apply(html, status, focus) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    if (doc.getElementById('log')) relabel(doc);
    var first = null;
    doc.querySelectorAll('#log .msg.bot').forEach(function (m) {
      var n = show(document.importNode(m, true));
      first = first || n;
    });
    var tok = doc.querySelector('input[name=c]');
    if (tok) {
      document.querySelectorAll('input[name=c]').forEach(function (i) { i.value = tok.value; });
      var now = document.getElementById('choices');
      var next = doc.getElementById('choices');
      if (now && next) now.replaceChildren.apply(now, Array.prototype.map.call(next.childNodes, function (n) {
        return document.importNode(n, true);
      }));
    } else if (status !== 429) {
      // The conversation cannot go on (a bad link): offer a new one.
      var again = doc.querySelector('.again');
      document.querySelectorAll('form.turn').forEach(function (f) { f.remove(); });
      if (again) log.after(document.importNode(again, true));
    }
    reveal(first, focus);
  }

  function failed(words) {
    if (words && text) text.value = words;
    reveal(show(tpl.content.firstElementChild.cloneNode(true)), false);
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains('turn')) return;
    e.preventDefault();
    if (busy) return;
    var body = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { body.append(k, v); });
    var by = e.submitter;
    if (by && by.name) body.append(by.name, by.value);
    var typed = null;
    var focusNew = true;
    if (body.has('forget')) {
      body.set('cleared', String(log.querySelectorAll('.msg').length));
      log.replaceChildren();
    } else if (body.has('choice') || form.id === 'language') {
      echo(by.textContent);
    } else {
      typed = body.get('text') || '';
      if (!typed.trim()) { text.focus(); return; }
      echo(typed);
      text.value = '';
      focusNew = false;
    }
    busy = true;
    log.setAttribute('aria-busy', 'true');
    document.body.classList.add('busy');
    fetch(form.action, {
      method: 'POST', body: body, credentials: 'omit', cache: 'no-store', redirect: 'error',
      headers: { 'X-Whereto-Script': '1' }
    }).then(function (r) {
      return r.text().then(function (html) { apply(html, r.status, focusNew); });
    }).catch(function () {
      failed(typed);
    }).then(function () {
      busy = false;
      log.removeAttribute('aria-busy');
      document.body.classList.remove('busy');
      if (!focusNew && text && document.contains(text)) text.focus();
    });
  });

  // Enter sends; Shift+Enter makes a new line.
  if (text) text.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      text.form.requestSubmit();
    }
  });
})();
