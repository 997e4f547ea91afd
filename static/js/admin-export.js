/* django-import-export's export page: the "Select all" box switches every field's box, with the library's own
   function (import_export/export_selectable_fields.js). Bound here because the CSP refuses the inline onchange
   handler of the library's template (templates/admin/import_export/export.html leaves it out). */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  const toggle = document.getElementById("select-all-toggle");
  if (toggle && typeof onSelectToggleChange === "function") {
    toggle.addEventListener("change", onSelectToggleChange);
  }
});
