/* Follows a background job on its page: moves the progress bar, then reloads the page when the
 * job is over so the server renders the outcome. Progressive enhancement only: without
 * JavaScript the page offers an "Actualiser" link. */
(function () {
  "use strict";
  var INTERVAL_MS = 1000;
  var section = document.querySelector("[data-job-url]");
  if (!section || !window.fetch) { return; }
  var url = section.getAttribute("data-job-url");
  var bar = section.querySelector("progress");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (job.status === "finished" || job.status === "failed") {
          window.location.reload();
          return;
        }
        if (bar && job.progress && job.progress.total) {
          bar.max = job.progress.total;
          bar.value = job.progress.done;
        }
        window.setTimeout(poll, INTERVAL_MS);
      })
      .catch(function () { window.setTimeout(poll, INTERVAL_MS * 5); });
  }
  window.setTimeout(poll, INTERVAL_MS);
})();
