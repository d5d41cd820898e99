#!/usr/bin/env node
// The site's Bootstrap: the compiled bootstrap.min.css with every rule our pages
// cannot use removed (PurgeCSS), written by `make assets` to
// static/vendor/bootstrap/css/bootstrap.min.css. The README's "Decisions" says why
// a purge rather than a Sass build.
//
//   node bin/build-css.mjs OUT SITE_PACKAGES
//
// SITE_PACKAGES: the .venv's site-packages, for the crispy-bootstrap5 templates
// and crispy-forms code our forms render through. A class is kept when its name
// appears as a word in any of the files below (templates, the Python that
// builds markup, our JavaScript), or matches the safelist.
// tests/project/test_stylesheet.py checks that every Bootstrap class our pages
// and templates use is still in the result.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PurgeCSS } from "purgecss";

const [out, sitePackages] = process.argv.slice(2);
if (!out || !sitePackages) {
  console.error("usage: node bin/build-css.mjs OUT SITE_PACKAGES");
  process.exit(2);
}

const crispyBootstrap = join(sitePackages, "crispy_bootstrap5", "templates", "bootstrap5");
const crispyForms = join(sitePackages, "crispy_forms");

// Our Python packages (a folder with an __init__.py), less the tests and benchmarks.
const packages = readdirSync(".", { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(entry.name, "__init__.py")))
  .map((entry) => entry.name)
  .filter((name) => !["tests", "bench"].includes(name));

const content = [
  // Our templates: the site's (with the overrides of allauth's) and each app's.
  "templates/**/*.{html,txt}",
  ...packages.map((name) => `${name}/templates/**/*.{html,txt}`),
  // Python that writes class names into markup (widget attrs, crispy layouts, format_html).
  ...packages.map((name) => `${name}/**/*.py`),
  // JavaScript that sets classes (routine.js's buttons, follow.js's mode).
  "static/js/**/*.js",
  // crispy-bootstrap5: the templates our forms render through (the `|crispy` filter and
  // comments' FormHelper layout: fields, errors, the submit input), not its
  // accordions, tabs, modals and other layouts we never use.
  ...[
    "uni_form.html",
    "whole_uni_form.html",
    "display_form.html",
    "errors.html",
    "field.html",
    "inputs.html",
    "multifield.html",
  ].map((name) => join(crispyBootstrap, name)),
  ...[
    "attrs.html",
    "baseinput.html",
    "button.html",
    "div.html",
    "field_errors.html",
    "field_errors_block.html",
    "help_text.html",
    "help_text_and_errors.html",
    "radio_checkbox_select.html",
  ].map((name) => join(crispyBootstrap, "layout", name)),
  // crispy-forms' Python adds classes itself (e.g. "btn btn-primary" on Submit), not
  // its bootstrap.py (tabs, accordions, modals).
  ...["layout.py", "helper.py", "utils.py", "templatetags/*.py"].map((name) => join(crispyForms, name)),
];

// Every --bs-* custom property our own stylesheets read with var().
function ourVariables() {
  const names = new Set();
  for (const entry of readdirSync("static/css")) {
    if (!entry.endsWith(".css")) continue;
    for (const match of readFileSync(join("static/css", entry), "utf8").matchAll(/var\((--bs-[\w-]+)/g)) {
      names.add(match[1]);
    }
  }
  return [...names];
}

const safelist = {
  standard: [
    // The error summary and fields crispy marks invalid; Django's message levels
    // (templates/includes/messages.html names them, these keep the look if it maps another).
    "is-invalid",
    "is-valid",
    "invalid-feedback",
    "alert-danger",
    "alert-warning",
    "alert-success",
    "alert-info",
    // Bootstrap's keyboard-focus and visually-hidden helpers, used by screen-reader text.
    "visually-hidden",
    "visually-hidden-focusable",
  ],
  // The theme variables on :root and [data-bs-theme] stay whole.
  greedy: [/data-bs-theme/],
  // Bootstrap's custom properties that our stylesheets (static/css/) read.
  variables: ourVariables(),
};

const source = "node_modules/bootstrap/dist/css/bootstrap.min.css";
const [result] = await new PurgeCSS().purge({
  content,
  css: [source],
  safelist,
  // Keyframes and font faces nothing names are dropped too.
  keyframes: true,
  fontFace: true,
  // Custom properties no kept rule reads are dropped too, less those our own
  // stylesheets read (safelist.variables, checked by tests/project/test_stylesheet.py).
  variables: true,
});

// The compiled file's source map describes the whole file: point at none. Its
// licence comment (after @charset) is kept by the purge.
const css = result.css.replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, css + "\n");
console.log(`${out}: ${css.length} bytes (from ${readFileSync(source).length})`);
