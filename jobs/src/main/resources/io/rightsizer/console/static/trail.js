// Polls the audit trail while a published decision waits for the job's answer; reloads the page
// once an event at or after the decision arrives, so the state, forms and outcome are current.
(function () {
  "use strict";
  var pending = document.getElementById("decision-pending");
  if (!pending) {
    return;
  }
  var decidedAt = Number(pending.getAttribute("data-decided-at"));
  var url = pending.getAttribute("data-trail");
  var tries = 0;
  function arrived(table) {
    var rows = table.querySelectorAll("tr[data-at]");
    for (var i = 0; i < rows.length; i++) {
      var kind = rows[i].getAttribute("data-kind");
      if (Number(rows[i].getAttribute("data-at")) >= decidedAt &&
          (kind === "TRANSITION" || kind === "DECISION_REJECTED")) {
        return true;
      }
    }
    return false;
  }
  function poll() {
    tries++;
    fetch(url, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("trail");
        var current = document.getElementById("trail");
        if (fresh && current) {
          current.replaceWith(document.importNode(fresh, true));
          if (arrived(fresh)) {
            window.location.reload();
            return;
          }
        }
        if (tries < 150) {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        if (tries < 150) {
          window.setTimeout(poll, 2000);
        }
      });
  }
  window.setTimeout(poll, 2000);
})();
