// Starts GOV.UK Frontend's components (character count, service navigation's menu button, error summary focus,
// notification banners, details) and the platform's own small enhancements. Loaded as a module from our origin;
// every page works the same without it.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();

// "Comment on point N": with JavaScript the comment form opens under the section instead of leading to its page.
for (const link of document.querySelectorAll("[data-comment-here]")) {
  link.addEventListener("click", (event) => {
    const target = document.getElementById(link.dataset.commentHere);
    const template = document.getElementById("comment-form-template");
    if (!target || !template) return;
    event.preventDefault();
    if (!target.firstElementChild) {
      target.append(template.content.cloneNode(true));
      const select = target.querySelector("select[name=section]");
      if (select) select.value = link.dataset.section;
      initAll({ scope: target });
    }
    target.hidden = false;
    const textarea = target.querySelector("textarea");
    if (textarea) textarea.focus();
  });
}
