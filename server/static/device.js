// Ravao's only script, and the pages work without it. It keeps the
// device token in local storage as well as in the cookie, so that a
// browser that drops its cookies still remembers the visitor; keeps the
// visitor's own visits on the phone for matching exposure alerts later;
// and shows a new personal QR code before the one on screen expires.
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
      in: pass.dataset.in, out: pass.dataset.out, red: pass.hasAttribute("data-red") };
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
})();
