// BackCare's service worker (served at /sw.js by backcare/offline/views.py, which puts
// `const OFFLINE = {version, precache, offline}` in front of this file).
//
// - Precaches our own stylesheets, scripts and exercise drawings under their hashed
//   names, in a cache named after this release; activating deletes older ones.
// - Keeps, network first, the pages a reader opens among the exercises, "my routine"
//   (its print page and PDF) and follow-along, in both languages: only the page every
//   visitor gets (Cache-Control: public), never a personal one. See refusal().
// - Never answers or stores anything else: forms (any non-GET), the admin, sign-in and
//   every other page go to the network; a page that cannot be fetched gets the offline
//   page in its language.
"use strict";

var STATIC_CACHE = "backcare-static-" + OFFLINE.version;
var PAGES_CACHE = "backcare-pages";
// The most pages kept; the least recently opened go first.
var MAX_PAGES = 60;
// How long a kept page waits for the network before the kept copy is shown.
var NETWORK_WAIT_MS = 4000;
var PRECACHED = new Set(OFFLINE.precache);

// The pages kept offline, in English and under /cy/. Slugs as Django's <slug:...>.
var KEPT_PAGES = [
  /^(?:\/cy)?\/exercises\/$/,
  /^(?:\/cy)?\/exercises\/(?!feed\/)[-a-zA-Z0-9_]+\/(?:print\/|follow\/)?$/,
  /^(?:\/cy)?\/exercises\/handouts\/[-a-zA-Z0-9_]+\.pdf$/,
  /^(?:\/cy)?\/routine\/(?:print\/|follow\/|handout\.pdf)?$/,
];
// Never even looked at: the browser talks to the server as if there were no worker.
var UNTOUCHED = /^(?:\/cy)?\/(?:admin|accounts)\//;

function isKeptPage(url) {
  if (url.origin !== self.location.origin) { return false; }
  var names = Array.from(url.searchParams.keys());
  // A routine is its address (?e=…); an exercise page with any query is another page.
  var routine = /^(?:\/cy)?\/routine\//.test(url.pathname);
  if (routine ? names.some(function (name) { return name !== "e"; }) : names.length) { return false; }
  return KEPT_PAGES.some(function (pattern) { return pattern.test(url.pathname); });
}

function directives(value) {
  return (value || "").toLowerCase().split(",").map(function (part) { return part.trim().split("=")[0]; });
}

// Why this response must not be stored, or "" when it may be: the answer every visitor gets
// to a plain GET of a kept page. The page cache marks exactly those `public` (a signed-in
// reader, saved details or own comments make a page `private, no-cache`; a response that sets
// a cookie is never made public), and every page says `Vary: Cookie` for the caches between:
// `public` with `Vary: Cookie` is the version for a request without a personal cookie.
// Browsers hide Set-Cookie from workers; it is checked here all the same.
function refusal(method, url, response) {
  if (method !== "GET") { return "not a GET"; }
  if (!isKeptPage(url)) { return "not a page kept offline"; }
  if (!response) { return "no response"; }
  if (response.type !== "basic" && response.type !== "default") { return "not our own answer"; }
  if (response.redirected) { return "redirected"; }
  if (response.status !== 200) { return "status " + response.status; }
  var headers = response.headers;
  if (headers.has("Set-Cookie") || headers.has("Set-Cookie2")) { return "sets a cookie"; }
  var cacheControl = directives(headers.get("Cache-Control"));
  if (cacheControl.indexOf("private") !== -1 || cacheControl.indexOf("no-store") !== -1) { return "private"; }
  if (cacheControl.indexOf("public") === -1) { return "not public"; }
  var vary = directives(headers.get("Vary"));
  if (vary.indexOf("*") !== -1 || vary.indexOf("authorization") !== -1) { return "varies by who asks"; }
  return "";
}

function isPersonal(response) {
  return directives(response.headers.get("Cache-Control")).indexOf("private") !== -1;
}

function offlinePage(url) {
  var path = /^\/cy(?:\/|$)/.test(url.pathname) ? OFFLINE.offline.cy : OFFLINE.offline.en;
  return caches.match(path, { cacheName: STATIC_CACHE }).then(function (page) {
    return page || new Response("Offline / All-lein", {
      status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  });
}

function remember(url, response) {
  return caches.open(PAGES_CACHE).then(function (cache) {
    return cache.delete(url).then(function () { return cache.put(url, response); }).then(function () {
      return cache.keys();
    }).then(function (keys) {
      return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_PAGES)).map(function (key) {
        return cache.delete(key);
      }));
    });
  });
}

function forget(url) {
  return caches.open(PAGES_CACHE).then(function (cache) { return cache.delete(url); });
}

