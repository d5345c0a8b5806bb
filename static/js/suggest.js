/* Search suggestions as you type: fills the input's <datalist> from /api/v1/search/suggest.
 * Progressive enhancement only: without JavaScript the datalist keeps the suggestions the page
 * was served with, and the form still submits to /search. */
(function () {
  "use strict";
  var DELAY_MS = 200;

  function enhance(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest-url");
    if (!list || !url || !window.fetch) { return; }
    var timer = null;
    var lastQuery = "";

    function fill(suggestions) {
      var seen = {};
      while (list.firstChild) { list.removeChild(list.firstChild); }
      suggestions.forEach(function (entry) {
        if (seen[entry.label]) { return; }
        seen[entry.label] = true;
        var option = document.createElement("option");
        option.value = entry.label;
        list.appendChild(option);
      });
    }

    function update() {
      var query = input.value.trim();
      if (query.length < 2 || query === lastQuery) { return; }
      lastQuery = query;
      var address = url + "?limit=8&q=" + encodeURIComponent(query);
      fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (body) { if (input.value.trim() === query) { fill(body.suggestions || []); } })
        .catch(function () { /* keep the suggestions already there */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, DELAY_MS);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("input[list][data-suggest-url]"), enhance);
  });
}());
