// marsad: the map of located events, offline (the bundled basemap, no tile server).
// Zoom and pan move the SVG's viewBox (buttons, mouse wheel, drag); markers and labels are redrawn
// at each zoom so they keep their size on screen; nearby places merge into a cluster that depends
// on the zoom; labels are placed greedily where they collide with nothing (else hidden, shown on
// hover); a time slider keeps the events whose date interval overlaps its window.
// Data comes from <script type="application/json" id="map-data">; text goes in with textContent.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("map");
  var node = document.getElementById("map-data");
  if (!svg || !node) return;
  var data;
  try { data = JSON.parse(node.textContent); } catch (e) { return; }
  var places = data.places || [];
  var W = data.width, H = data.height;
  var MAX_ZOOM = 24, CLUSTER_PX = 34, DAY = 86400000;
  var view = {x: 0, y: 0, w: W, h: H};
  var gMarkers = document.getElementById("map-markers");
  var gLabels = document.getElementById("map-labels");
  var countries = Array.prototype.slice.call(svg.querySelectorAll("text.country, text.grat-label"));  // the basemap's names
  countries.forEach(function (t) { t.setAttribute("data-x", t.getAttribute("x")); t.setAttribute("data-y", t.getAttribute("y")); });
  var panel = document.getElementById("map-panel");
  var stat = document.getElementById("map-static");
  if (stat) stat.parentNode.removeChild(stat);  // the server's markers, for browsers without scripts

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  // -- the time window (days since 1970, inclusive) -----------------------------------------------
  function dayNum(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY); }
  function isoDay(n) { return new Date(n * DAY).toISOString().slice(0, 10); }
  var win = null;  // null: no window (every event, the undated ones too)
  places.forEach(function (p) {
    p.spansN = (p.spans || []).map(function (s) { return [s[0] ? dayNum(s[0]) : null, s[1] ? dayNum(s[1]) : null, s[2]]; });
  });
  function countIn(p) {
    if (!win) return p.events;
    var n = 0;
    p.spansN.forEach(function (s) { if (s[0] !== null && s[0] <= win[1] && s[1] >= win[0]) n += s[2]; });
    return n;
  }
  function listUrl(place) {
    var q = [], f = data.filters || {};
    Object.keys(f).forEach(function (k) { q.push(encodeURIComponent(k) + "=" + encodeURIComponent(f[k])); });
    if (place) q.push("place=" + encodeURIComponent(place));
    var since = win ? isoDay(win[0]) : data.since, until = win ? isoDay(win[1]) : data.until;
    if (win && data.since && data.since > since) since = data.since;
    if (win && data.until && data.until < until) until = data.until;
    if (since) q.push("since=" + since);
    if (until) q.push("until=" + until);
    return "/events" + (q.length ? "?" + q.join("&") : "");
  }

  // -- zoom and pan ------------------------------------------------------------------------------
  function pxPerUnit() { return (svg.getBoundingClientRect().width || W) / view.w; }
  function clampView() {
    view.w = Math.min(W, Math.max(W / MAX_ZOOM, view.w));
    view.h = view.w * H / W;
    view.x = Math.min(W - view.w, Math.max(0, view.x));
    view.y = Math.min(H - view.h, Math.max(0, view.y));
  }
  function setView() {
    clampView();
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (v) { return +v.toFixed(2); }).join(" "));
    var z = document.getElementById("map-zoom-level");
    if (z) z.textContent = "×" + (W / view.w).toFixed(1);
    draw();
  }
  function zoomAt(cx, cy, f) {  // (cx, cy): a point in map units that stays put
    var w = Math.min(W, Math.max(W / MAX_ZOOM, view.w / f));
    f = view.w / w;
    view.x = cx - (cx - view.x) / f;
    view.y = cy - (cy - view.y) / f;
    view.w = w;
    setView();
  }
  function toMap(clientX, clientY) {
    var r = svg.getBoundingClientRect();
    return [view.x + (clientX - r.left) / r.width * view.w, view.y + (clientY - r.top) / r.height * view.h];
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = toMap(ev.clientX, ev.clientY);
    zoomAt(p[0], p[1], ev.deltaY < 0 ? 1.25 : 1 / 1.25);
  }, {passive: false});
  var drag = null, dragged = false;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0) return;
    drag = {x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y};
    dragged = false;
  });
  window.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!dragged && Math.abs(dx) + Math.abs(dy) < 5) return;
    if (!dragged) svg.classList.add("dragging");
    dragged = true;
    var k = pxPerUnit();
    view.x = drag.vx - dx / k;
    view.y = drag.vy - dy / k;
    clampView();
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
  });
  window.addEventListener("pointerup", function () {
    if (drag && dragged) { svg.classList.remove("dragging"); setView(); }
    drag = null;
  });
  svg.addEventListener("click", function (ev) {  // a drag that ends on a marker is not a click
    if (dragged) { ev.preventDefault(); ev.stopPropagation(); dragged = false; }
  }, true);
  svg.setAttribute("tabindex", "0");  // the keyboard: + and − zoom, the arrows pan, 0 resets
  svg.addEventListener("keydown", function (ev) {
    var step = view.w / 8, cx = view.x + view.w / 2, cy = view.y + view.h / 2;
    if (ev.key === "+" || ev.key === "=") zoomAt(cx, cy, 2);
    else if (ev.key === "-") zoomAt(cx, cy, 0.5);
    else if (ev.key === "0") { view = {x: 0, y: 0, w: W, h: H}; setView(); }
    else if (ev.key === "ArrowLeft") { view.x -= step; setView(); }
    else if (ev.key === "ArrowRight") { view.x += step; setView(); }
    else if (ev.key === "ArrowUp") { view.y -= step; setView(); }
    else if (ev.key === "ArrowDown") { view.y += step; setView(); }
    else return;
    ev.preventDefault();
  });
  function button(id, fn) { var b = document.getElementById(id); if (b) b.addEventListener("click", fn); }
  button("map-zoom-in", function () { zoomAt(view.x + view.w / 2, view.y + view.h / 2, 2); });
  button("map-zoom-out", function () { zoomAt(view.x + view.w / 2, view.y + view.h / 2, 0.5); });
  button("map-reset", function () { view = {x: 0, y: 0, w: W, h: H}; setView(); });

  // Markers and labels live in an overlay whose unit is one screen pixel: its transform maps pixels
  // of the current view to map units, so sizes stay constant on screen (a font size below the
  // browser's minimum would be clamped) and a drag moves the overlay with the map.
  function overlay(g, k) {
    g.setAttribute("transform", "translate(" + view.x + " " + view.y + ") scale(" + (1 / k) + ")");
  }

  // -- clusters: greedy, largest place first, within CLUSTER_PX on screen; a country's marker (the
  // events placed in the country as a whole) merges with other countries only, never with a town --
  function clusters(k) {
    var shown = places.map(function (p) { return {p: p, n: countIn(p), X: (p.x - view.x) * k, Y: (p.y - view.y) * k}; })
      .filter(function (o) { return o.n > 0; })
      .sort(function (a, b) { return b.n - a.n || (a.p.location < b.p.location ? -1 : 1); });
    var out = [];
    shown.forEach(function (o) {
      for (var i = 0; i < out.length; i++) {
        var c = out[i], dx = c.X - o.X, dy = c.Y - o.Y;
        if (c.country === (o.p.kind === "country") && dx * dx + dy * dy <= CLUSTER_PX * CLUSTER_PX) { c.members.push(o); c.n += o.n; return; }
      }
      out.push({X: o.X, Y: o.Y, x: o.p.x, y: o.p.y, n: o.n, members: [o], country: o.p.kind === "country"});
    });
    return out;
  }

  // -- labels: the first free place around the marker, else hidden (all in screen pixels) --------
  function overlaps(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }
  function free(box, taken, vw, vh) {
    if (box.x < 0 || box.y < 0 || box.x + box.w > vw || box.y + box.h > vh) return false;
    for (var i = 0; i < taken.length; i++) if (overlaps(box, taken[i])) return false;
    return true;
  }
  function candidates(cx, cy, r, w, h) {  // box corners: right, left, above, below, then the diagonals
    var d = r + 3, e = r * 0.7 + 2;
    return [[cx + d, cy - h / 2], [cx - d - w, cy - h / 2], [cx - w / 2, cy - d - h], [cx - w / 2, cy + d],
            [cx + e, cy - e - h], [cx + e, cy + e], [cx - e - w, cy - e - h], [cx - e - w, cy + e]];
  }
  function placeLabel(t, cx, cy, r, taken, vw, vh) {
    var bb = t.getBBox(), w = bb.width + 2, h = bb.height;
    var base = bb.y - (+t.getAttribute("y"));  // the box's top relative to the baseline
    var cs = candidates(cx, cy, r, w, h);
    for (var i = 0; i < cs.length; i++) {
      var box = {x: cs[i][0], y: cs[i][1], w: w, h: h};
      if (free(box, taken, vw, vh)) {
        t.setAttribute("x", box.x + 1);
        t.setAttribute("y", box.y - base);
        taken.push(box);
        return true;
      }
    }
    t.classList.add("label-hidden");
    t.setAttribute("x", cs[0][0]);
    t.setAttribute("y", cs[0][1] - base);
    return false;
  }

  function plural(n, w) { return n + " " + w + (n === 1 ? "" : "s"); }
  function showPanel(c) {
    if (!panel) return;
    clear(panel);
    var h = document.createElement("p");
    h.textContent = plural(c.n, "event") + " at " + plural(c.members.length, "place") + (win ? " from " + isoDay(win[0]) + " to " + isoDay(win[1]) : "") + ":";
    panel.appendChild(h);
    var ul = document.createElement("ul");
    c.members.forEach(function (o) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = listUrl(o.p.location_id || o.p.location);
      a.textContent = o.p.location;
      a.setAttribute("dir", "auto");
      li.appendChild(a);
      li.appendChild(document.createTextNode(" " + plural(o.n, "event")));
      ul.appendChild(li);
    });
    panel.appendChild(ul);
    panel.hidden = false;
  }
  function openCluster(c) {
    var far = 0;  // the members' widest spread from the cluster's centre, in map units
    c.members.forEach(function (o) { far = Math.max(far, Math.abs(o.p.x - c.x), Math.abs(o.p.y - c.y)); });
    var deepest = (svg.getBoundingClientRect().width || W) / (W / MAX_ZOOM);  // px per unit at the deepest zoom
    if (far * deepest < CLUSTER_PX || view.w <= W / MAX_ZOOM + 1e-6) {
      showPanel(c);  // one point, or the deepest zoom: list its places
      return;
    }
    var k = pxPerUnit(), f = Math.max(2, Math.min(6, (CLUSTER_PX * 1.6 / k) / Math.max(far, 1e-6)));
    view.w = view.w / f;
    view.h = view.w * H / W;
    view.x = c.x - view.w / 2;
    view.y = c.y - view.h / 2;
    setView();  // centred on the cluster
  }

  function draw() {
    var k = pxPerUnit(), vw = view.w * k, vh = view.h * k;
    clear(gMarkers); clear(gLabels);
    overlay(gMarkers, k); overlay(gLabels, k);
    var cs = clusters(k);
    var top = Math.max.apply(null, cs.map(function (c) { return c.n; }).concat([1]));
    var taken = [], labels = [];
    cs.forEach(function (c) {
      var lead = c.members[0].p, multi = c.members.length > 1;
      c.r = 6 + 13 * Math.sqrt(c.n / top);
      var g, title = multi
        ? plural(c.n, "event") + " at " + c.members.map(function (o) { return o.p.location + " (" + o.n + ")"; }).join(", ")
        : lead.location + (lead.name_ar && lead.name_ar !== lead.location ? " · " + lead.name_ar : "") + ": " + plural(c.n, "event") + " (" + (lead.types || []).join(", ") + ")";
      if (multi) {
        g = el("g", {"class": "cluster", role: "button", tabindex: "0", "data-count": c.n, "data-places": c.members.length,
                     "data-place": lead.location_id || lead.location}, gMarkers);
        g.addEventListener("click", function (ev) { ev.preventDefault(); openCluster(c); });
        g.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); openCluster(c); } });
      } else {
        g = el("a", {href: listUrl(lead.location_id || lead.location), "class": "marker" + (lead.kind === "country" ? " country-marker" : ""),
                     "data-count": c.n, "data-place": lead.location_id || lead.location}, gMarkers);
      }
      el("title", {}, el("circle", {cx: c.X, cy: c.Y, r: c.r}, g)).textContent = title;
      if (multi || c.r >= 13) el("text", {x: c.X, y: c.Y + 4, "class": "count"}, g).textContent = String(c.n);
      taken.push({x: c.X - c.r, y: c.Y - c.r, w: 2 * c.r, h: 2 * c.r});
      var name = lead.location + (multi ? " +" + (c.members.length - 1) : "");
      var t = el("text", {x: c.X, y: c.Y, "class": "place-label" + (lead.kind === "country" ? " country-name" : ""), dir: "auto",
                          "data-place": lead.location_id || lead.location, "data-places": c.members.length}, gLabels);
      t.textContent = name;
      labels.push({t: t, c: c, g: g});
    });
    labels.forEach(function (l) { l.box = placeLabel(l.t, l.c.X, l.c.Y, l.c.r, taken, vw, vh); });
    labels.forEach(function (l) {  // a hidden label shows while its marker is hovered
      if (l.box) return;
      l.g.addEventListener("mouseenter", function () { l.t.classList.add("label-hover"); });
      l.g.addEventListener("mouseleave", function () { l.t.classList.remove("label-hover"); });
    });
    countries.forEach(function (t) {  // the basemap's country names: where no marker or label is
      t.classList.remove("label-hidden");
      var X = (+t.getAttribute("data-x") - view.x) * k, Y = (+t.getAttribute("data-y") - view.y) * k;
      t.setAttribute("transform", "translate(" + view.x + " " + view.y + ") scale(" + (1 / k) + ")");
      t.setAttribute("x", X);
      t.setAttribute("y", Y);
      var bb = t.getBBox();
      var box = {x: bb.x, y: bb.y, w: bb.width, h: bb.height};
      if (free(box, taken, vw, vh)) taken.push(box); else t.classList.add("label-hidden");
    });
    var shown = 0, at = 0;
    cs.forEach(function (c) { shown += c.n; at += c.members.length; });
    var cnt = document.getElementById("map-count");
    if (cnt) cnt.textContent = plural(shown, "event") + " at " + plural(at, "place") + " on the map";
    var list = document.getElementById("map-list");
    if (list) list.href = listUrl(null);
  }

  // -- the time slider: its steps are the days on which some event's interval starts or ends, so
  // that a store whose dates run from 2009 to 2018 but crowd into one April week stays usable -----
  var from = document.getElementById("slider-from"), to = document.getElementById("slider-to");
  var out = document.getElementById("slider-range");
  var ticks = {};
  places.forEach(function (p) { p.spansN.forEach(function (s) { if (s[0] !== null) { ticks[s[0]] = 1; ticks[s[1]] = 1; } }); });
  ticks = Object.keys(ticks).map(Number).sort(function (a, b) { return a - b; });
  if (from && to && ticks.length > 1) {
    var lastTick = ticks.length - 1;
    [from, to].forEach(function (s) { s.min = 0; s.max = lastTick; s.step = 1; s.setAttribute("data-ticks", ticks.map(isoDay).join(" ")); });
    from.value = 0; to.value = lastTick;
    var onSlide = function (ev) {
      if (+from.value > +to.value) { if (ev && ev.target === from) to.value = from.value; else from.value = to.value; }
      var a = ticks[+from.value], b = ticks[+to.value];
      win = (+from.value === 0 && +to.value === lastTick) ? null : [a, b];
      if (out) out.textContent = isoDay(a) + " – " + isoDay(b) + (win ? "" : " (all events)");
      if (panel) panel.hidden = true;
      draw();
    };
    from.addEventListener("input", onSlide);
    to.addEventListener("input", onSlide);
    onSlide();
  } else {
    var box = document.getElementById("map-slider");
    if (box) box.hidden = true;
  }
  window.addEventListener("resize", draw);
  setView();
})();
