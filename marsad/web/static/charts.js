// marsad: a stacked timeline bar chart and a who-meets-whom network, drawn as SVG by hand.
// Data comes from <script type="application/json"> blocks; text goes in with textContent only.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var PALETTE = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777",
                 "#4b5563", "#65a30d", "#7c3aed", "#0d9488"];

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, attrs) {
    var t = el("text", Object.assign({x: x, y: y}, attrs || {}), parent);
    t.textContent = s;
    return t;
  }
  function titled(parent, s) { var t = el("title", {}, parent); t.textContent = s; return t; }
  function readJSON(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }
  function svgIn(box, w, h) {
    while (box.firstChild) box.removeChild(box.firstChild);
    return el("svg", {viewBox: "0 0 " + w + " " + h, width: w, height: h, role: "img"}, box);
  }
  function niceMax(v) {
    if (v <= 5) return Math.max(1, v);
    var p = Math.pow(10, Math.floor(Math.log10(v))), m = v / p;
    return (m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  function drawTimeline(box, data) {
    var W = Math.max(620, Math.round(box.getBoundingClientRect().width) || 620), H = 340, L = 36, R = 10, T = 12, B = 62;
    var svg = svgIn(box, W, H);
    svg.setAttribute("aria-label", "events over time");
    var buckets = (data && data.buckets) || [];
    if (!buckets.length) { text(svg, W / 2, H / 2, "No dated events", {"text-anchor": "middle", "class": "empty"}); return; }
    var colors = {};
    data.types.forEach(function (t, i) { colors[t] = PALETTE[i % PALETTE.length]; });
    var top = niceMax(Math.max.apply(null, buckets.map(function (b) { return b.total; })));
    var iw = W - L - R, ih = H - T - B, bw = Math.min(iw / buckets.length, 48);
    var x0 = L + (iw - bw * buckets.length) / 2;  // few buckets: narrow bars, centred
    var y = function (v) { return T + ih - ih * v / top; };
    [0, top / 2, top].forEach(function (v) {
      el("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), "class": v ? "gridline" : "axis"}, svg);
      if (v === Math.round(v)) text(svg, L - 5, y(v) + 4, String(v), {"text-anchor": "end"});
    });
    var link = box.getAttribute("data-link") || "";
    var every = Math.max(1, Math.ceil(buckets.length / 8));
    buckets.forEach(function (b, i) {
      var x = x0 + i * bw, acc = 0;
      var a = el("a", {href: link + "since=" + b.since + "&until=" + b.until + (b.precision ? "&precision=" + b.precision : "")}, svg);
      var parts = data.types.filter(function (t) { return b.counts[t]; })
        .map(function (t) { return t + " " + b.counts[t]; });
      titled(a, b.key + ": " + b.total + " event" + (b.total === 1 ? "" : "s") + (parts.length ? " (" + parts.join(", ") + ")" : ""));
      el("rect", {x: x, y: T, width: bw, height: ih, fill: "transparent"}, a);
      data.types.forEach(function (t) {
        var n = b.counts[t] || 0;
        if (!n) return;
        el("rect", {x: x + Math.min(2, bw * 0.1), width: Math.max(1, bw - Math.min(4, bw * 0.2)),
                    y: y(acc + n), height: y(acc) - y(acc + n), fill: colors[t], rx: 1.5}, a);
        acc += n;
      });
      if (i % every === 0) {
        var lx = x + bw / 2;
        text(svg, lx, H - B + 14, b.key, {"text-anchor": "end", transform: "rotate(-35 " + lx + " " + (H - B + 14) + ")"});
      }
    });
    // legend
    var lx = L, ly = H - 8;
    data.types.slice(0, 8).forEach(function (t) {
      var g = el("g", {"class": "legend-item"}, svg);
      el("rect", {x: lx, y: ly - 9, width: 10, height: 10, fill: colors[t], rx: 2}, g);
      text(g, lx + 14, ly, t);
      lx += 22 + Math.max(40, t.length * 6.5);
    });
  }

  // The network is laid out in screen pixels (the box's own width), so that labels are measured
  // as they show: a force layout (repulsion, springs along links, a pull to the centre, no two
  // nodes overlapping), then each name, heaviest node first, goes to the first free spot around
  // its node (right, left, above, below, the diagonals) that overlaps no node and no placed name;
  // a name with no free spot is hidden and shows when its node is hovered or focused.
  function boxesOverlap(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }
  function placeLabels(items, obstacles, W, H) {
    var taken = obstacles.slice();
    items.forEach(function (it) {
      var t = it.t, bb = t.getBBox(), w = bb.width + 2, h = bb.height, base = bb.y - (+t.getAttribute("y"));
      var d = it.r + 3, e = it.r * 0.7 + 2, x = it.x, y = it.y;
      var spots = [[x + d, y - h / 2], [x - d - w, y - h / 2], [x - w / 2, y - d - h], [x - w / 2, y + d],
                   [x + e, y - e - h], [x + e, y + e], [x - e - w, y - e - h], [x - e - w, y + e]];
      for (var i = 0; i < spots.length; i++) {
        var b = {x: spots[i][0], y: spots[i][1], w: w, h: h}, ok = b.x >= 0 && b.y >= 0 && b.x + w <= W && b.y + h <= H;
        for (var j = 0; ok && j < taken.length; j++) if (boxesOverlap(b, taken[j])) ok = false;
        if (ok) {
          t.setAttribute("x", b.x + 1); t.setAttribute("y", b.y - base);
          taken.push(b);
          return;
        }
      }
      t.setAttribute("x", spots[0][0] + 1); t.setAttribute("y", spots[0][1] - base);
      t.classList.add("label-hidden");
    });
  }

  function drawNetwork(box, data) {
    var W = Math.max(480, Math.round(box.getBoundingClientRect().width) || 620), H = Math.round(Math.max(340, Math.min(560, W * 0.48))), pad = 14;
    var svg = svgIn(box, W, H);
    svg.setAttribute("aria-label", "network of actors");
    var nodes = (data && data.nodes) || [], edges = (data && data.edges) || [];
    if (!nodes.length) { text(svg, W / 2, H / 2, "No events between actors to draw", {"text-anchor": "middle", "class": "empty"}); return; }
    var idx = {};
    var maxN = Math.max.apply(null, nodes.map(function (n) { return n.weight; }).concat([1]));
    var order = nodes.slice().sort(function (a, b) { return b.weight - a.weight || (a.id < b.id ? -1 : 1); });
    order.forEach(function (n, i) {  // deterministic start: a sunflower spiral, heaviest in the middle
      var a = i * 2.39996, f = Math.sqrt((i + 0.5) / nodes.length);
      n.x = W / 2 + Math.cos(a) * f * (W / 2 - 60); n.y = H / 2 + Math.sin(a) * f * (H / 2 - 30);
      n.r = 5 + 9 * Math.sqrt(n.weight / maxN);
    });
    nodes.forEach(function (n, i) { idx[n.id] = i; });
    var links = edges.filter(function (e) { return e.source in idx && e.target in idx; });
    var K = Math.sqrt(W * H / nodes.length) * 0.75;
    for (var it = 0; it < 300; it++) {
      var temp = (W / 10) * (1 - it / 300) + 1;
      nodes.forEach(function (n) { n.dx = 0; n.dy = 0; });
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = nodes[i], b = nodes[j], dx = a.x - b.x, dy = (a.y - b.y) * 1.6, d = Math.sqrt(dx * dx + dy * dy) || 0.01;
          var f = K * K / d + (d < a.r + b.r + 8 ? 4 * K : 0);
          a.dx += f * dx / d; a.dy += f * dy / d; b.dx -= f * dx / d; b.dy -= f * dy / d;
        }
      }
      links.forEach(function (e) {
        var s = nodes[idx[e.source]], t = nodes[idx[e.target]];
        var dx = t.x - s.x, dy = t.y - s.y, d = Math.sqrt(dx * dx + dy * dy) || 0.01, f = d * d / K;
        s.dx += f * dx / d; s.dy += f * dy / d; t.dx -= f * dx / d; t.dy -= f * dy / d;
      });
      nodes.forEach(function (n) {
        n.dx += (W / 2 - n.x) * 0.6; n.dy += (H / 2 - n.y) * 1.2;  // gravity: keeps loose pairs in view
        var d = Math.sqrt(n.dx * n.dx + n.dy * n.dy) || 0.01, m = Math.min(d, temp);
        n.x = Math.min(W - pad - n.r, Math.max(pad + n.r, n.x + n.dx / d * m));
        n.y = Math.min(H - pad - n.r, Math.max(pad + n.r, n.y + n.dy / d * m));
      });
    }
    var maxW = Math.max.apply(null, links.map(function (e) { return e.weight; }).concat([1]));
    var gEdges = el("g", {"class": "edges"}, svg), gNodes = el("g", {"class": "nodes"}, svg);
    links.forEach(function (e) {
      var a = nodes[idx[e.source]], b = nodes[idx[e.target]];
      var link = el("a", {href: e.url}, gEdges);
      titled(link, a.name + " — " + b.name + ": " + e.weight + " event" + (e.weight === 1 ? "" : "s"));
      el("line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: "transparent", "stroke-width": 10}, link);
      el("line", {x1: a.x, y1: a.y, x2: b.x, y2: b.y, "class": "edge", "stroke-width": 1.2 + 3.5 * e.weight / maxW}, link);
    });
    var items = [];
    order.forEach(function (n) {
      var a = el("a", {href: n.url, "class": "node-link", "data-id": n.id}, gNodes);
      titled(a, n.name + ": " + n.weight + " event" + (n.weight === 1 ? "" : "s"));
      el("circle", {cx: n.x, cy: n.y, r: n.r, "class": "node", fill: PALETTE[idx[n.id] % PALETTE.length]}, a);
      items.push({t: text(a, n.x, n.y, n.name, {"class": "node-label", dir: "auto"}), x: n.x, y: n.y, r: n.r});
    });
    placeLabels(items, nodes.map(function (n) { return {x: n.x - n.r, y: n.y - n.r, w: 2 * n.r, h: 2 * n.r}; }), W, H);
  }

  var t = document.getElementById("timeline");
  if (t) drawTimeline(t, readJSON("timeline-data"));
  var n = document.getElementById("network");
  if (n) drawNetwork(n, readJSON("network-data"));
})();
