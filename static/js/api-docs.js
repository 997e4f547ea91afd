// Starts Swagger UI on /api/v1/docs/ from a file of our own, as the CSP allows no inline script. The schema's
// address comes from the page (data-schema-url), so this file stays static.
"use strict";

(function () {
  const element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout",
  });
  // What Swagger UI leaves out for keyboard and screen reader users: a name for a parameter's value list (the
  // parameter's), and keyboard access to a scrolling example or response.
  new MutationObserver(function () {
    for (const select of element.querySelectorAll(".parameters-col_description select:not([aria-label])")) {
      const name = select.closest("tr").querySelector(".parameter__name");
      select.setAttribute("aria-label", name ? name.textContent.replace("*", "").trim() : "value");
    }
    for (const code of element.querySelectorAll(".highlight-code > pre:not([tabindex])")) {
      code.setAttribute("tabindex", "0");
    }
  }).observe(element, { childList: true, subtree: true });
})();
