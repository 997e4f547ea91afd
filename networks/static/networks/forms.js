// Progressive enhancement for the networks' forms; every form works the same without this script.
// 1. After a refused save, the keyboard and screen-reader focus goes to the error summary, whose links lead
//    to the fields.
// 2. The partner form shows only the chosen role's group of fields (venue or issuer); without the script
//    both groups are shown and the form ignores the other role's group.
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary], .error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
  }

  var role = document.querySelector(".partner-form select[name$='role']");
  if (!role) {
    return;
  }
  var groups = document.querySelectorAll("fieldset[data-for-role]");
  var hints = document.querySelectorAll(".partner-form .role-hint");

  function showChosenRole() {
    groups.forEach(function (group) {
      group.hidden = group.getAttribute("data-for-role") !== role.value;
    });
    hints.forEach(function (hint) {
      hint.hidden = true;
    });
  }

  role.addEventListener("change", showChosenRole);
  showChosenRole();
})();
