// Offline reading: register the service worker (backcare/offline/worker.js, served at /sw.js),
// which keeps the exercises, the routine and follow-along a reader has opened. Every page
// works without it.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
      // No worker (a private window, storage full): the pages still work online.
    });
  });
})();
