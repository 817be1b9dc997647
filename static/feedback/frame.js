/* Inside the feedback frame: tell the host page the form's height (a number, nothing else), and move the focus to the
   result after a submission so screen readers announce it (the result also has role=status / role=alert). */
(function () {
  "use strict";
  function tell() {
    if (window.parent !== window) {
      window.parent.postMessage({ lidzdalibaFeedbackHeight: document.documentElement.scrollHeight }, "*");
    }
  }
  var result = document.querySelector(".app-widget__focus");
  if (result) { result.focus(); }
  tell();
  window.addEventListener("resize", tell);
  if (window.ResizeObserver) { new ResizeObserver(tell).observe(document.body); }
})();
