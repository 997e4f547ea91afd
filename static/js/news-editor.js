/* The news editor: a toolbar over each `textarea.news-editor` that puts the allowed HTML (headings, emphasis,
   lists, links) around the selected text. The textarea stays a textarea: without JavaScript staff type the HTML
   themselves, and the server sanitises whatever arrives (communications/sanitize.py). Self-hosted, no inline
   code (CSP), the buttons are real buttons with names. */
(function () {
  "use strict";
  var lang = (document.documentElement.lang || "fi").slice(0, 2);
  var labels = {
    fi: { h2: "Otsikko", h3: "Väliotsikko", strong: "Lihavointi", em: "Kursiivi", ul: "Luettelo", ol: "Numeroitu luettelo", a: "Linkki", p: "Kappale", url: "Linkin osoite (https://…)", toolbar: "Muotoilu" },
    sv: { h2: "Rubrik", h3: "Mellanrubrik", strong: "Fetstil", em: "Kursiv", ul: "Lista", ol: "Numrerad lista", a: "Länk", p: "Stycke", url: "Länkens adress (https://…)", toolbar: "Formatering" },
    en: { h2: "Heading", h3: "Subheading", strong: "Bold", em: "Italic", ul: "List", ol: "Numbered list", a: "Link", p: "Paragraph", url: "Link address (https://…)", toolbar: "Formatting" }
  };
  var text = labels[lang] || labels.fi;

  function wrap(area, before, after) {
    var start = area.selectionStart, end = area.selectionEnd, value = area.value;
    var selected = value.slice(start, end);
    area.value = value.slice(0, start) + before + selected + after + value.slice(end);
    area.focus();
    area.selectionStart = start + before.length;
    area.selectionEnd = start + before.length + selected.length;
  }

  function list(area, tag) {
    var start = area.selectionStart, end = area.selectionEnd, value = area.value;
    var lines = value.slice(start, end).split("\n").filter(function (line) { return line.trim() !== ""; });
    if (!lines.length) { lines = [""]; }
    var html = "<" + tag + ">\n" + lines.map(function (line) { return "  <li>" + line + "</li>"; }).join("\n") + "\n</" + tag + ">";
    area.value = value.slice(0, start) + html + value.slice(end);
    area.focus();
  }

  var actions = {
    h2: function (a) { wrap(a, "<h2>", "</h2>"); },
    h3: function (a) { wrap(a, "<h3>", "</h3>"); },
    p: function (a) { wrap(a, "<p>", "</p>"); },
    strong: function (a) { wrap(a, "<strong>", "</strong>"); },
    em: function (a) { wrap(a, "<em>", "</em>"); },
    ul: function (a) { list(a, "ul"); },
    ol: function (a) { list(a, "ol"); },
    a: function (a) {
      var url = window.prompt(text.url, "https://");
      if (url && /^(https?:|mailto:|\/)/i.test(url)) {
        wrap(a, '<a href="' + url.replace(/"/g, "%22") + '">', "</a>");
      }
    }
  };

  function toolbar(area) {
    var bar = document.createElement("div");
    bar.className = "news-editor-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", text.toolbar);
    if (area.id) { bar.setAttribute("aria-controls", area.id); }
    Object.keys(actions).forEach(function (name) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = text[name];
      button.addEventListener("click", function () { actions[name](area); });
      bar.appendChild(button);
    });
    area.parentNode.insertBefore(bar, area);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("textarea.news-editor"), toolbar);
  });
})();
