// ark dashboard: the only script (served from /static, so the page's policy allows no other, and no inline code).
// It signs in from the link ark dashboard printed, and keeps a run's page live from the server's event stream.
(function () {
  'use strict';

  // The printed link carries the code after '#': a fragment never reaches the server, its logs or a Referer.
  var signIn = document.getElementById('sign-in');
  if (signIn && location.hash.indexOf('#code=') === 0) {
    var code = decodeURIComponent(location.hash.slice('#code='.length));
    history.replaceState(null, '', location.pathname);
    signIn.elements.secret.value = code;
    signIn.submit();
    return;
  }

  var live = document.getElementById('live');
  if (!live || !window.EventSource || !window.DOMParser) {
    return;
  }
  var status = document.createElement('p');
  status.id = 'live-status';
  status.className = 'sub';
  status.setAttribute('role', 'status');
  live.insertAdjacentElement('afterend', status);

  var url = live.dataset.live;
  url += (url.indexOf('?') < 0 ? '?' : '&') + 'version=' + encodeURIComponent(live.dataset.version || '');
  var source = new EventSource(url);
  status.textContent = 'Live: updates as the run changes.';

  // Replace a part of the page by the server's new rendering of it (already escaped there); parsed inertly.
  function apply(patch) {
    var old = document.getElementById(patch.id);
    if (!old) {
      return;
    }
    var parsed = new DOMParser().parseFromString(patch.html, 'text/html').body.firstElementChild;
    if (!parsed || parsed.id !== patch.id) {
      return;
    }
    var fresh = document.importNode(parsed, true);
    if (old.tagName === 'DETAILS' && fresh.tagName === 'DETAILS') {
      fresh.open = old.open; // what the person opened or closed stays so
    }
    var focused = document.activeElement && old.contains(document.activeElement) ? document.activeElement.id : null;
    var scroll = old.scrollLeft;
    old.replaceWith(fresh);
    fresh.scrollLeft = scroll;
    if (focused && document.getElementById(focused)) {
      document.getElementById(focused).focus();
    }
  }

  source.addEventListener('patch', function (event) {
    JSON.parse(event.data).forEach(apply);
    live.dataset.updates = String(Number(live.dataset.updates || '0') + 1);
  });
  source.addEventListener('done', function (event) {
    source.close();
    live.dataset.state = 'done';
    status.textContent = 'The run ended: ' + JSON.parse(event.data).phase + '.';
  });
  source.addEventListener('gone', function () {
    source.close();
    live.dataset.state = 'gone';
    status.textContent = 'This run was deleted.';
  });
  source.addEventListener('refused', function () {
    source.close();
    live.dataset.state = 'refused';
    status.textContent = 'Live updates were refused (your rights may not include watching runs); reload to see changes.';
  });
  source.onerror = function () {
    if (live.dataset.state !== 'done') {
      status.textContent = 'Live updates interrupted; reconnecting…';
    }
  };
  source.onopen = function () {
    status.textContent = 'Live: updates as the run changes.';
  };
})();
