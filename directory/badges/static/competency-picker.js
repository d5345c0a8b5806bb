// Search-as-you-type for the competency picker. Without this script the form still works:
// the "Chercher" button posts the query and the page lists matches as checkboxes.
(function () {
  "use strict";
  var picker = document.querySelector("[data-competency-picker]");
  if (!picker) { return; }
  var input = picker.querySelector("input[type=search]");
  var picked = picker.querySelector(".picked");
  var status = picker.querySelector("[role=status]");
  var searchButton = picker.querySelector("button[value=search]");
  var list = document.createElement("ul");
  var options = [];
  var active = -1;
  var timer = null;

  list.id = "competency-options";
  list.className = "picker-results";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", picker.dataset.listLabel || "");
  list.hidden = true;
  input.parentNode.insertBefore(list, input.nextSibling);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  if (searchButton) { searchButton.hidden = true; }

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    options = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function isPicked(id) {
    return picked.querySelector("input[value='" + id + "']") !== null;
  }

  function render(results) {
    close();
    results.filter(function (item) { return !isPicked(item.id); }).forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = "competency-option-" + item.id;
      option.setAttribute("role", "option");
      option.textContent = item.label + " (" + item.framework + ")";
      option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
      list.appendChild(option);
      options.push({ element: option, item: item });
    });
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", options.length ? "true" : "false");
    status.textContent = options.length ? picker.dataset.countLabel.replace("%d", options.length) : picker.dataset.noneLabel;
  }

  function highlight(index) {
    options.forEach(function (option, i) { option.element.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) { input.setAttribute("aria-activedescendant", options[index].element.id); }
  }

  function choose(item) {
    var entry = document.createElement("li");
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = "competency_ids";
    box.value = item.id;
    box.checked = true;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + item.label + " (" + item.framework + ")"));
    entry.appendChild(label);
    picked.appendChild(entry);
    var empty = picker.querySelector("[data-empty]");
    if (empty) { empty.hidden = true; }
    status.textContent = picker.dataset.addedLabel + " " + item.label;
    input.value = "";
    close();
    input.focus();
  }

  function search() {
    var query = input.value.trim();
    if (query.length < 2) { close(); return; }
    fetch(picker.dataset.url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (body) { if (input.value.trim() === query) { render(body.results); } })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && options.length) { event.preventDefault(); highlight((active + 1) % options.length); }
    else if (event.key === "ArrowUp" && options.length) { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
    else if (event.key === "Enter") { event.preventDefault(); if (active >= 0) { choose(options[active].item); } else { search(); } }
    else if (event.key === "Escape") { close(); }
  });
})();
