// The gate page's service worker, served at /gate/sw.js with the scope
// /gate/. It keeps the gate page and the scripts and styles it uses in a
// cache, so that a gate opens without network after its first visit: the
// page comes from the network first (its counters are live) and from the
// cache when the network fails; static files, whose URLs change with their
// content, come from the cache first. API calls are never cached: a scan
// made offline waits in the page's own queue (IndexedDB).
"use strict";

var CACHE = "ravao-gate-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (req.mode === "navigate" && url.pathname.indexOf("/gate/") === 0) {
    event.respondWith(networkFirst(req, url));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(req));
  }
});

// networkFirst answers a gate page from the network, keeping a copy; a
// redirect (to sign in again) forgets the copy, so that a signed-out
// browser does not show a gate's latest scans.
function networkFirst(req, url) {
  var key = url.origin + url.pathname;
  return fetch(req).then(function (res) {
    var copy = res.clone();
    caches.open(CACHE).then(function (cache) {
      if (res.ok && res.type === "basic") {
        return cache.put(key, copy);
      }
      if (res.type === "opaqueredirect") {
        return cache.delete(key);
      }
    }).catch(function () {});
    return res;
  }, function () {
    return caches.match(key, { ignoreVary: true }).then(function (hit) {
      return hit || Response.error();
    });
  });
}

// cacheFirst answers a static file from the cache, or fetches and keeps it.
function cacheFirst(req) {
  return caches.match(req, { ignoreVary: true }).then(function (hit) {
    if (hit) {
      return hit;
    }
    return fetch(req).then(function (res) {
      if (res.ok) {
        var copy = res.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(req, copy); }).catch(function () {});
      }
      return res;
    });
  });
}
