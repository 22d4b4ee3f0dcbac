// Khatem workspace service worker (scope /workspace): the pages an inspector opened, and
// the audit forms of the artisans she opened, answer without signal. See docs/workspace.md,
// "Offline".
//
// * Pages (navigations under /workspace): the network first; a 200 page is kept in the
//   cache, and kept copies answer when the network does not. The audit form carries its
//   scheme's catalogue (criteria, units, limits, methods), so a kept form is a working form.
// * The icons, the favicon and the manifest: kept at install, and again each time they are
//   fetched (the network first).
// * Nothing else is touched: POSTs (an audit, sent by the page's outbox, offline.js) go to
//   the network as they are; the API is never cached.
// * Signing out (POST /workspace/logout) empties the cache: the kept pages hold the
//   artisans' details, and belong to the person who opened them.
"use strict";

var CACHE = "khatem-workspace-v1";
var ASSETS = [
  "/workspace/manifest.webmanifest",
  "/workspace/icon.svg",
  "/workspace/icon-192.png",
  "/workspace/icon-512.png",
  "/favicon.ico"
];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(ASSETS.map(function (url) {
        return cache.add(url).catch(function () { return null; });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("khatem-workspace-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function inScope(url) {
  return url.origin === self.location.origin &&
    (url.pathname === "/workspace" || url.pathname.indexOf("/workspace/") === 0);
}

function isPage(response) {
  var type = response.headers.get("Content-Type") || "";
  return response.status === 200 && response.type === "basic" && type.indexOf("text/html") === 0;
}

var OFFLINE_PAGE =
  "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\">" +
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
  "<title>Khatem</title></head><body>" +
  "<h1>Pas de connexion</h1><p>Cette page n'a pas été gardée sur cet appareil. " +
  "Les pages ouvertes avec du réseau, et les formulaires d'audit des artisans ouverts, " +
  "restent disponibles. <a href=\"/workspace\">Accueil</a></p>" +
  "<div lang=\"ar\" dir=\"rtl\"><h2>لا يوجد اتصال</h2><p>لم تُحفظ هذه الصفحة على هذا الجهاز. " +
  "تبقى الصفحات المفتوحة أثناء الاتصال ونماذج تدقيق الصناع الذين فتحتموهم متاحة. " +
  "<a href=\"/workspace\">الرئيسية</a></p></div>" +
  "<div lang=\"en\"><h2>No connection</h2><p>This page was not kept on this device. " +
  "Pages opened with a connection, and the audit forms of the artisans opened, remain " +
  "available. <a href=\"/workspace\">Home</a></p></div></body></html>";

function offlinePage() {
  return new Response(OFFLINE_PAGE, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'none'; base-uri 'none'; form-action 'self'",
      "Cache-Control": "no-store"
    }
  });
}

function page(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    if (isPage(response)) {
      var copy = response.clone();
      event.waitUntil(copy.blob().then(function (body) {
        return caches.open(CACHE).then(function (cache) {
          return cache.put(request.url, new Response(body, {
            status: copy.status, statusText: copy.statusText, headers: copy.headers
          }));
        });
      }).catch(function () { return null; }));
    }
    return response;
  }, function () {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request.url, { ignoreVary: true });
    }).then(function (kept) { return kept || offlinePage(); });
  });
}

function asset(event) {
  var request = event.request;
  return caches.open(CACHE).then(function (cache) {
    return fetch(request).then(function (response) {
      if (response.ok) { event.waitUntil(cache.put(request.url, response.clone())); }
      return response;
    }, function () {
      return cache.match(request.url).then(function (kept) {
        return kept || cache.match(request.url, { ignoreSearch: true });
      }).then(function (kept) { return kept || Response.error(); });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method === "POST" && url.origin === self.location.origin &&
      url.pathname === "/workspace/logout") {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(asset(event));
  } else if (request.mode === "navigate" && inScope(url)) {
    event.respondWith(page(event));
  }
});

// The page asks for pages to be kept ahead (the audit forms of an artisan's schemes).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || !Array.isArray(data.urls)) { return; }
  var urls = data.urls.filter(function (href) {
    try { return inScope(new URL(href, self.location.origin)); } catch (e) { return false; }
  }).slice(0, 20);
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (href) {
      var url = new URL(href, self.location.origin).href;
      return fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
        if (!isPage(response)) { return null; }
        // The whole page first, then the cache: a connection lost half-way through leaves
        // the copy kept before as it was.
        return response.blob().then(function (body) {
          return cache.put(url, new Response(body, {
            status: response.status, statusText: response.statusText, headers: response.headers
          }));
        });
      }).catch(function () { return null; });
    }));
  }));
});
