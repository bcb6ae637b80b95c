// whereto chat widget, for other sites:
//   <script src="https://HOST/chat/widget.js" async></script>
// adds a button that opens the chat in a panel (an iframe of /chat). The
// host page must be one of the origins in WHERETO_WEB_ORIGINS. Optional
// attributes on the script tag: data-start="hate-crime" (open on a
// route), data-label="..." (the button's words), data-lang="pl" (the
// chat's language; otherwise the host page's own lang, if whereto speaks
// it, else English). It styles its elements
// through the DOM, so a host page's CSP needs no 'unsafe-inline' for it,
// and it sets no cookies and stores nothing.
(function () {
  'use strict';
  var me = document.currentScript;
  if (!me || !me.src) return;
  var exitURL = "__EXIT_URL__";
  var chat = new URL('../chat', me.src);
  var start = me.getAttribute('data-start');
  // The widget's words in each language, from the message catalogues
  // (flows/lang), filled in by the server.
  var labels = {"__LABELS__": 0};
  var lang = (me.getAttribute('data-lang') || document.documentElement.lang || 'en').toLowerCase().split(/[-_]/)[0];
  if (!labels[lang]) lang = 'en';
  var words = labels[lang];
  var label = me.getAttribute('data-label') || words.open;
  var closeLabel = words.close;
  var src = chat.href + '?embed=1&lang=' + lang + (start && /^[a-z0-9-]{1,64}$/.test(start) ? '&start=' + start : '');
  var panel = null;
  var button = null;

  function css(el, s) { for (var k in s) el.style[k] = s[k]; return el; }

  function exit() {
    if (panel) panel.remove();
    window.location.replace(exitURL);
  }

  function close() {
    if (!panel) return;
    panel.remove(); // a closed chat leaves nothing behind, not even in the frame
    panel = null;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }

  function open() {
    if (panel) { close(); return; }
    panel = css(document.createElement('div'), {
      position: 'fixed', right: '0', bottom: '0', zIndex: '2147483647',
      width: 'min(28rem, 100vw)', height: 'min(44rem, 100vh)', maxHeight: '100dvh',
      background: '#fff', border: '2px solid #0b0c0c', boxShadow: '0 0 1rem rgba(0,0,0,.3)',
      display: 'flex', flexDirection: 'column'
    });
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('lang', lang);
    panel.setAttribute('dir', words.dir);
    panel.setAttribute('aria-label', label);
    var bar = css(document.createElement('div'), { display: 'flex', justifyContent: 'flex-end', background: '#f3f2f1' });
    var x = css(document.createElement('button'), {
      font: 'inherit', fontSize: '1rem', minHeight: '2.75rem', padding: '.25rem 1rem', cursor: 'pointer',
      background: '#fff', color: '#003078', border: '2px solid #003078', margin: '.25rem'
    });
    x.type = 'button';
    x.textContent = closeLabel;
    x.addEventListener('click', close);
    bar.appendChild(x);
    var frame = css(document.createElement('iframe'), { flex: '1 1 auto', width: '100%', border: '0' });
    frame.title = label;
    frame.src = src;
    frame.setAttribute('referrerpolicy', 'no-referrer');
    panel.appendChild(bar);
    panel.appendChild(frame);
    document.body.appendChild(panel);
    button.setAttribute('aria-expanded', 'true');
    frame.focus();
  }

  window.addEventListener('message', function (e) {
    if (e.origin === chat.origin && e.data && e.data.whereto === 'exit') exit();
  });
  document.addEventListener('keydown', function (e) {
    if (panel && (e.key === 'Escape' || e.key === 'Esc')) { e.preventDefault(); exit(); }
  });

  function init() {
    button = css(document.createElement('button'), {
      position: 'fixed', right: '1rem', bottom: '1rem', zIndex: '2147483646',
      font: 'inherit', fontSize: '1.125rem', fontWeight: '700', minHeight: '3rem', padding: '.5rem 1.25rem',
      background: '#003078', color: '#fff', border: '2px solid #fff', borderRadius: '.25rem',
      boxShadow: '0 0 0 2px #003078', cursor: 'pointer'
    });
    button.type = 'button';
    button.textContent = label;
    button.setAttribute('lang', lang);
    button.setAttribute('dir', words.dir);
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', open);
    document.body.appendChild(button);
  }
  if (document.body) init(); else document.addEventListener('DOMContentLoaded', init);
})();
