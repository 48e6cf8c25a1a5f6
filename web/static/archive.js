// Progressive enhancement for the news archive. Every page works without this file; with it,
// "/" jumps to the search box, the place list filters as you type, the date histogram takes a
// range by dragging, and the filter panel folds away on a phone.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  // "/" focuses the search box, as on many search sites.
  function searchShortcut() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      if (target.closest("input, textarea, select, [contenteditable]")) return;
      var box = document.getElementById("q") || document.getElementById("header-q");
      if (!box) return;
      event.preventDefault();
      box.focus();
      box.select();
    });
  }

  // On a narrow screen the filters start folded; their summary says how many are in use.
  function foldFilters() {
    var filters = document.getElementById("filters");
    if (filters && window.matchMedia("(max-width: 760px)").matches) {
      filters.open = false;
    }
  }

  // The place list filters as you type; Enter still submits the name as a filter.
  function placeFinder() {
    document.querySelectorAll("form[data-filter-list]").forEach(function (form) {
      var list = document.getElementById(form.getAttribute("data-filter-list"));
      var input = form.querySelector("input[type=search]");
      if (!list || !input) return;
      var items = Array.prototype.slice.call(list.querySelectorAll("li.facet-item"));
      var details = list.querySelectorAll("details");
      var none = list.querySelector(".facet__nomatch");
      var wasOpen = Array.prototype.map.call(details, function (d) { return d.open; });

      function apply() {
        var query = fold(input.value);
        items.forEach(function (li) { li.hidden = false; });
        if (!query) {
          details.forEach(function (d, i) { d.open = wasOpen[i]; });
          if (none) none.hidden = true;
          return;
        }
        details.forEach(function (d) { d.open = true; });
        var shown = 0;
        // Children first: a country stays when one of its places matches.
        items.slice().reverse().forEach(function (li) {
          var own = fold(li.getAttribute("data-label") || "").indexOf(query) !== -1;
          var child = li.querySelector("li.facet-item:not([hidden])") !== null;
          li.hidden = !(own || child);
          if (own) shown += 1;
        });
        if (none) none.hidden = shown > 0;
      }

      input.addEventListener("input", apply);
      var api = form.getAttribute("data-facet-api");
      if (api) liveMatches(form, input, list, api);
      input.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          input.value = "";
          apply();
        }
      });
    });
  }

  // Beyond the values listed, the finder asks the server for every match as you type (the
  // facet's JSON twin), and shows them above the list; Enter still opens the full page.
  function liveMatches(form, input, list, api) {
    var found = document.createElement("ul");
    found.className = "facet__list facet__found";
    found.setAttribute("aria-live", "polite");
    list.parentNode.insertBefore(found, list);
    var timer = null;
    var asked = 0;
    function show(data, ask) {
      if (ask !== asked) return;  // an answer to an older question
      found.textContent = "";
      list.hidden = data.values.length > 0;  // the server's matches include those listed
      data.values.slice(0, 8).forEach(function (value) {
        var li = document.createElement("li");
        li.className = "facet-item";
        var a = document.createElement("a");
        a.className = "facet-item__link";
        a.href = value.url;
        var label = document.createElement("span");
        label.className = "facet-item__label";
        label.dir = "auto";
        label.textContent = value.label;
        var count = document.createElement("span");
        count.className = "facet-item__count";
        count.textContent = String(value.count);
        a.appendChild(label);
        a.appendChild(count);
        li.appendChild(a);
        found.appendChild(li);
      });
      if (data.total > 8) {
        var more = document.createElement("li");
        more.className = "facet__hint";
        more.textContent = (data.total - 8) + " more: press Enter to see them all.";
        found.appendChild(more);
      }
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      asked += 1;
      var ask = asked;
      if (query.length < 2) {
        found.textContent = "";
        list.hidden = false;
        return;
      }
      timer = setTimeout(function () {
        var params = new URLSearchParams(new FormData(form));
        fetch(api + "?" + params.toString(), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) { if (data) show(data, ask); })
          .catch(function () { /* Enter still works */ });
      }, 200);
    });
  }

  // Drag across the histogram to choose a range of months; a click still picks one month.
  function histogramRange() {
    document.querySelectorAll("svg[data-histogram]").forEach(function (svg) {
      var slots = Array.prototype.slice.call(svg.querySelectorAll("[data-month]"));
      if (!slots.length) return;
      var months = slots.map(function (el) { return el.getAttribute("data-month"); });
      var start = null;
      var end = null;
      var dragged = false;

      // The slot under the pointer, or the nearest one when it is beside them all.
      function monthAt(event) {
        var best = 0;
        var bestDistance = Infinity;
        slots.forEach(function (el, i) {
          var box = el.getBoundingClientRect();
          var distance = event.clientX < box.left ? box.left - event.clientX
            : event.clientX > box.right ? event.clientX - box.right : 0;
          if (distance < bestDistance) {
            best = i;
            bestDistance = distance;
          }
        });
        return best;
      }

      function paint() {
        var low = Math.min(start, end);
        var high = Math.max(start, end);
        slots.forEach(function (el, i) {
          el.classList.toggle("is-dragged", dragged && i >= low && i <= high);
        });
      }

      svg.addEventListener("pointerdown", function (event) {
        if (event.button !== 0) return;
        start = end = monthAt(event);
        dragged = false;
      });
      svg.addEventListener("pointermove", function (event) {
        if (start === null) return;
        end = monthAt(event);
        if (end !== start && !dragged) {
          dragged = true;
          svg.classList.add("is-dragging");
          // Captured only once it is a drag, so a plain click still reaches the bar's link.
          svg.setPointerCapture(event.pointerId);
        }
        paint();
      });
      svg.addEventListener("pointerup", function () {
        if (start === null) return;
        var low = months[Math.min(start, end)];
        var high = months[Math.max(start, end)];
        var wasDrag = dragged;
        start = end = null;
        svg.classList.remove("is-dragging");
        if (!wasDrag) return; // a plain click follows the bar's own link
        var url = new URL(window.location.href);
        url.searchParams.delete("page");
        url.searchParams.set("from", low);
        url.searchParams.set("to", high);
        window.location.assign(url.toString());
      });
      // A bar is a link: without this, pressing on it and moving drags the link itself.
      svg.addEventListener("dragstart", function (event) { event.preventDefault(); });
      svg.addEventListener("pointercancel", function () {
        start = end = null;
        dragged = false;
        svg.classList.remove("is-dragging");
        paint();
      });
      // The click that ends a drag must not also follow the first bar's link.
      svg.addEventListener("click", function (event) {
        if (dragged) event.preventDefault();
      }, true);
    });
    document.querySelectorAll("[data-js-only]").forEach(function (el) { el.hidden = false; });
  }

  function ready() {
    searchShortcut();
    foldFilters();
    placeFinder();
    histogramRange();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
