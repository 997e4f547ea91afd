// Progressive enhancement of the statistics report form; the form works the same without this script (the
// sums are then those of the page as it was sent, and the server checks every sum on saving).
// 1. After a refused save, the focus goes to the error summary, whose links lead to the fields.
// 2. The uses in total (adults, children, all) and the breakdowns' sums beside their totals update as the
//    person types (a paged breakdown's sum starts from the rows saved on its other pages, `data-saved-elsewhere`). They sit in polite live regions, so a screen reader reads the new sum after the typing.
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  var form = document.querySelector("[data-report-form]");
  if (!form) {
    return;
  }
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "fi");

  function count(input) {
    var value = input ? parseInt(input.value, 10) : NaN;
    return isNaN(value) ? 0 : value;
  }

  function figure(name) {
    return count(form.elements.namedItem(name));
  }

  function show(element, text) {
    if (element.textContent !== text) {
      element.textContent = text;
    }
  }

  function savedElsewhere(kind) {
    var sums = {};
    var given = false;
    form.querySelectorAll("output[data-" + kind + "-sum]").forEach(function (output) {
      var value = parseInt(output.getAttribute("data-saved-elsewhere"), 10) || 0;
      sums[output.getAttribute("data-" + kind + "-sum")] = value;
      given = given || value !== 0;
    });
    return { sums: sums, given: given };
  }

  function venueSums() {
    var saved = savedElsewhere("venue");
    var sums = saved.sums;
    var given = saved.given;
    form.querySelectorAll("tr[data-venue-row]").forEach(function (row) {
      var sector = row.querySelector("select").value;
      ["adult", "child"].forEach(function (age) {
        var value = count(row.querySelector("input[name$='-" + age + "']"));
        var name = age + "_" + sector;
        sums[name] = (sums[name] || 0) + value;
        given = given || value !== 0;
      });
    });
    return { sums: sums, given: given };
  }

  function issuerSum() {
    var sum = savedElsewhere("issuer").sums.cards_registered || 0;
    form.querySelectorAll("tr[data-issuer-row] input").forEach(function (input) {
      sum += count(input);
    });
    return sum;
  }

  function update() {
    form.querySelectorAll("output[data-sum]").forEach(function (output) {
      var total = 0;
      output.getAttribute("data-sum").split(" ").forEach(function (name) {
        total += figure(name);
      });
      show(output, numbers.format(total));
    });
    var venues = venueSums();
    var issuers = issuerSum();
    form.querySelectorAll("output[data-venue-sum]").forEach(function (output) {
      show(output, numbers.format(venues.sums[output.getAttribute("data-venue-sum")] || 0));
    });
    form.querySelectorAll("output[data-issuer-sum]").forEach(function (output) {
      show(output, numbers.format(issuers));
    });
    form.querySelectorAll("[data-check]").forEach(function (cell) {
      var name = cell.getAttribute("data-check");
      var table = cell.closest("table");
      var isIssuer = name === "cards_registered";
      var given = isIssuer ? issuers !== 0 : venues.given;
      var breakdown = isIssuer ? issuers : venues.sums[name] || 0;
      var state = !given ? "none" : breakdown === figure(name) ? "equal" : "differs";
      show(cell, table.getAttribute("data-" + state + "-text"));
    });
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
})();
