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
    var W = 620, H = 340, L = 36, R = 10, T = 12, B = 62;
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

  function drawNetwork(box, data) {
    var W = 620, H = 340, pad = 28, padX = 120;
    var svg = svgIn(box, W, H);
    svg.setAttribute("aria-label", "network of actors who meet");
    var nodes = (data && data.nodes) || [], edges = (data && data.edges) || [];
    if (!nodes.length) { text(svg, W / 2, H / 2, "No CONSULT events to draw", {"text-anchor": "middle", "class": "empty"}); return; }
    var idx = {};
    nodes.forEach(function (n, i) {
      idx[n.id] = i;
      var a = 2 * Math.PI * i / nodes.length;  // deterministic start: a circle
      n.x = Math.cos(a) * 100; n.y = Math.sin(a) * 100; n.vx = 0; n.vy = 0;
    });
    var links = edges.filter(function (e) { return e.source in idx && e.target in idx; });
    // a small force layout: pairwise repulsion, springs along links, a pull to the centre
    for (var it = 0; it < 400; it++) {
      var cool = 1 - it / 400;
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var dx = nodes[i].x - nodes[j].x, dy = nodes[i].y - nodes[j].y;
          var d2 = Math.max(dx * dx + dy * dy, 25), f = 4000 / d2, d = Math.sqrt(d2);
          nodes[i].vx += f * dx / d; nodes[i].vy += f * dy / d;
          nodes[j].vx -= f * dx / d; nodes[j].vy -= f * dy / d;
        }
      }
      links.forEach(function (e) {
        var s = nodes[idx[e.source]], t = nodes[idx[e.target]];
        var dx = t.x - s.x, dy = t.y - s.y, d = Math.sqrt(dx * dx + dy * dy) || 1, f = (d - 110) * 0.03;
        s.vx += f * dx / d; s.vy += f * dy / d; t.vx -= f * dx / d; t.vy -= f * dy / d;
      });
      nodes.forEach(function (n) {
        n.vx -= n.x * 0.01; n.vy -= n.y * 0.01;
        var v = Math.sqrt(n.vx * n.vx + n.vy * n.vy), cap = 20 * cool + 0.5;
        if (v > cap) { n.vx *= cap / v; n.vy *= cap / v; }
        n.x += n.vx; n.y += n.vy; n.vx *= 0.5; n.vy *= 0.5;
      });
    }
    var xs = nodes.map(function (n) { return n.x; }), ys = nodes.map(function (n) { return n.y; });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), y0 = Math.min.apply(null, ys), y1 = Math.max.apply(null, ys);
    // stretch each axis to the box (the box is wider than tall; labels need the width anyway)
    var sx = Math.min((W - 2 * padX) / Math.max(x1 - x0, 1), 3), sy = Math.min((H - 2 * pad) / Math.max(y1 - y0, 1), 3);
    var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    nodes.forEach(function (n) { n.px = W / 2 + (n.x - cx) * sx; n.py = H / 2 + (n.y - cy) * sy; });
    var maxW = Math.max.apply(null, links.map(function (e) { return e.weight; }).concat([1]));
    var maxN = Math.max.apply(null, nodes.map(function (n) { return n.weight; }).concat([1]));
    links.forEach(function (e) {
      var a = nodes[idx[e.source]], b = nodes[idx[e.target]];
      var link = el("a", {href: e.url}, svg);
      titled(link, a.name + " — " + b.name + ": " + e.weight + " meeting" + (e.weight === 1 ? "" : "s"));
      el("line", {x1: a.px, y1: a.py, x2: b.px, y2: b.py, stroke: "transparent", "stroke-width": 10}, link);
      el("line", {x1: a.px, y1: a.py, x2: b.px, y2: b.py, "class": "edge", "stroke-width": 1.5 + 4 * e.weight / maxW}, link);
    });
    nodes.forEach(function (n, i) {
      var a = el("a", {href: n.url}, svg);
      titled(a, n.name + ": " + n.weight + " meeting" + (n.weight === 1 ? "" : "s"));
      var r = 6 + 10 * Math.sqrt(n.weight / maxN);
      el("circle", {cx: n.px, cy: n.py, r: r, "class": "node", fill: PALETTE[i % PALETTE.length]}, a);
      var right = n.px >= W / 2;  // labels point away from the centre
      text(a, n.px + (right ? r + 4 : -r - 4), n.py + 4, n.name, {"class": "node-label", "text-anchor": right ? "start" : "end"});
    });
  }

  var t = document.getElementById("timeline");
  if (t) drawTimeline(t, readJSON("timeline-data"));
  var n = document.getElementById("network");
  if (n) drawNetwork(n, readJSON("network-data"));
})();
