// The contact form keeps a draft in this browser (localStorage) until it is saved: typed,
// the page closed or the connection lost, the next visit offers it back. The draft is the
// signed-in user's own (keyed by user id) and is forgotten once the server says it saved
// (body[data-draft-saved]). Its idempotency key goes with it, so a draft sent twice logs once.
(function () {
  "use strict";
  var body = document.body;
  var user = body.getAttribute("data-user");
  if (!user || !window.localStorage) { return; }
  var saved = body.getAttribute("data-draft-saved");
  if (saved) { try { localStorage.removeItem("zc-draft:" + user + ":" + saved); } catch (e) { /* private mode */ } }

  var form = document.querySelector("form[data-draft]");
  if (!form) { return; }
  var key = "zc-draft:" + user + ":" + form.getAttribute("data-draft");
  var SKIP = { csrf_token: true };

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.name] && el.type !== "submit" && el.type !== "button" && el.type !== "file";
    });
  }
  function save() {
    var data = [];
    fields().forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio")) { if (el.checked) { data.push([el.name, el.value]); } }
      else { data.push([el.name, el.value]); }
    });
    try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), data: data })); } catch (e) { /* full */ }
  }
  function restore(data) {
    var values = {};
    data.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    fields().forEach(function (el) {
      var list = values[el.name];
      if (!list) { if (el.type === "checkbox") { el.checked = false; } return; }
      if (el.type === "checkbox" || el.type === "radio") { el.checked = list.indexOf(el.value) !== -1; }
      else { el.value = list[0]; }
    });
  }

  var stored = null;
  try { stored = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
  var offer = form.querySelector(".draft-offer");
  var hasText = stored && stored.data.some(function (p) { return p[0] === "summary" && p[1].trim(); });
  if (hasText && offer && !form.hasAttribute("data-draft-fresh")) {
    offer.hidden = false;
    offer.querySelector("[data-draft-restore]").addEventListener("click", function () {
      restore(stored.data); offer.hidden = true;
    });
    offer.querySelector("[data-draft-discard]").addEventListener("click", function () {
      localStorage.removeItem(key); offer.hidden = true;
    });
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
})();
