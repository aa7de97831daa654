// Ravao's only script, and the pages work without it. It keeps the
// device token in local storage as well as in the cookie, so that a
// browser that drops its cookies still remembers the visitor; keeps the
// visitor's own visits on the phone and shows the exposure alerts they
// match; and shows a new personal QR code before the one on screen
// expires.
(function () {
  "use strict";
  var TOKEN = "ravao_device", VISITS = "ravao_visits", KEEP = 200;

  // The on-screen personal QR code rotates: fetch a new one before it expires.
  var qr = document.getElementById("qr-screen");
  if (qr && qr.dataset.refresh) {
    setTimeout(function () { location.reload(); }, Number(qr.dataset.refresh) * 1000);
  }

  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) { return; }

  var meta = document.querySelector('meta[name="ravao-device"]');
  if (meta && meta.content) {
    store.setItem(TOKEN, meta.content);
  } else if (meta && document.getElementById("erased")) {
    store.removeItem(TOKEN);
    store.removeItem(VISITS);
  } else if (meta && store.getItem(TOKEN) && once()) {
    // The page does not know this device, but local storage does: ask the
    // server to set the cookie again, then show the page as it should be.
    fetch("/api/v1/me/device", { method: "POST", credentials: "same-origin",
      headers: { "X-Ravao-Device": store.getItem(TOKEN) } })
      .then(function (r) {
        if (r.status === 204) { location.reload(); }
        else if (r.status === 401) { store.removeItem(TOKEN); }
      })
      .catch(function () {});
  }

  // once is true the first time in a browsing session, so that a browser
  // refusing cookies altogether is not reloaded again and again.
  function once() {
    try {
      if (window.sessionStorage.getItem("ravao_restored")) { return false; }
      window.sessionStorage.setItem("ravao_restored", "1");
      return true;
    } catch (e) { return false; }
  }

  function visits() {
    try { return JSON.parse(store.getItem(VISITS)) || []; } catch (e) { return []; }
  }

  var pass = document.getElementById("pass");
  if (pass && pass.dataset.visit) {
    var v = { id: pass.dataset.visit, venue: pass.dataset.venue, checkpoint: pass.dataset.checkpoint,
      in: pass.dataset.in, out: pass.dataset.out, red: pass.hasAttribute("data-red"),
      venueId: Number(pass.dataset.venueId), checkpointId: Number(pass.dataset.checkpointId),
      inMs: Number(pass.dataset.inMs), outMs: Number(pass.dataset.outMs) || 0 };
    var kept = visits().filter(function (o) { return o.id !== v.id; });
    kept.unshift(v);
    store.setItem(VISITS, JSON.stringify(kept.slice(0, KEEP)));
  }

  var mine = document.getElementById("device-visits");
  if (mine) {
    var list = mine.querySelector("ul");
    visits().forEach(function (o) {
      var li = document.createElement("li");
      li.textContent = o.venue + " · " + o.checkpoint + " · " + o.in + (o.out ? " – " + o.out : "");
      list.appendChild(li);
    });
    if (list.children.length) { mine.hidden = false; }
  }

  // Exposure alerts: the phone fetches the public list of windows, without
  // cookies, and matches it against the visits it keeps, so that nothing
  // about the visitor leaves the phone. A withdrawn window is gone at the
  // next load (the list is revalidated each time, cheaply by its ETag).
  var box = document.getElementById("exposure-alert");
  var stays = visits().filter(function (o) { return o.venueId && o.inMs; });
  if (box && stays.length && window.fetch) {
    fetch("/api/v1/exposures", { credentials: "omit", cache: "no-cache" })
      .then(function (r) { return r.ok ? r.json() : { windows: [] }; })
      .then(function (body) { showAlerts(box, (body.windows || []).filter(function (w) { return matches(w, stays); })); })
      .catch(function () {})
      .then(function () { box.dataset.checked = "1"; });
  }

  // matches applies the server's rule: same venue (and checkpoint, when
  // the window names one), the stay (in to out, or an hour from in when
  // there was no real check-out) overlapping the window.
  function matches(w, stays) {
    var from = Date.parse(w.from), to = Date.parse(w.to);
    return stays.some(function (o) {
      var end = o.outMs || o.inMs + 3600000;
      return o.venueId === w.venue_id && (!w.checkpoint_id || o.checkpointId === w.checkpoint_id) &&
        o.inMs < to && end > from;
    });
  }

  function showAlerts(box, hits) {
    var list = box.querySelector("ul"), lang = document.documentElement.lang, shown = {};
    [].forEach.call(list.children, function (li) { shown[li.dataset.window] = true; });
    hits = hits.filter(function (w) { return !shown[w.id]; });
    if (!hits.length) { return; }
    box.hidden = false;
    hits.forEach(function (w) {
      var li = document.createElement("li"), head = document.createElement("strong"), p = document.createElement("p");
      li.dataset.window = w.id;
      head.textContent = w.venue_name + " · " + when(w.from, box.dataset.tz) + " – " + when(w.to, box.dataset.tz);
      p.textContent = w.message[lang] || w.message.vi;
      li.appendChild(head);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  // when shows an instant as the pages do, 15:04 02/01/2006, in the
  // deployment's time zone tz (the phone's when the browser cannot).
  function when(s, tz) {
    var d = new Date(s), p = {};
    try {
      new Intl.DateTimeFormat("en-GB", { timeZone: tz, hourCycle: "h23", hour: "2-digit", minute: "2-digit",
        day: "2-digit", month: "2-digit", year: "numeric" }).formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
      return p.hour + ":" + p.minute + " " + p.day + "/" + p.month + "/" + p.year;
    } catch (e) {
      function two(n) { return (n < 10 ? "0" : "") + n; }
      return two(d.getHours()) + ":" + two(d.getMinutes()) + " " + two(d.getDate()) + "/" + two(d.getMonth() + 1) + "/" + d.getFullYear();
    }
  }
})();
