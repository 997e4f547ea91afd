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
    deepLinking: true,
  });
})();
