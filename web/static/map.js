// The full-page map: the vendored Leaflet over the vendored Natural Earth basemap (no tiles,
// no network beyond this site). Zoom and pan by mouse, wheel, touch and keyboard (Leaflet's
// own); places sized by their article count and clustered, every marker and cluster labelled;
// a click (or Enter) on a place filters the results by it. Without this file the page shows
// the SVG map and the list of places.
(function () {
  "use strict";

  function radius(count, peak) {
    return Math.round(9 + 17 * Math.sqrt(count / peak));
  }

  // A div icon that carries its accessible name from the start (clusters are redrawn often).
  var NamedIcon = null;  // made once Leaflet has loaded
  function namedIcon(options) {
    NamedIcon = NamedIcon || L.DivIcon.extend({
      createIcon: function (old) {
        var div = L.DivIcon.prototype.createIcon.call(this, old);
        div.setAttribute("aria-label", this.options.label);
        div.setAttribute("role", "button");
        return div;
      }
    });
    return new NamedIcon(options);
  }

  function icon(name, count, places, peak, selected, shown) {
    var r = radius(count, peak);
    var root = document.createElement("div");
    var dot = document.createElement("span");
    dot.className = "mapmark__dot";
    dot.textContent = String(shown || count);
    var label = document.createElement("span");
    label.className = "mapmark__label";
    label.dir = "auto";
    label.textContent = name;
    root.appendChild(dot);
    root.appendChild(label);
    var spoken = places > 1
      ? name + ": " + places + " places; zoom in to see them"
      : name + ": " + count + (count === 1 ? " article" : " articles");
    return namedIcon({
      label: spoken,
      html: root.innerHTML,  // text set above, so escaped; sizes come from iconSize
      className: "mapmark" + (selected ? " is-selected" : "") + (places > 1 ? " mapmark--cluster" : "") +
        " mapmark--rank" + String(1e6 - count).padStart(7, "0"),
      iconSize: [2 * r, 2 * r],
      iconAnchor: [r, r]
    });
  }

  function start(box, data) {
    var places = data.places;
    box.innerHTML = "";
    box.classList.add("is-live");
    var world = [[-90, -180], [90, 180]];
    var map = L.map(box, {
      crs: L.CRS.EPSG4326,
      maxBounds: [[-100, -200], [100, 200]],
      minZoom: 0,
      maxZoom: 9,
      zoomSnap: 0.5,
      attributionControl: false,
      keyboard: true
    });
    L.imageOverlay(box.getAttribute("data-basemap"), world).addTo(map);
    var peak = Math.max.apply(null, places.map(function (p) { return p.count; }).concat([1]));
    var clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 48,
      // A cluster shows how many places it holds, is as big as its busiest place, and is
      // named after it ("Damascus +4"); a click or Enter zooms into it.
      iconCreateFunction: function (cluster) {
        var kids = cluster.getAllChildMarkers();
        var top = kids[0];
        kids.forEach(function (m) {
          if (m.options.place.count > top.options.place.count) top = m;
        });
        var name = top.options.place.name + " +" + (kids.length - 1);
        return icon(name, top.options.place.count, kids.length, peak, false, kids.length);
      }
    });
    var markers = places.map(function (p) {
      var marker = L.marker([p.lat, p.lon], {
        icon: icon(p.name, p.count, 1, peak, p.selected),
        title: p.label + ": " + p.count + (p.count === 1 ? " article" : " articles"),
        alt: p.label,
        keyboard: true,
        place: p
      });
      marker.on("click", function () { window.location.assign(p.url); });
      return marker;
    });
    clusters.addLayers(markers);
    map.addLayer(clusters);
    // Labels that never overlap: the busiest places
    // keep theirs, a label that would cover one already shown is hidden (its name stays in
    // the icon's accessible name and tooltip). Redone whenever the clusters are redrawn.
    function describe() {
      box.setAttribute("data-zoom", String(map.getZoom()));
      var icons = Array.prototype.slice.call(box.querySelectorAll(".mapmark"));
      icons.sort(function (a, b) { return rank(a) - rank(b); });
      var kept = [];
      icons.forEach(function (el) {
        var label = el.querySelector(".mapmark__label");
        var dot = el.querySelector(".mapmark__dot");
        if (!label) return;
        label.classList.remove("is-crowded");
        var box1 = label.getBoundingClientRect();
        var box2 = dot.getBoundingClientRect();
        var clash = kept.some(function (k) { return overlaps(k, box1); });
        if (clash) {
          label.classList.add("is-crowded");
        } else {
          kept.push(box1);
        }
        kept.push(box2);
      });
    }
    function rank(el) {
      var m = /mapmark--rank(\d+)/.exec(el.className);
      return m ? parseInt(m[1], 10) : 1e7;
    }
    function overlaps(a, b) {
      return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    }
    map.on("zoomend moveend", describe);
    clusters.on("animationend", describe);
    if (markers.length) {
      map.fitBounds(L.latLngBounds(places.map(function (p) { return [p.lat, p.lon]; })).pad(0.25), { maxZoom: 5 });
    } else {
      map.fitBounds(world);
    }
    describe();
    box.mapView = map;  // for the browser tests and the curious
  }

  function ready() {
    var box = document.getElementById("fullmap");
    if (!box || typeof L === "undefined" || !L.markerClusterGroup) return;
    fetch(box.getAttribute("data-map-api"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) { start(box, data); })
      .catch(function () { /* the SVG map stays */ });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
