// My routine: the routine lives in the address; this file only saves a reload.
// On the routine page, "Add" swaps in the new routine without reloading; on an
// exercise page, "Add to my routine" adds to the routine you last opened here
// (remembered in this browser only), without leaving the page.
(function () {
  "use strict";
  var KEY = "backcare.routine";
  var routinePath = "/routine/";  // replaced by the link's own (language-aware) path below

  function remembered() {
    try { return (window.localStorage.getItem(KEY) || "").split(",").filter(Boolean); } catch (e) { return []; }
  }
  function remember(slugs) {
    try { window.localStorage.setItem(KEY, slugs.join(",")); } catch (e) { /* private mode: the address still works */ }
  }
  function routineUrl(slugs) {
    var sorted = slugs.slice().sort();
    return routinePath + (sorted.length ? "?e=" + sorted.join(",") : "");
  }

  function enhanceRoutinePage(root) {
    remember((root.dataset.slugs || "").split(",").filter(Boolean));
    root.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-routine-add], a.routine-list__remove");
      if (!link || !window.fetch || !window.DOMParser) { return; }
      event.preventDefault();
      fetch(link.href, { headers: { "Accept": "text/html" } }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text().then(function (html) { return { html: html, url: response.url }; });
      }).then(function (result) {
        var fresh = new DOMParser().parseFromString(result.html, "text/html").querySelector("[data-routine]");
        if (!fresh) { window.location.href = link.href; return; }
        var message = link.hasAttribute("data-routine-add") ? link.textContent.trim() : link.textContent.trim();
        root.innerHTML = fresh.innerHTML;
        root.dataset.slugs = fresh.dataset.slugs || "";
        remember(root.dataset.slugs.split(",").filter(Boolean));
        history.pushState(null, "", result.url);
        var status = root.querySelector("[data-routine-status]");
        var heading = root.querySelector("#routine-list-title");
        if (status) { status.textContent = message + ": " + (heading ? heading.textContent : ""); }
        var focusTarget = root.querySelector("#routine-add-title");
        if (focusTarget) { focusTarget.setAttribute("tabindex", "-1"); focusTarget.focus(); }
      }).catch(function () { window.location.href = link.href; });
    });
    window.addEventListener("popstate", function () { window.location.reload(); });
  }

  function enhanceAddButton(link) {
    var status = document.querySelector("[data-routine-status]");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var slugs = remembered();
      var slug = link.dataset.routineAdd;
      routinePath = link.pathname;
      if (slugs.indexOf(slug) === -1) { slugs.push(slug); }
      slugs = slugs.slice(0, 12);
      remember(slugs);
      var url = routineUrl(slugs);
      link.textContent = link.dataset.addedLabel || "✓";
      link.setAttribute("href", url);
      link.removeAttribute("data-routine-add");
      var view = document.createElement("a");
      view.href = url;
      view.className = "btn btn-link";
      view.textContent = (link.dataset.viewLabel || "") + " (" + slugs.length + ")";
      link.insertAdjacentElement("afterend", view);
      if (status) { status.textContent = (link.dataset.addedLabel || "") + " " + view.textContent; }
    }, { once: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-routine]");
    if (root) { enhanceRoutinePage(root); return; }
    document.querySelectorAll("a[data-routine-add]").forEach(enhanceAddButton);
  });
})();
