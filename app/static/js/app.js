// ZoneCRM page behaviour: the contact form's project picker. No inline scripts anywhere.
(function () {
  "use strict";

  // The contact form's project picker: an ARIA 1.2 combobox (an input that controls a
  // listbox; the active option is named by aria-activedescendant, so focus stays in the input).
  // Choosing an option puts its id in the hidden project_id: same-name projects stay distinct.
  // Typing after a choice clears it; the server then asks before it creates a new project.
  function initPicker(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var hidden = input.form.querySelector("input[name=project_id]");
    var chosen = document.getElementById("project-chosen");
    var rows = [];
    var active = -1;
    var timer = null;
    var asked = "";

    function describe(row) {
      return [row.investor, row.stage, row.code].filter(Boolean).join(" · ");
    }

    function open() {
      if (!rows.length) { return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) { return; }
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function choose(index) {
      var row = rows[index];
      if (!row) { return; }
      input.value = row.name;
      hidden.value = String(row.id);
      chosen.textContent = "";
      var strong = document.createElement("strong");
      strong.textContent = row.name;
      chosen.appendChild(document.createTextNode("已选："));
      chosen.appendChild(strong);
      chosen.appendChild(document.createTextNode(" " + describe(row)));
      close();
    }

    function render() {
      list.textContent = "";
      rows.forEach(function (row, i) {
        var option = document.createElement("li");
        option.id = "project-option-" + row.id;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("strong");
        name.textContent = row.name;
        var facts = document.createElement("span");
        facts.textContent = describe(row);
        option.appendChild(name);
        option.appendChild(facts);
        // mousedown, not click: the input keeps the focus (and the list is not closed by blur first).
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(option);
      });
      if (!rows.length) {
        close();
        if (input.value.trim() && !hidden.value) {
          chosen.textContent = "台账中没有匹配的项目；保存时会询问是否新建。";
        }
      } else if (document.activeElement === input && !hidden.value) {
        open();
        chosen.textContent = "找到 " + rows.length + " 个项目，用上下方向键选择，回车确定。";
      }
    }

    function refresh() {
      var term = input.value.trim();
      asked = term;
      var url = input.dataset.lookup + "?q=" + encodeURIComponent(term);
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (found) {
          if (asked !== term) { return; }  // a later search is under way
          rows = found;
          render();
        })
        .catch(function () { /* offline or signed out: the server still asks before creating */ });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      chosen.textContent = "";
      rows = [];  // the list of the previous search is not offered for what is typed now
      list.textContent = "";
      close();
      clearTimeout(timer);
      timer = setTimeout(refresh, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { open(); }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1) + (active < 0 && event.key === "ArrowUp" ? 1 : 0));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();  // choose, do not submit
        choose(active);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
    input.addEventListener("focus", function () { if (!hidden.value && rows.length) { open(); } });
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

  // A table wider than the screen (a phone) scrolls inside its frame: the frame takes keyboard
  // focus then, so arrow keys scroll it, and is named by the table's caption or the heading above.
  function reachScrolledTables() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        var named = wrap.querySelector("caption") || wrap.parentNode.querySelector("h1, h2, h3");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", (named ? named.textContent.trim() + "（" : "（") + "可左右滚动）");
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    reachScrolledTables();
    window.addEventListener("resize", reachScrolledTables);
    var picker = document.querySelector("input[role=combobox][data-lookup]");
    if (picker) { initPicker(picker); }
    Array.prototype.forEach.call(document.querySelectorAll("input[data-unit]"), initAmount);
  });
})();
