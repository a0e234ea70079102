// Behaviour that used to be inline (the Content-Security-Policy allows no inline script).

// Status changes made without a page load are announced to screen readers: the server
// names them in an HX-Trigger header ({"announce": "…"}, ideas/core/live.py) and they
// are written into the page's one polite live region (#live-status, base.html), which is
// in the page from the start. The same text twice in a row is said once.
function announce(text) {
  var region = document.getElementById("live-status");
  if (!region || !text) { return; }
  if (region.textContent === text) { region.textContent = ""; }
  // a fresh text node after a tick, so that screen readers notice the change
  window.setTimeout(function () { region.textContent = text; }, 50);
}
document.body.addEventListener("announce", function (e) {
  announce(e.detail && (e.detail.value || (typeof e.detail === "string" ? e.detail : "")));
});

// Keyboard focus survives a swap: htmx puts it back on an element with the same id; when
// that element is gone (the focused button was replaced by another), focus goes to the
// first control of the swapped-in part, or to the element the server names
// (HX-Trigger {"moveFocus": "#comment-12"}), never back to the top of the page.
function focusTarget(el) {
  if (!el) { return; }
  if (!el.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
    el.setAttribute("tabindex", "-1");
  }
  el.focus({ preventScroll: false });
}
document.body.addEventListener("moveFocus", function (e) {
  var selector = e.detail && e.detail.value;
  if (selector && /^#[A-Za-z][\w-]*$/.test(selector)) {
    window.setTimeout(function () { focusTarget(document.querySelector(selector)); }, 0);
  }
});
document.addEventListener("htmx:afterSettle", function (e) {
  var active = document.activeElement;
  if (active && active !== document.body && document.body.contains(active)) { return; }
  var part = e.detail && e.detail.elt;
  if (!part || !document.body.contains(part)) { part = e.detail && e.detail.target; }
  var keep = part && part.closest ? part.closest("[data-keep-focus]") || (part.querySelector && part.querySelector("[data-keep-focus]")) : null;
  if (!keep) { return; }
  focusTarget(keep.querySelector("button:not([disabled]), a[href], input:not([type=hidden]), textarea, select") || keep);
});

// htmx swaps only successful answers; a refused one (403, 422, 429, ...) would vanish
// silently. Show its message in a live region at the top of the page instead, unless
// the server already pointed it somewhere (HX-Retarget).
document.addEventListener("htmx:responseError", function (e) {
  var xhr = e.detail && e.detail.xhr;
  if (!xhr || xhr.getResponseHeader("HX-Retarget")) { return; }
  var box = document.getElementById("htmx-error");
  if (!box) {
    box = document.createElement("div");
    box.id = "htmx-error";
    box.className = "container mt-2";
    box.setAttribute("role", "alert");
    box.setAttribute("aria-live", "assertive");
    var main = document.getElementById("main") || document.body;
    main.insertBefore(box, main.firstChild);
  }
  var text = (xhr.responseText || "").length < 4000 ? xhr.responseText : "";
  box.innerHTML = "";
  var alert = document.createElement("div");
  alert.className = "alert alert-danger py-2 small";
  // the answer is our own escaped template; parse it instead of trusting markup
  var parsed = new DOMParser().parseFromString(text, "text/html");
  alert.textContent = (parsed.body && parsed.body.textContent.trim()) || ("Error " + xhr.status);
  box.appendChild(alert);
});

// A file over the upload limit is refused before the form is sent, with the file named on
// its field, so nothing typed is lost (the server checks again and answers on the field).
document.addEventListener("change", function (e) {
  var input = e.target;
  if (!input || !input.matches || !input.matches("input[type=file]")) { return; }
  var max = parseInt(document.body.getAttribute("data-upload-max") || "0", 10);
  var message = "";
  Array.prototype.forEach.call(input.files || [], function (file) {
    if (max && file.size > max && !message) {
      message = (document.body.getAttribute("data-upload-message") || "{name}").replace("{name}", file.name);
    }
  });
  input.setCustomValidity(message);
  if (message) { input.reportValidity(); }
});

// A form with data-confirm asks before it is sent (publishing results, for instance).
document.addEventListener("submit", function (e) {
  var form = e.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) { e.preventDefault(); }
});
