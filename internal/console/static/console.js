// whmcsemu console: small enhancements over pages that work without
// script. Copy buttons for one-time secrets, scope rows added and removed
// in place, and the journal's live updates (a poll every 1.5 s).
(function () {
  "use strict";

  // Copy buttons: shown only when script runs.
  document.querySelectorAll("button.copy").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () {
      var input = document.getElementById(b.dataset.copy);
      var status = document.getElementById("copy-status");
      var done = function (ok) {
        if (status) status.textContent = ok ? "Copied " + input.labels[0].textContent + "." : "Copy failed: select the text and copy it.";
      };
      input.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(function () { done(true); }, function () { done(document.execCommand("copy")); });
      } else {
        done(document.execCommand("copy"));
      }
    });
  });

  // Scope rows: "+ Another scope" and "Remove" without a round trip.
  var rows = document.querySelector(".scope-rows");
  if (rows) {
    var max = parseInt(rows.dataset.max, 10) || 10;
    var renumber = function () {
      rows.querySelectorAll(".scope-row").forEach(function (li, i) {
        li.querySelectorAll("input").forEach(function (input) {
          var kind = input.name; // audience or scope
          input.id = kind + "-" + i;
          var label = li.querySelector("label[for^='" + kind + "-']");
          if (label) label.htmlFor = input.id;
        });
        li.querySelectorAll(".n").forEach(function (n) { n.textContent = String(i + 1); });
        var rm = li.querySelector("button.remove");
        if (rm) rm.value = "remove-" + i;
      });
      var add = document.querySelector("button.add-scope");
      if (add) add.disabled = rows.querySelectorAll(".scope-row").length >= max;
    };
    rows.addEventListener("click", function (e) {
      var rm = e.target.closest("button.remove");
      if (!rm) return;
      e.preventDefault();
      var li = rm.closest(".scope-row");
      var all = rows.querySelectorAll(".scope-row");
      if (all.length === 1) {
        li.querySelectorAll("input").forEach(function (i) { i.value = ""; });
        li.querySelector("input").focus();
        return;
      }
      var next = li.nextElementSibling || li.previousElementSibling;
      li.remove();
      renumber();
      next.querySelector("input").focus();
    });
    var add = document.querySelector("button.add-scope");
    if (add) add.addEventListener("click", function (e) {
      e.preventDefault();
      var all = rows.querySelectorAll(".scope-row");
      if (all.length >= max) return;
      var copy = all[all.length - 1].cloneNode(true);
      copy.querySelectorAll("input").forEach(function (i) { i.value = ""; });
      rows.appendChild(copy);
      renumber();
      copy.querySelector("input").focus();
    });
    renumber();
  }

  // The journal: fetch the rows the filters select, and say when new
  // calls arrive.
  var table = document.getElementById("journal");
  if (table && window.fetch) {
    var body = document.getElementById("journal-rows");
    var status = document.getElementById("journal-status");
    var newest = function () {
      var first = body.querySelector("tr[data-seq]");
      return first ? parseInt(first.dataset.seq, 10) : 0;
    };
    var busy = false;
    var poll = function () {
      if (busy || document.hidden) return;
      busy = true;
      fetch(table.dataset.rows, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text().then(function (t) { return [t, r.headers.get("X-Journal-Total")]; }) : null; })
        .then(function (res) {
          if (!res) return;
          var before = newest();
          var tmp = document.createElement("tbody");
          tmp.innerHTML = res[0];
          var first = tmp.querySelector("tr[data-seq]");
          var after = first ? parseInt(first.dataset.seq, 10) : 0;
          if (after !== before || tmp.children.length !== body.children.length) {
            var added = 0;
            tmp.querySelectorAll("tr[data-seq]").forEach(function (tr) {
              if (parseInt(tr.dataset.seq, 10) > before) added++;
            });
            body.replaceChildren.apply(body, Array.prototype.slice.call(tmp.children));
            status.textContent = (added ? added + (added === 1 ? " new call. " : " new calls. ") : "") + res[1] + " calls match; newest first.";
          }
        })
        .catch(function () {})
        .then(function () { busy = false; });
    };
    setInterval(poll, 1500);
  }
})();
