// The replay page: poll the progress endpoint and move the bar; reload once it finishes.
// Progressive enhancement only: without JavaScript the page refreshes itself (meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("replay-progress");
  if (!box || box.dataset.finished === "1") { return; }
  // JavaScript polls instead: stop the meta refresh so the page does not reload under it.
  var meta = document.querySelector('meta[http-equiv="refresh"]');
  if (meta) { meta.parentNode.removeChild(meta); }
  var bar = box.querySelector("[data-bar]");
  var holder = box.querySelector("[role=progressbar]");
  var url = box.dataset.progressUrl;
  function show(data) {
    var step = Math.floor(data.percent / 5) * 5;
    bar.className = bar.className.replace(/\bw-pct-\d+\b/, "w-pct-" + step);
    holder.setAttribute("aria-valuenow", String(data.percent));
    box.querySelector("[data-processed]").textContent = data.processed;
    box.querySelector("[data-total]").textContent = data.total;
    box.querySelector("[data-status]").textContent = data.status_label;
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) { window.location.reload(); } else { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 500);
})();
