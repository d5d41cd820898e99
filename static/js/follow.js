// Follow along: one card at a time, Next/Back by button and arrow keys, a repetition
// counter, a gentle rest timer, the screen kept awake (Wake Lock) and every change
// announced to screen readers. Without this file the page is the numbered list.
(function () {
  "use strict";
  var root = document.querySelector("[data-follow]");
  if (!root) { return; }
  var cards = Array.prototype.slice.call(root.querySelectorAll("[data-card]"));
  if (!cards.length) { return; }
  var controls = root.querySelector("[data-follow-controls]");
  var back = root.querySelector("[data-follow-back]");
  var next = root.querySelector("[data-follow-next]");
  var progress = root.querySelector("[data-follow-progress]");
  var status = root.querySelector("[data-follow-status]");
  var awake = root.querySelector("[data-follow-awake]");
  var labels = root.dataset;
  var current = 0;
  var restTimer = null;
  var wakeLock = null;

  root.classList.add("follow--stepwise");
  controls.hidden = false;
  root.querySelector("[data-follow-keys]").hidden = false;
  root.querySelectorAll("[data-counter]").forEach(function (counter) { counter.hidden = false; });
  root.querySelectorAll(".follow__next-link").forEach(function (link) { link.hidden = true; });

  function announce(text) {
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function stopRest() {
    if (restTimer) { window.clearInterval(restTimer); restTimer = null; }
  }

  function startRest(card) {
    var rest = card.querySelector("[data-rest]");
    if (!rest) { return; }
    var left = parseInt(rest.dataset.seconds, 10);
    var out = rest.querySelector("[data-rest-left]");
    out.textContent = left + " s";
    restTimer = window.setInterval(function () {
      left -= 1;
      out.textContent = left > 0 ? left + " s" : "";
      if (left <= 0) { stopRest(); announce(labels.labelRestOver); }
    }, 1000);
  }

  function show(index, speak) {
    stopRest();
    current = Math.max(0, Math.min(index, cards.length - 1));
    cards.forEach(function (card, i) { card.hidden = i !== current; });
    var card = cards[current];
    back.disabled = current === 0;
    next.disabled = current === cards.length - 1;
    progress.textContent = labels.labelStep + " " + (current + 1) + " " + labels.labelOf + " " + cards.length;
    if (history.replaceState) { history.replaceState(null, "", "#" + card.id); }
    startRest(card);
    if (speak) {
      var heading = card.querySelector(".follow__heading").textContent;
      var text = card.querySelector(".follow__text").textContent.trim();
      announce(progress.textContent + ". " + heading + ". " + text);
    }
  }

  back.addEventListener("click", function () { show(current - 1, true); });
  next.addEventListener("click", function () { show(current + 1, true); });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") { return; }
    if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1, true); }
    if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1, true); }
  });

  root.querySelectorAll("[data-counter]").forEach(function (counter) {
    var target = parseInt(counter.dataset.target, 10);
    var value = counter.querySelector("[data-counter-value]");
    var count = 0;
    counter.querySelector("[data-counter-add]").addEventListener("click", function () {
      count = Math.min(count + 1, target);
      value.textContent = String(count);
      announce(count >= target ? labels.labelDone : labels.labelCounted + " " + count + " " + labels.labelOf + " " + target);
    });
    counter.querySelector("[data-counter-reset]").addEventListener("click", function () {
      count = 0;
      value.textContent = "0";
      announce(labels.labelCounted + " 0 " + labels.labelOf + " " + target);
    });
  });

  // Keep the screen on while following along, where the browser allows it.
  function keepAwake() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible") { return; }
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      awake.textContent = labels.labelAwake;
      awake.hidden = false;
    }).catch(function () { awake.hidden = true; });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && wakeLock === null) { keepAwake(); }
    if (document.visibilityState !== "visible") { wakeLock = null; }
  });
  keepAwake();

  var start = cards.findIndex(function (card) { return "#" + card.id === window.location.hash; });
  show(start < 0 ? 0 : start, false);
})();
