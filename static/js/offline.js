// Offline reading: register the service worker (backcare/offline/worker.js, served at /sw.js),
// which keeps the exercises, the routine and follow-along a reader has opened. Every page
// works without it.
(function () {
  "use strict";
  var ROUTINE_KEY = "backcare.routine";  // routine.js remembers the routine last opened here

  // The installed app opens on "My routine" (the manifest's start_url, /routine/#app: the
  // fragment never reaches the server or the caches' keys): show the routine last opened in
  // this browser rather than an empty one.
  function openRememberedRoutine() {
    var app = location.hash === "#app" || (window.matchMedia && window.matchMedia("(display-mode: standalone)").matches);
    if (!app || location.search || !/^(?:\/cy)?\/routine\/$/.test(location.pathname)) { return; }
    var slugs = [];
    try { slugs = (window.localStorage.getItem(ROUTINE_KEY) || "").split(",").filter(Boolean); } catch (e) { return; }
    if (slugs.length) { location.replace(location.pathname + "?e=" + slugs.sort().join(",")); }
  }

  openRememberedRoutine();
  if (!("serviceWorker" in navigator)) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // No worker (a private window, storage full): the pages still work online.
    });
  });
})();