// Fetch the page as a visitor without cookies gets it, and keep it if it may be kept.
function keepSharedCopy(url) {
  return fetch(url, { credentials: "omit", redirect: "manual" }).then(function (response) {
    if (!refusal("GET", new URL(url), response)) { return keepWithCompanions(url, response); }
    if (response.status === 404 || response.status === 410) { return forget(url); }
    return undefined;
  });
}

// The pages that go with a kept page, to have them offline too: an exercise's follow-along and
// print pages, and a routine's (not the PDFs, which are built on request: kept once opened).
function companions(url) {
  var page = url.pathname.match(/^(?:\/cy)?\/(?:routine|exercises\/(?!feed\/)[-a-zA-Z0-9_]+)\/$/);
  if (!page || (/\/routine\/$/.test(url.pathname) && !url.searchParams.get("e"))) { return []; }
  return [page[0] + "follow/" + url.search, page[0] + "print/" + url.search].map(function (path) {
    return new URL(path, url).href;
  });
}

function keepIfMissing(url) {
  if (!isKeptPage(new URL(url))) { return Promise.resolve(); }
  return caches.match(url, { cacheName: PAGES_CACHE, ignoreVary: true }).then(function (saved) {
    return saved ? undefined : keepSharedCopy(url);
  });
}

function keepWithCompanions(url, response) {
  return remember(url, response).then(function () {
    return Promise.all(companions(new URL(url)).map(function (companion) {
      return keepIfMissing(companion).catch(function () {});
    }));
  });
}

function keep(request, response) {
  var url = new URL(request.url);
  if (!refusal(request.method, url, response)) { return keepWithCompanions(request.url, response); }
  if (response.status === 404 || response.status === 410) { return forget(request.url); }
  // The reader's own version (signed in, saved details): keep the one everyone gets instead.
  if (response.status === 200 && isPersonal(response)) { return keepSharedCopy(request.url); }
  return Promise.resolve();
}

// Network first, but on a weak signal a kept copy after NETWORK_WAIT_MS (the network's answer,
// when it comes, still replaces the copy); with no network at all, the copy or the offline page.
function networkFirst(event) {
  var request = event.request;
  var network = fetch(request);
  event.waitUntil(network.then(function (response) { return keep(request, response.clone()); }).catch(function () {}));
  function saved() {
    return caches.match(request.url, { cacheName: PAGES_CACHE, ignoreVary: true });
  }
  var answered = false;
  network.then(function () { answered = true; }, function () { answered = true; });
  var slow = new Promise(function (resolve) { setTimeout(resolve, NETWORK_WAIT_MS); }).then(function () {
    return answered ? network : saved().then(function (copy) { return copy || network; });
  });
  return Promise.race([network, slow]).catch(function (error) {
    return saved().then(function (copy) {
      if (copy) { return copy; }
      if (request.mode === "navigate") { return offlinePage(new URL(request.url)); }
      throw error;
    });
  });
}

function cacheFirst(request) {
  return caches.match(request.url, { cacheName: STATIC_CACHE, ignoreVary: true }).then(function (saved) {
    return saved || fetch(request);
  });
}

function networkOrOfflinePage(request) {
  return fetch(request).catch(function () { return offlinePage(new URL(request.url)); });
}

self.addEventListener("install", function (event) {
  var urls = OFFLINE.precache.concat([OFFLINE.offline.en, OFFLINE.offline.cy]);
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      // Without cookies: the offline page is the one everyone gets, never a personal one.
      return fetch(url, { credentials: "omit", cache: "no-cache" }).then(function (response) {
        if (!response.ok) { throw new Error(url + ": " + response.status); }
        return cache.put(url, response);
      });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    var old = names.filter(function (name) { return name.indexOf("backcare-static-") === 0 && name !== STATIC_CACHE; });
    return Promise.all(old.map(function (name) { return caches.delete(name); })).then(function () {
      return self.clients.claim();
    }).then(function () {
      // The page that installed the worker was fetched before it: keep it now.
      return self.clients.matchAll({ type: "window" });
    }).then(function (windows) {
      return Promise.all(windows.map(function (client) { return keepIfMissing(client.url).catch(function () {}); }));
    }).then(function () {
      // Kept pages name the old release's files, now deleted: fetch them again while online
      // (not the PDFs, which name none and cost a build each).
      if (!old.length) { return undefined; }
      return caches.open(PAGES_CACHE).then(function (cache) { return cache.keys(); }).then(function (keys) {
        return Promise.all(keys.filter(function (key) { return !/\.pdf$/.test(new URL(key.url).pathname); }).map(function (key) {
          return keepSharedCopy(key.url).catch(function () {});
        }));
      });
    });
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }  // forms: straight to the network, never stored
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || UNTOUCHED.test(url.pathname)) { return; }
  if (PRECACHED.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (isKeptPage(url)) {
    event.respondWith(networkFirst(event));
  } else if (request.mode === "navigate") {
    event.respondWith(networkOrOfflinePage(request));
  }
});
