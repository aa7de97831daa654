// The gate console's script. The page works without it: every form posts
// to the server. With it, the same page scans with the camera (the
// browser's BarcodeDetector, or frames decoded by the server) and with
// handheld scanners that type like a keyboard, whatever field has focus;
// shows each decision at once, with a sound and a vibration; and keeps
// scanning when the network drops: Ravao personal QR codes are checked
// with the server's public key (WebCrypto Ed25519), ID card codes are let
// in as yellow, and every scan waits in IndexedDB until it syncs.
(function () {
  "use strict";

  var root = document.getElementById("gate");
  if (!root || !window.fetch || !window.JSON) { return; }
  var text = root.dataset;
  var checkpoint = Number(text.checkpoint);
  var PREFIX = "84001", KEY_STORE = "ravao_gate_key", CAMERA_STORE = "ravao_gate_camera";
  var CACHE = "ravao-gate-v1"; // the service worker's cache (gate-sw.js)

  function $(id) { return document.getElementById(id); }
  function noop() {}

  // uuid names a scan; crypto.randomUUID needs a secure context.
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function fill(template, n) { return template.replace("{n}", String(n)); }

  // api calls the gate API; it rejects only when the network fails, or
  // when a proxy says the server cannot be reached.
  function api(method, path, body, type) {
    var opts = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      opts.headers["Content-Type"] = type || "application/json";
      opts.body = type ? body : JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      if (r.status === 502 || r.status === 504) { throw new Error("unreachable"); }
      return r.json().catch(function () { return {}; }).then(function (b) {
        return { ok: r.ok, status: r.status, body: b };
      });
    });
  }

  function errorMessage(body) {
    var e = body && body.error;
    if (!e) { return text.error; }
    var msgs = [e.message];
    for (var f in e.fields || {}) {
      if (msgs.indexOf(e.fields[f]) < 0) { msgs.push(e.fields[f]); }
    }
    return msgs;
  }

  // ---- the decision --------------------------------------------------

  var block = $("decision"), word = $("decision-word"), who = $("decision-who"), notes = $("decision-notes");

  function show(kind, title, person, lines) {
    block.className = "decision decision-" + kind;
    word.textContent = title;
    who.textContent = person || "";
    who.hidden = !person;
    notes.textContent = "";
    (lines || []).forEach(function (l) {
      var li = document.createElement("li");
      li.textContent = l;
      notes.appendChild(li);
    });
    block.hidden = false;
  }

  function person(name, year) {
    return [name, year ? fill(text.born, year) : ""].filter(Boolean).join(" · ");
  }

  // showResult shows a scan's result: from the server, or decided here
  // offline (queued).
  function showResult(res, offline) {
    var out = res.direction === "out", lines = [];
    if (!out && res.decision === "red") { lines.push(text.desk); }
    if (!out && res.decision === "yellow" && res.person_id) { lines.push(text.declare); }
    if (res.repeated) { lines.push(text.repeated); }
    if (res.note) { lines.push(res.note); }
    if (offline) { lines.push(res.unverified ? text.unverified : text.queued); }
    show(out ? "out" : res.decision, out ? text.out : text[res.decision], person(res.name, res.birth_year), lines);
    signal(out ? "out" : res.decision);
    askAnswers(!out && res.decision === "yellow" ? res.person_id : 0);
  }

  function showError(lines) {
    show("error", text.error, "", [].concat(lines));
    signal("error");
  }

  // ---- sound and vibration -------------------------------------------

  var audio = null;
  var TONES = {
    green: [[880, 0, 0.15]],
    yellow: [[660, 0, 0.12], [660, 0.22, 0.12]],
    red: [[220, 0, 0.7]],
    out: [[520, 0, 0.1]],
    error: [[300, 0, 0.15], [300, 0.25, 0.15]]
  };
  var BUZZ = { green: 100, yellow: [100, 80, 100], red: 700, out: 50, error: [60, 60, 60] };

  function signal(kind) {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      audio = audio || new Ctx();
      if (audio.state === "suspended") { audio.resume(); }
      TONES[kind].forEach(function (t) {
        var osc = audio.createOscillator(), gain = audio.createGain(), at = audio.currentTime + t[1];
        osc.frequency.value = t[0];
        gain.gain.value = 0.25;
        osc.connect(gain);
        gain.connect(audio.destination);
        osc.start(at);
        osc.stop(at + t[2]);
      });
    } catch (e) { /* no sound on this browser */ }
    if (navigator.vibrate && navigator.userActivation && navigator.userActivation.hasBeenActive) {
      navigator.vibrate(BUZZ[kind]);
    }
  }

  // ---- scanning ------------------------------------------------------

  var lastSeen = {};

  function direction() {
    var r = document.querySelector('#scan-form input[name="direction"]:checked');
    return r ? r.value : "in";
  }

  // scanPayload records what a camera or scanner read; the same code read
  // again within 3 seconds is the same scan.
  function scanPayload(payload) {
    payload = clean(payload);
    if (!payload) { return Promise.resolve(); }
    var now = Date.now();
    if (lastSeen[payload] && now - lastSeen[payload] < 3000) { return Promise.resolve(); }
    lastSeen[payload] = now;
    return send({ payload: payload });
  }

  // send records a scan (a payload, or a phone with its code); it resolves
  // to whether the server recorded it.
  function send(fields) {
    var item = { direction: direction(), idempotency_key: uuid(), device_time: new Date().toISOString() };
    Object.keys(fields).forEach(function (k) { item[k] = fields[k]; });
    if (item.payload && !navigator.onLine) { return keepOffline(item).then(function () { return false; }); }
    var body = Object.assign({ checkpoint_id: checkpoint }, item);
    return api("POST", "/api/v1/gate/scans", body).then(function (r) {
      if (!r.ok) {
        showError(errorMessage(r.body));
        return false;
      }
      showResult(r.body, false);
      refresh();
      return true;
    }, function () {
      if (item.payload) { return keepOffline(item).then(function () { return false; }); }
      showError(text.offline);
      return false;
    });
  }

  // clean normalises what a scanner typed: NFC, without control, format
  // or unassigned characters that some input methods add.
  var invisible;
  try { invisible = new RegExp("\\p{C}", "gu"); } catch (e) { invisible = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\ufeff]/g; }
  function clean(s) {
    return String(s).normalize("NFC").replace(invisible, "").trim();
  }

  // ---- offline decisions ---------------------------------------------

  // decideOffline decides a payload with no server: a personal QR code by
  // its signature, green bit and expiry; an ID card or 2021 code yellow.
  function decideOffline(p) {
    if (p.length === 196 && p.indexOf(PREFIX) === 0 && /^\d+$/.test(p)) { return checkPersonal(p); }
    var f = p.split("|").map(function (x) { return x.trim(); });
    if (f.length === 6 && /^\d{1,2}$/.test(f[3])) {
      return Promise.resolve({ decision: "yellow", name: mask(f[1]), birth_year: yearOf(f[2]), unverified: true });
    }
    if (f.length >= 7 && (f[1] === "" || /^\d{9}$/.test(f[1])) && /^\d{8}$/.test(f[3])) {
      return Promise.resolve({ decision: "yellow", name: mask(f[2]), birth_year: Number(f[3].slice(4)), unverified: true });
    }
    return Promise.resolve({ error: text.unknown });
  }

  function yearOf(date) {
    var m = /(\d{4})\s*$/.exec(date);
    return m ? Number(m[1]) : 0;
  }

  // mask is ravao.MaskName: the family name, then initials.
  function mask(name) {
    var words = clean(name).split(/\s+/).filter(Boolean);
    if (!words.length) { return ""; }
    var initial = function (w) { return Array.from(w)[0]; };
    if (words.length === 1) { return initial(words[0]) + "***"; }
    var out = [words[0]];
    words.slice(1, -1).forEach(function (w) { out.push(initial(w) + "***"); });
    out.push(initial(words[words.length - 1]));
    return out.join(" ");
  }

  // rawBytes turns the 191 digits after the prefix into the 79 bytes of
  // body and signature (see package personalqr).
  function rawBytes(digits) {
    if (typeof BigInt !== "function") { return null; }
    var n = BigInt(digits);
    if (n >> BigInt(632) !== BigInt(0)) { return null; }
    var hex = n.toString(16);
    hex = new Array(158 - hex.length + 1).join("0") + hex;
    var b = new Uint8Array(79);
    for (var i = 0; i < 79; i++) { b[i] = parseInt(hex.substr(i * 2, 2), 16); }
    return b;
  }

  function checkPersonal(p) {
    var raw = rawBytes(p.slice(PREFIX.length));
    if (!raw) { return Promise.resolve({ error: text.invalid }); }
    var key = localStorage.getItem(KEY_STORE);
    if (!key || !window.crypto || !crypto.subtle) { return Promise.resolve({ decision: "yellow", unverified: true }); }
    var body = raw.slice(0, 15), sig = raw.slice(15);
    var label = new TextEncoder().encode("ravao personal qr\u0000" + PREFIX);
    var msg = new Uint8Array(label.length + body.length);
    msg.set(label);
    msg.set(body, label.length);
    var pub = Uint8Array.from(atob(key), function (c) { return c.charCodeAt(0); });
    return crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]).then(function (k) {
      return crypto.subtle.verify({ name: "Ed25519" }, k, sig, msg).then(function (ok) {
        if (!ok) { return { error: text.invalid }; }
        var kind = body[0] >> 6, green = (body[0] >> 5) & 1;
        var expires = ((body[7] << 24) >>> 0) + (body[8] << 16) + (body[9] << 8) + body[10];
        if (kind !== 1 && kind !== 2) { return { error: text.invalid }; }
        if (expires * 1000 < Date.now()) { return { error: text.expired }; }
        return { decision: green ? "green" : "yellow" };
      });
    }, function () {
      return { decision: "yellow", unverified: true }; // no Ed25519 in this browser: the server checks on sync
    });
  }

  function keepOffline(item) {
    return decideOffline(item.payload).then(function (d) {
      if (d.error) { return showError(d.error); }
      item.checkpoint_id = checkpoint;
      return queue.put(item).then(function () {
        d.direction = item.direction;
        showResult(d, true);
        return countWaiting();
      });
    }).catch(function () { showError(text.error); });
  }

  // cacheKey keeps the server's public key for offline checks.
  function cacheKey() {
    api("GET", "/api/v1/gate/key").then(function (r) {
      if (r.ok && r.body.public_key) { localStorage.setItem(KEY_STORE, r.body.public_key); }
    }, noop);
  }

  // ---- the queue (IndexedDB "ravao-gate", store "queue") -------------

  var queue = (function () {
    var opened = null;
    function open() {
      opened = opened || new Promise(function (ok, ko) {
        var rq = indexedDB.open("ravao-gate", 1);
        rq.onupgradeneeded = function () { rq.result.createObjectStore("queue", { keyPath: "idempotency_key" }); };
        rq.onsuccess = function () { ok(rq.result); };
        rq.onerror = function () { ko(rq.error); };
      });
      return opened;
    }
    function run(mode, f) {
      return open().then(function (db) {
        return new Promise(function (ok, ko) {
          var tx = db.transaction("queue", mode), rq = f(tx.objectStore("queue"));
          tx.oncomplete = function () { ok(rq && rq.result); };
          tx.onerror = tx.onabort = function () { ko(tx.error); };
        });
      });
    }
    return {
      put: function (item) { return run("readwrite", function (s) { return s.put(item); }); },
      mine: function () {
        return run("readonly", function (s) { return s.getAll(); }).then(function (all) {
          return all.filter(function (i) { return i.checkpoint_id === checkpoint; })
            .sort(function (a, b) { return a.device_time < b.device_time ? -1 : 1; });
        });
      },
      remove: function (keys) {
        return run("readwrite", function (s) { keys.forEach(function (k) { s.delete(k); }); });
      }
    };
  })();

  var waiting = 0, syncing = false, SYNC_BATCH = 500;

  function countWaiting() {
    return queue.mine().then(function (items) {
      waiting = items.length;
      var el = $("queue");
      el.textContent = fill(text.waiting, waiting);
      el.hidden = waiting === 0;
    });
  }

  // sync sends the queue in batches; the server records each scan once,
  // so what it accepted, already had or refused leaves the queue, and
  // what it refused is listed with the reason.
  function sync() {
    if (syncing || !navigator.onLine) { return Promise.resolve(); }
    syncing = true;
    var synced = 0;
    return queue.mine().then(function next(items) {
      if (!items.length) { return; }
      var batch = items.slice(0, SYNC_BATCH);
      var scans = batch.map(function (i) {
        return { payload: i.payload, direction: i.direction, idempotency_key: i.idempotency_key, device_time: i.device_time };
      });
      return api("POST", "/api/v1/gate/scans/batch", { checkpoint_id: checkpoint, scans: scans }).then(function (r) {
        if (!r.ok) { throw new Error("sync refused"); }
        synced += r.body.accepted;
        listRejected(batch, r.body.rejected || []);
        return queue.remove(batch.map(function (i) { return i.idempotency_key; })).then(function () {
          return next(items.slice(SYNC_BATCH));
        });
      });
    }).then(function () {
      if (synced) { show("out", fill(text.synced, synced), "", []); }
    }).catch(noop).then(function () {
      syncing = false;
      refresh();
      return countWaiting();
    });
  }

  function listRejected(batch, rejected) {
    if (!rejected.length) { return; }
    var box = $("rejected"), list = box.querySelector("ul");
    rejected.forEach(function (rj) {
      var item = batch.filter(function (i) { return i.idempotency_key === rj.idempotency_key; })[0];
      var li = document.createElement("li");
      li.textContent = (item ? clock(item.device_time) + " · " : "") + rj.message;
      list.appendChild(li);
    });
    box.hidden = false;
  }

  function online() {
    $("offline").hidden = navigator.onLine;
    if (navigator.onLine) { sync(); }
  }

  // ---- counters and latest scans -------------------------------------

  var timeFormat;
  try {
    timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: text.tz });
  } catch (e) {
    timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  }
  function clock(iso) { return timeFormat.format(new Date(iso)); }

  function refresh() {
    if (!navigator.onLine) { return; }
    api("GET", "/api/v1/gate/checkpoints/" + checkpoint).then(function (r) {
      if (!r.ok) { return; }
      $("count-in").textContent = r.body.counts.in;
      $("count-out").textContent = r.body.counts.out;
      $("count-inside").textContent = r.body.counts.inside;
      var list = $("recent");
      list.textContent = "";
      r.body.recent.forEach(function (v) {
        var li = document.createElement("li"), time = document.createElement("span"),
          w = document.createElement("strong"), p = document.createElement("span");
        li.className = "recent-" + v.decision;
        time.className = "recent-time";
        time.textContent = clock(v.at);
        w.className = "recent-word";
        w.textContent = text[v.decision];
        p.className = "recent-who";
        p.textContent = [v.name, v.birth_year || ""].filter(Boolean).join(" · ");
        li.append(time, " ", w, " ", p);
        list.appendChild(li);
      });
      $("recent-none").hidden = r.body.recent.length > 0;
    }, noop);
  }

  // ---- handheld scanners ---------------------------------------------

  // A scanner types its code fast (characters under GAP ms apart) and
  // ends with Enter, into whatever has focus. Characters are collected
  // from their key values as typed (keypress also carries those a scanner
  // sends as Alt codes or unidentified keys); an input method's own keys,
  // "Process" and composition, are skipped, and Backspace takes a
  // character back, as an input method rewriting a letter does. Digits and
  // "|", what identifies a person, are never the input method's. On
  // Enter, what the scan typed into a field is taken out again and the
  // code is scanned.
  var GAP = 50, MIN = 10;
  var burst = { text: "", last: 0, field: null, before: "" };

  function isField(el) {
    return el && (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && /^(text|tel|search|number|email|url|password|)$/.test(el.type)));
  }

  // tick starts a new burst when the last key is too long ago. Events
  // carry the time the key was pressed, so a busy page does not split a
  // scan.
  function tick(e) {
    var now = e.timeStamp || performance.now();
    if (now - burst.last > GAP) { burst.text = ""; }
    burst.last = now;
  }

  document.addEventListener("keydown", function (e) {
    if (e.isComposing || e.key === "Process" || e.keyCode === 229) {
      tick(e); // the input method's keys: part of the burst, though what they type is not seen
      return;
    }
    if (e.key === "Backspace") {
      tick(e);
      burst.text = Array.from(burst.text).slice(0, -1).join("");
    }
    if (e.key !== "Enter") { return; }
    tick(e);
    var code = clean(burst.text);
    burst.text = "";
    if (code.length < MIN) { return; }
    e.preventDefault();
    e.stopImmediatePropagation();
    if (burst.field && burst.field.value !== burst.before) { burst.field.value = burst.before; }
    scanPayload(code);
  }, true);

  document.addEventListener("keypress", function (e) {
    if (e.isComposing || e.ctrlKey || e.metaKey || Array.from(e.key).length !== 1) { return; }
    tick(e);
    if (!burst.text) {
      burst.field = isField(e.target) ? e.target : null;
      burst.before = burst.field ? burst.field.value : "";
    }
    burst.text += e.key;
  }, true);

  // ---- the camera ----------------------------------------------------

  var camera = { stream: null, timer: 0, busy: false, detector: null };
  var video = $("camera-video"), toggle = $("camera-toggle"), hint = $("camera-hint"), canvas = document.createElement("canvas");
  var hintText = hint.textContent;

  function startCamera() {
    navigator.mediaDevices.getUserMedia({ audio: false, video: { facingMode: "environment" } }).then(function (stream) {
      camera.stream = stream;
      video.srcObject = stream;
      video.hidden = hint.hidden = false;
      toggle.textContent = text.cameraStop;
      localStorage.setItem(CAMERA_STORE, "on");
      return video.play().then(detector).then(function (d) {
        camera.detector = d;
        camera.timer = setInterval(d ? detectNative : detectOnServer, d ? 250 : 500);
      });
    }).catch(function () {
      stopCamera();
      showError(text.cameraError);
    });
  }

  function stopCamera() {
    clearInterval(camera.timer);
    if (camera.stream) { camera.stream.getTracks().forEach(function (t) { t.stop(); }); }
    camera.stream = null;
    video.hidden = hint.hidden = true;
    toggle.textContent = text.cameraStart;
  }

  // detector is the browser's own QR code reader, where there is one.
  function detector() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    return BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0 ? new BarcodeDetector({ formats: ["qr_code"] }) : null;
    }, function () { return null; });
  }

  function detectNative() {
    if (camera.busy || video.readyState < 2) { return; }
    camera.busy = true;
    camera.detector.detect(video).then(function (codes) {
      if (codes.length) { return scanPayload(codes[0].rawValue); }
    }).catch(noop).then(function () { camera.busy = false; });
  }

  // detectOnServer sends the middle of the picture, as a JPEG, to the
  // server's decoder, one frame at a time; frames without a code are
  // skipped quietly.
  function detectOnServer() {
    if (camera.busy || video.readyState < 2 || !video.videoWidth) { return; }
    hint.textContent = navigator.onLine ? hintText : text.cameraOffline;
    if (!navigator.onLine) { return; }
    camera.busy = true;
    var side = Math.min(video.videoWidth, video.videoHeight), size = Math.min(side, 640);
    canvas.width = canvas.height = size;
    canvas.getContext("2d").drawImage(video, (video.videoWidth - side) / 2, (video.videoHeight - side) / 2, side, side, 0, 0, size, size);
    canvas.toBlob(function (blob) {
      if (!blob) { camera.busy = false; return; }
      api("POST", "/api/v1/gate/frames", blob, "image/jpeg").then(function (r) {
        if (r.ok && r.body.payload) { return scanPayload(r.body.payload); }
      }).catch(noop).then(function () { camera.busy = false; });
    }, "image/jpeg", 0.7);
  }

  // ---- the forms -----------------------------------------------------

  var scanForm = $("scan-form"), payloadField = $("g-payload");
  scanForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var p = payloadField.value;
    payloadField.value = "";
    lastSeen = {}; // typed on purpose: scan it even if just seen
    scanPayload(p);
  });

  function answersOf(form) {
    var a = {};
    new FormData(form).forEach(function (v, k) {
      if (k.indexOf("q.") === 0) { (a[k.slice(2)] = a[k.slice(2)] || []).push(v); }
    });
    return a;
  }

  var answerBox = $("answer"), answerForm = $("answer-form");
  function askAnswers(personID) {
    answerBox.hidden = !personID;
    if (personID) {
      answerForm.reset();
      $("a-person").value = personID;
    }
  }
  answerForm.addEventListener("submit", function (e) {
    e.preventDefault();
    declare({ person_id: Number($("a-person").value), answers: answersOf(answerForm) });
  });

  var declareForm = $("declare-form");
  declareForm.addEventListener("submit", function (e) {
    if (e.submitter && e.submitter.name === "step") { return; } // another province: the server lists its communes
    e.preventDefault();
    var f = new FormData(declareForm);
    declare({
      consent: f.get("consent") === "yes", answers: answersOf(declareForm), idempotency_key: uuid(),
      profile: {
        full_name: f.get("full_name") || "", phone: f.get("phone") || "", id_number: f.get("id_number") || "",
        birth_year: Number(f.get("birth_year")) || 0, sex: f.get("sex") || "", unit_code: f.get("unit") || ""
      }
    }).then(function (ok) {
      if (ok) {
        declareForm.reset();
        $("declare").open = false;
      }
    });
  });

  function declare(body) {
    body.checkpoint_id = checkpoint;
    return api("POST", "/api/v1/gate/declarations", body).then(function (r) {
      if (!r.ok) {
        showError(errorMessage(r.body));
        return false;
      }
      showResult(r.body, false);
      refresh();
      return true;
    }, function () {
      showError(text.offline);
      return false;
    });
  }

  var phoneForm = $("phone-form"), codeForm = $("code-form"), phoneField = $("g-phone"), codeField = $("g-code");
  phoneForm.addEventListener("submit", function (e) {
    e.preventDefault();
    api("POST", "/api/v1/gate/phone-code", { checkpoint_id: checkpoint, phone: phoneField.value }).then(function (r) {
      if (!r.ok) { return showError(errorMessage(r.body)); }
      codeForm.elements.challenge.value = r.body.challenge;
      codeForm.hidden = false;
      codeField.value = "";
      codeField.focus();
    }, function () { showError(text.offline); });
  });
  codeForm.addEventListener("submit", function (e) {
    if (!phoneField.value) { return; } // the code step of a page the server rendered: it holds the phone, sealed
    e.preventDefault();
    send({ phone: phoneField.value, challenge: codeForm.elements.challenge.value, code: codeField.value }).then(function (ok) {
      codeField.value = "";
      if (ok) {
        codeForm.hidden = true;
        phoneField.value = "";
      }
    });
  });

  // ---- start ---------------------------------------------------------

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    $("camera").hidden = false;
    toggle.addEventListener("click", function () {
      if (camera.stream) {
        stopCamera();
        localStorage.removeItem(CAMERA_STORE);
      } else {
        startCamera();
      }
    });
    if (localStorage.getItem(CAMERA_STORE) === "on") { startCamera(); }
  }

  // The page, its script and its style are kept for offline use; the
  // service worker answers from this cache when the network fails.
  if ("serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker.register(text.worker, { scope: "/gate/" }).catch(noop);
    if (navigator.onLine) { keepForOffline(); }
  }

  // Signing out here forgets the kept page; scans waiting to sync stay,
  // and sync at the next sign-in at this gate.
  var logout = document.querySelector("form.logout");
  if (logout && window.caches) {
    logout.addEventListener("submit", function (e) {
      e.preventDefault();
      caches.delete(CACHE).catch(noop).then(function () { logout.submit(); });
    });
  }

  function keepForOffline() {
    var urls = [location.pathname];
    document.querySelectorAll('script[src^="/static/"], link[rel="stylesheet"][href^="/static/"]').forEach(function (el) {
      urls.push(el.getAttribute("src") || el.getAttribute("href"));
    });
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(urls).then(function () { return cache.keys(); }).then(function (keys) {
        keys.forEach(function (k) {
          var path = new URL(k.url).pathname;
          if (path.indexOf("/static/") === 0 && urls.indexOf(path) < 0) { cache.delete(k); }
        });
      });
    }).catch(noop);
  }

  window.addEventListener("online", online);
  window.addEventListener("offline", online);
  setInterval(function () { if (waiting) { sync(); } }, 30000);
  if (navigator.onLine) { cacheKey(); }
  online();
  countWaiting().catch(noop);
})();
