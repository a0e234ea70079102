// Show validation and permission messages (422, 403, 409) in place instead of
// ignoring them, as htmx does by default. The discussion partial loads this file
// each time it is swapped in; the guard keeps one listener.
if (!window.__commentsErrorSwap) {
  window.__commentsErrorSwap = true;
  document.addEventListener("htmx:beforeSwap", function (e) {
    if ([403, 409, 422].indexOf(e.detail.xhr.status) >= 0 && e.detail.xhr.getResponseHeader("HX-Retarget")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
}
