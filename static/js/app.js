// Behaviour that used to be inline (the Content-Security-Policy allows no inline script).
// A <select data-autosubmit> sends its form when changed (the footer's language picker).
document.addEventListener("change", function (e) {
  var target = e.target;
  if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
