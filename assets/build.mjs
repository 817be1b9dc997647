// Compiles the platform's stylesheet (GOV.UK Frontend under the Līdzdalība brand) and copies GOV.UK Frontend's
// JavaScript module into static/dist, so every file is served from our own origin. Run by `make assets`.
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "dist");
mkdirSync(out, { recursive: true });

const css = sass.compile(join(root, "assets", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), css.css);
// The website-feedback widget's frame: its own small stylesheet (only the components its form uses).
const widget = sass.compile(join(root, "assets", "scss", "widget.scss"), {
  loadPaths: [join(root, "node_modules")], style: "compressed", quietDeps: true, silenceDeprecations: ["import"],
});
writeFileSync(join(out, "widget.css"), widget.css);

copyFileSync(join(root, "node_modules", "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
copyFileSync(join(root, "assets", "js", "app.mjs"), join(out, "app.mjs"));
console.log(`static/dist: app.css (${css.css.length} bytes), widget.css (${widget.css.length} bytes), govuk-frontend.min.js, app.mjs`);
