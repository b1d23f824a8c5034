// ZoneCRM page behaviour: the contact form's project picker. No inline scripts anywhere.
(function () {
  "use strict";

  function initPicker(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var hidden = input.form.querySelector("input[name=project_id]");
    var details = document.getElementById("new-project");
    var byLabel = {};
    var timer = null;

    function refresh() {
      var url = input.dataset.lookup + "?q=" + encodeURIComponent(input.value.trim());
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          list.textContent = "";
          byLabel = {};
          rows.forEach(function (row) {
            var option = document.createElement("option");
            option.value = row.name;
            option.label = [row.investor, row.stage].filter(Boolean).join(" · ");
            list.appendChild(option);
            byLabel[row.name] = row.id;
          });
          sync();
        })
        .catch(function () { /* offline or logged out: typing a name still works */ });
    }

    function sync() {
      var id = byLabel[input.value.trim()];
      hidden.value = id ? String(id) : "";
      if (details && input.value.trim() && !id && Object.keys(byLabel).length === 0) {
        details.open = true;
      }
    }

    input.addEventListener("input", function () {
      sync();
      clearTimeout(timer);
      timer = setTimeout(refresh, 200);
    });
    input.addEventListener("change", sync);
    refresh();
  }

  // An amount field says how it reads what was typed ("= 35,000.00 万元") before saving:
  // the server's own parser answers, so what is shown is what will be saved.
  function initAmount(input) {
    var output = document.getElementById(input.id + "-reading");
    var timer = null;
    if (!output) { return; }
    function read() {
      var text = input.value.trim();
      if (!text) { output.textContent = ""; output.classList.remove("bad"); return; }
      var url = input.dataset.reading + "?unit=" + encodeURIComponent(input.dataset.unit) +
        "&text=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) {
          if (!answer || input.value.trim() !== text) { return; }
          output.textContent = answer.ok ? answer.reading : answer.message;
          output.classList.toggle("bad", !answer.ok);
        })
        .catch(function () { /* offline: the save reads it all the same */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(read, 250);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var picker = document.querySelector("input[data-lookup]");
    if (picker) { initPicker(picker); }
    Array.prototype.forEach.call(document.querySelectorAll("input[data-unit]"), initAmount);
  });
})();
