// marsad: actor suggestions as you type.  Each <input data-suggest> gets a <datalist> filled from
// /api/actors/suggest (any spelling: Arabic, English, an id); an option's value is the actor id.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest]").forEach(function (input, n) {
    var list = document.createElement("datalist");
    list.id = "suggest-" + n;
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null, last = "";
    function fill(items) {
      while (list.firstChild) list.removeChild(list.firstChild);
      items.forEach(function (a) {
        var o = document.createElement("option");
        o.value = a.actor_id;
        o.label = a.name + " · " + a.mentions;
        o.textContent = a.name + " · " + a.mentions;
        list.appendChild(o);
      });
    }
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (timer) clearTimeout(timer);
      if (!q || q === last) return;
      timer = setTimeout(function () {
        last = q;
        fetch("/api/actors/suggest?q=" + encodeURIComponent(q), {headers: {Accept: "application/json"}})
          .then(function (r) { return r.ok ? r.json() : {items: []}; })
          .then(function (d) { if (input.value.trim() === q) fill(d.items || []); })
          .catch(function () {});
      }, 150);
    });
  });
})();
