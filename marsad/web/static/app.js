// marsad: tooltips over highlighted spans and anchor highlighting.  Text only: never innerHTML.
(function () {
  "use strict";
  var text = document.getElementById("text");
  var head = document.querySelector("h1.headline");
  if (!text) return;
  var tip = document.createElement("div");
  tip.id = "tip";
  tip.hidden = true;
  tip.setAttribute("role", "tooltip");
  document.body.appendChild(tip);

  // move titles into data-tip so the browser's own tooltip does not double ours
  [text, head].forEach(function (root) {
    if (!root) return;
    root.querySelectorAll(".hl[title]").forEach(function (el) {
      el.setAttribute("data-tip", el.getAttribute("title"));
      el.removeAttribute("title");
    });
  });

  function show(ev) {
    var el = ev.target.closest ? ev.target.closest(".hl") : null;
    if (!el) { tip.hidden = true; return; }
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    // the innermost span first, then every span it sits in
    for (var n = el; n && n !== text && n !== head; n = n.parentElement) {
      var t = n.getAttribute && n.getAttribute("data-tip");
      if (t) { var line = document.createElement("div"); line.textContent = t; tip.appendChild(line); }
    }
    tip.hidden = !tip.firstChild;
    move(ev);
  }
  function move(ev) {
    if (tip.hidden) return;
    var x = ev.clientX + 14, y = ev.clientY + 16;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) x = Math.max(8, ev.clientX - w - 14);
    if (y + h > window.innerHeight - 8) y = Math.max(8, ev.clientY - h - 16);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  [text, head].forEach(function (root) {
    if (!root) return;
    root.addEventListener("mouseover", show);
    root.addEventListener("mousemove", move);
    root.addEventListener("mouseleave", function () { tip.hidden = true; });
  });

  // a span cut into fragments (it crosses another) lights up whole when its anchor is the target
  function mark() {
    document.querySelectorAll(".is-target").forEach(function (el) { el.classList.remove("is-target"); });
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    document.querySelectorAll(".hl[data-ref]").forEach(function (el) {
      if (el.getAttribute("data-ref") === id) el.classList.add("is-target");
    });
  }
  window.addEventListener("hashchange", mark);
  mark();
})();
