// Progressive enhancement of "My selection": every control also works without this file, through the address
// (/compare?p=slug&p=slug). With it, the selection is remembered in this browser (localStorage: no account, nothing
// sent anywhere until the comparison is opened), the header counter links to it, and ticking a result or pressing
// "Add to selection" on a practice page no longer needs a page load.
(function () {
  "use strict";
  var KEY = "secon-selection";
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var link = document.getElementById("selection-link");
  if (!link) { return; }
  var MAX = parseInt(link.getAttribute("data-max"), 10) || 6;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function load() {
    var list;
    try { list = JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { list = []; }
    if (!Array.isArray(list)) { return []; }
    var out = [];
    list.forEach(function (slug) {
      if (typeof slug === "string" && SLUG.test(slug) && out.indexOf(slug) < 0 && out.length < MAX) { out.push(slug); }
    });
    return out;
  }

  function store(list) {
    try { window.localStorage.setItem(KEY, JSON.stringify(list)); } catch (e) { /* private mode: this page only */ }
    render(list);
  }

  function compareUrl(list) {
    var url = new URL(link.href, window.location.href);
    url.search = "";
    list.forEach(function (slug) { url.searchParams.append("p", slug); });
    return url.pathname + url.search;
  }

  function announce(name, count) {
    status.textContent = (link.getAttribute("data-" + name) || "").replace("{n}", String(count));
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (slug) { return b.indexOf(slug) >= 0; });
  }

  // Add or remove one practice; false when the selection is full.
  function toggle(slug, on) {
    var list = load();
    var at = list.indexOf(slug);
    if (on && at < 0) {
      if (list.length >= MAX) { announce("full", list.length); return false; }
      list.push(slug);
      store(list);
      announce("added", list.length);
    } else if (!on && at >= 0) {
      list.splice(at, 1);
      store(list);
      announce("removed", list.length);
    }
    return true;
  }

  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][form=compare-form]"));
  var toggles = [];

  function render(list) {
    var count = document.getElementById("selection-count");
    if (count) { count.textContent = String(list.length); }
    link.setAttribute("href", compareUrl(list));
    boxes.forEach(function (box) { box.checked = list.indexOf(box.value) >= 0; });
    toggles.forEach(function (button) {
      var on = list.indexOf(button.getAttribute("data-select")) >= 0;
      button.textContent = button.getAttribute(on ? "data-label-remove" : "data-label-add");
    });
  }

  // Search page: a selection carried in the address (from "Add more practices") joins the remembered one.
  var carried = new URL(window.location.href).searchParams.getAll("p").filter(function (s) { return SLUG.test(s); });
  // From then on the browser holds it: the address, the search form and the page's links stop carrying it, so that
  // a practice unticked here cannot come back with the next filter, page or language link.
  if (boxes.length && carried.length) {
    var merged = load();
    carried.forEach(function (slug) { if (merged.indexOf(slug) < 0 && merged.length < MAX) { merged.push(slug); } });
    store(merged);
    var here = new URL(window.location.href);
    here.searchParams.delete("p");
    window.history.replaceState(null, "", here.pathname + here.search + here.hash);
    Array.prototype.forEach.call(document.querySelectorAll("#search-form input[type=hidden][name=p]"), function (input) {
      input.parentNode.removeChild(input);
    });
    var comparePath = new URL(link.href, window.location.href).pathname;
    Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (anchor) {
      var target = new URL(anchor.href, window.location.href);
      if (target.origin === window.location.origin && target.searchParams.has("p") &&
          target.pathname.indexOf(comparePath) !== 0) {
        target.searchParams.delete("p");
        anchor.setAttribute("href", target.pathname + target.search + target.hash);
      }
    });
  }
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      if (!toggle(box.value, box.checked)) { box.checked = false; }
    });
  });
  var form = document.getElementById("compare-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.assign(compareUrl(load()));
    });
  }

  // Practice page: the "Add to selection" link becomes a button that adds or removes this practice.
  Array.prototype.forEach.call(document.querySelectorAll("a.select-toggle[data-select]"), function (anchor) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = anchor.className + " secondary";
    ["data-select", "data-label-add", "data-label-remove"].forEach(function (name) {
      button.setAttribute(name, anchor.getAttribute(name));
    });
    button.addEventListener("click", function () {
      var slug = button.getAttribute("data-select");
      toggle(slug, load().indexOf(slug) < 0);
    });
    anchor.parentNode.replaceChild(button, anchor);
    toggles.push(button);
  });

  // Compare page: removing, reordering or clearing also updates the remembered selection when the page shows it.
  var shown = document.getElementById("compare");
  if (shown) {
    var slugs = (shown.getAttribute("data-slugs") || "").split(" ").filter(Boolean);
    Array.prototype.forEach.call(document.querySelectorAll("main a[data-slugs]"), function (anchor) {
      anchor.addEventListener("click", function () {
        if (sameSet(load(), slugs)) {
          store((anchor.getAttribute("data-slugs") || "").split(" ").filter(Boolean));
        }
      });
    });
  }

  window.addEventListener("storage", function (event) {
    if (event.key === KEY) { render(load()); }
  });
  render(load());
})();
