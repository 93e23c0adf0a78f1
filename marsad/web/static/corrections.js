// marsad: the "flag / fix" forms of the article page.  Each form.corr-form is sent as JSON to
// POST /api/corrections (same origin); on success the page reloads and shows the correction, on
// an error its message is shown beside the button.  Without JavaScript the form posts itself.
(function () {
  "use strict";
  document.querySelectorAll("form.corr-form").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = {};
      new FormData(form).forEach(function (v, k) { if (v !== "") body[k] = v; });
      if (body.action === "wrong") {
        Object.keys(body).forEach(function (k) { if (k.indexOf("new_") === 0) delete body[k]; });
      }
      var msg = form.querySelector(".corr-msg");
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      if (msg) msg.textContent = "saving…";
      fetch("/api/corrections", {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", Accept: "application/json"},
        body: JSON.stringify(body)
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (d) {
          if (r.ok) { location.reload(); return; }
          if (msg) msg.textContent = d.message || ("error " + r.status);
          if (button) button.disabled = false;
        });
      }).catch(function (e) {
        if (msg) msg.textContent = "not saved: " + e;
        if (button) button.disabled = false;
      });
    });
  });
})();
