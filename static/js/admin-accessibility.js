/* Names for the admin widgets that Django leaves without one (found by axe):
   - the filter_horizontal widget's magnifier icons are spans with aria-label but no role;
   - an autocomplete field's select2 box is named by its chosen value only, so it has no name while empty;
   - the fields of a change list's editable columns have no label: their column heading names them;
   - a date-and-time field's two boxes have no label (Django ties its label to neither).
   Runs after the admin's own scripts have built the widgets, and again for every inline row added. */
"use strict";
(function () {
  function nameWidgets(root) {
    root.querySelectorAll("span.search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = select.id && document.querySelector('label[for="' + select.id + '"]');
      const container = select.parentElement && select.parentElement.querySelector(".select2-container");
      const box = container && container.querySelector('[role="combobox"]');
      if (!label || !box) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "-label";
      }
      const chosen = box.getAttribute("aria-labelledby") || "";
      if (!chosen.split(" ").includes(label.id)) {
        box.setAttribute("aria-labelledby", (label.id + " " + chosen).trim());
      }
      // The read-only "textbox" inside that shows the choice is named by the field's label too.
      const rendered = box.querySelector('[role="textbox"]');
      if (rendered) {
        rendered.setAttribute("aria-labelledby", label.id);
      }
    });
  }
  // A date-and-time field's two boxes: Django's label is not tied to either (MultiWidget has no id for it), and
  // the "Date:" / "Time:" before each box is plain text. Each box is named by the field's label and its own word.
  function nameSplitDateTimes(root) {
    root.querySelectorAll("p.datetime").forEach(function (group) {
      const row = group.closest(".form-row");
      const label = row && row.querySelector("label");
      const field = label ? label.textContent.trim().replace(/:$/, "") : "";
      let word = "";
      group.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) {
          word = node.textContent.trim().replace(/:$/, "");
        } else if (node.tagName === "INPUT" && !(node.labels && node.labels.length) && !node.hasAttribute("aria-label")) {
          node.setAttribute("aria-label", [field, word].filter(Boolean).join(" – "));
        }
      });
    });
  }
  function nameEditableColumns() {
    const headings = document.querySelectorAll("#result_list thead th");
    document.querySelectorAll("#result_list tbody tr").forEach(function (row) {
      Array.from(row.children).forEach(function (cell, index) {
        const heading = headings[index];
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          const labelled = field.labels && field.labels.length;
          if (heading && !labelled && !field.hasAttribute("aria-label") && heading.textContent.trim()) {
            field.setAttribute("aria-label", heading.textContent.trim());
          }
        });
      });
    });
  }
  // The autocomplete boxes are built when jQuery is ready (just after DOMContentLoaded), the filter widgets
  // on load: name them after each.
  function soon() {
    setTimeout(function () {
      nameWidgets(document);
      nameSplitDateTimes(document);
      nameEditableColumns();
    });
  }
  document.addEventListener("DOMContentLoaded", soon);
  window.addEventListener("load", soon);
  document.addEventListener("formset:added", function (event) {
    // The admin's own handlers build the new row's widgets in this same event; name them after.
    setTimeout(function () {
      nameWidgets(event.target);
    });
  });
})();
