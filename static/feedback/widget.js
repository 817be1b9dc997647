/* Līdzdalība website feedback: paste <script src=".../static/feedback/widget.js" data-site="KEY" async></script>.
   Puts the platform's feedback form, in a frame, where the script stands, in the page's language (<html lang>), for
   this page's address without its query string and fragment. Sets no cookie and stores nothing in the browser. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.getAttribute("data-site")) { return; }
  var base = new URL(script.src);
  var lang = (document.documentElement.lang || "lv").slice(0, 2).toLowerCase();
  var page = location.origin + location.pathname;
  var frame = document.createElement("iframe");
  frame.src = base.origin + "/feedback/widget/" + encodeURIComponent(script.getAttribute("data-site")) +
    "?page=" + encodeURIComponent(page) + "&lang=" + encodeURIComponent(lang);
  frame.title = lang === "en" ? "Feedback on this page" : "Atsauksmes par šo lapu";
  frame.setAttribute("loading", "lazy");
  frame.style.cssText = "border:0;width:100%;max-width:40em;height:28em;display:block";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== base.origin || event.source !== frame.contentWindow) { return; }
    var height = event.data && event.data.lidzdalibaFeedbackHeight;
    if (typeof height === "number" && height > 0 && height < 5000) { frame.style.height = Math.ceil(height) + "px"; }
  });
})();
