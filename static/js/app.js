// Behaviour that used to be inline (the Content-Security-Policy allows no inline script).
// A <select data-autosubmit> sends its form when changed (the footer's language picker).
document.addEventListener("change", function (e) {
  var target = e.target;
  if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
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
