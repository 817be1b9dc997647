// Starts GOV.UK Frontend's components (character count, service navigation's menu button, error summary focus,
// notification banners, details) and the platform's own small enhancements. Loaded as a module from our origin;
// every page works the same without it.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// "Comment on point N": with JavaScript the page's one comment form (#comment-form) moves under the section, with the
// section chosen, instead of the link leading to the section's page. Moved, not copied: no id appears twice.
for (const link of document.querySelectorAll("[data-comment-here]")) {
  link.addEventListener("click", (event) => {
    const target = document.getElementById(link.dataset.commentHere);
    const form = document.getElementById("comment-form");
    if (!target || !form) return; // signed out, blocked or unconfirmed: the section's page says what to do
    event.preventDefault();
    target.append(form);
    target.hidden = false;
    for (const other of document.querySelectorAll(".app-comment-here")) {
      if (other !== target) other.hidden = true;
    }
    // Away from its place at the end of the page, a link there brings it back (to comment on the whole draft).
    for (const home of document.querySelectorAll(".app-comment-home-link")) {
      home.hidden = target.id === "comment-home";
    }
    const select = form.querySelector("select[name=section]");
    if (select) select.value = link.dataset.section;
    const textarea = form.querySelector("textarea[name=text]");
    if (textarea) textarea.focus();
  });
}
