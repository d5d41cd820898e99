// The offline page: list the pages this device keeps (the service worker's "backcare-pages"
// cache) in the page's language. Without JavaScript the page still says what to do.
(function () {
  "use strict";
  var PAGES_CACHE = "backcare-pages";

  function titleOf(response, url, list) {
    if (/\.pdf$/.test(url.pathname)) {
      if (/\/routine\//.test(url.pathname)) { return Promise.resolve(list.dataset.routinePdf + " (PDF)"); }
      var slug = url.pathname.split("/").pop().replace(/\.pdf$/, "").replace(/-/g, " ");
      return Promise.resolve(list.dataset.handoutPdf + ": " + slug + " (PDF)");
    }
    return response.text().then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var title = (page.title || url.pathname).replace(/\s·\s[^·]*$/, "");
      // Every routine is "My routine": say which by its heading ("3 exercises in your routine").
      var heading = page.querySelector("#routine-list-title");
      return url.pathname.match(/^(?:\/cy)?\/routine\/$/) && heading ? title + ": " + heading.textContent.trim() : title;
    });
  }

  function show(list, empty, entries) {
    entries.sort(function (a, b) { return a.title.localeCompare(b.title); });
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.href;
      link.textContent = entry.title;
      item.appendChild(link);
      list.appendChild(item);
    });
    list.hidden = entries.length === 0;
    empty.hidden = entries.length !== 0;
    var note = document.querySelector("[data-offline-without-script]");
    if (note) { note.hidden = true; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector("[data-offline-list]");
    var empty = document.querySelector("[data-offline-empty]");
    if (!list || !empty || !window.caches) { return; }
    var welsh = document.documentElement.lang === "cy";
    caches.open(PAGES_CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        var mine = requests.map(function (request) { return new URL(request.url); }).filter(function (url) {
          return /^\/cy\//.test(url.pathname) === welsh;
        });
        return Promise.all(mine.map(function (url) {
          return cache.match(url.href, { ignoreVary: true }).then(function (response) {
            return titleOf(response, url, list);
          }).then(function (title) { return { title: title, href: url.pathname + url.search }; });
        }));
      });
    }).then(function (entries) { show(list, empty, entries); }).catch(function () { show(list, empty, []); });
  });
})();
