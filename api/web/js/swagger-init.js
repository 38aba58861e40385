// Starts Swagger UI on /docs; a file rather than an inline script, so the page's
// Content-Security-Policy can forbid inline scripts there too.
window.ui = window.SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
