// Import pages: run the check or the import without leaving the page, and show its progress by
// polling the job's progress endpoint (any worker can answer it: the progress is in the database).
(function () {
  "use strict";

  function show(box, p) {
    box.hidden = false;
    var bar = box.querySelector("progress");
    bar.value = p.percent;
    bar.textContent = p.percent + "%";
    document.getElementById("import-phase").textContent = p.phase_label || "准备";
    document.getElementById("import-count").textContent = p.total ? (p.done + " / " + p.total + " 行")
      : (p.phase === "queued" ? "排队等待后台处理…" : "正在读取文件…");
    var status = document.getElementById("import-status");
    if (status && p.status_label) { status.textContent = p.status_label; }
  }

  function poll(box, state) {
    if (state.finished) { return; }
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p || state.finished) { return; }
        show(box, p);
        if (p.finished && state.reloadWhenDone) {
          state.finished = true;
          window.location.reload();
        }
      })
      .catch(function () { /* a missed poll is retried */ })
      .then(function () { if (!state.finished) { setTimeout(function () { poll(box, state); }, 700); } });
  }

  function run(form, box) {
    var state = { finished: false };
    var button = form.querySelector("button");
    if (button) { button.disabled = true; }
    show(box, { percent: 0, done: 0, total: 0, phase_label: "" });
    // redirect: "manual" leaves the page's one-time message for the page itself to show.
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" })
      .catch(function () { /* the page below shows what happened */ })
      .then(function () {
        state.finished = true;
        window.location.assign(form.dataset.next);
      });
    setTimeout(function () { poll(box, state); }, 300);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("import-progress");
    if (!box) { return; }
    var forms = document.querySelectorAll("form[data-import-run]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        run(form, box);
      });
      if (form.hasAttribute("data-autostart") && !box.hasAttribute("data-running")) { run(form, box); }
    });
    // Opened while a check or an import runs in another tab: follow it, then show the result.
    if (box.hasAttribute("data-running")) { poll(box, { finished: false, reloadWhenDone: true }); }
  });
})();
