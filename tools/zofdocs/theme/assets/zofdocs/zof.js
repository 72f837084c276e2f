// The Zof site's script: it ships with the site and requests nothing from elsewhere.

// ==== Reader's site: the filter of the Error codes page ====
//
// The Error codes page wraps its tables in `.zof-codes`; every other page has none, and
// this does nothing there. The filter box is made here, not in the page, so that a
// reader without JavaScript sees the whole table and no box that cannot work. Material
// ignores its keyboard shortcuts while an input has the focus, so typing `s`, `f` or
// `/` in the box never opens the search.
(function () {
  "use strict";

  var made = 0;

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  // What a row is matched against: the text of its cells, as the reader sees it.
  function rowText(row) {
    return Array.prototype.map
      .call(row.cells, function (cell) {
        return cell.textContent;
      })
      .join(" ")
      .replace(/\s+/g, " ")
      .toLowerCase();
  }

  function count(shown, total) {
    return shown + " of " + total + (total === 1 ? " code" : " codes");
  }

  // Show the rows holding every word typed, in any order and any case; then hide each
  // table left without rows, and each group heading left without tables.
  function apply(root, rows, query) {
    var terms = words(query);
    var shown = 0;
    rows.forEach(function (row) {
      var hit = terms.every(function (term) {
        return row.text.indexOf(term) !== -1;
      });
      row.element.hidden = !hit;
      if (hit) shown += 1;
    });
    // Material moves each table into a scrolling wrapper: hide that, or a box is left.
    Array.prototype.forEach.call(root.querySelectorAll("table"), function (table) {
      var box = table.closest(".md-typeset__scrollwrap") || table;
      box.hidden = !table.querySelector("tbody tr:not([hidden])");
    });
    var heading = null;
    var seen = false;
    Array.prototype.forEach.call(root.children, function (child) {
      if (/^H[1-6]$/.test(child.tagName)) {
        if (heading) heading.hidden = !seen;
        heading = child;
        seen = false;
      } else if (!child.hidden && (child.tagName === "TABLE" || child.querySelector("table"))) {
        seen = true;
      }
    });
    if (heading) heading.hidden = !seen;
    return shown;
  }

  function setUp(root) {
    if (root.querySelector(".zof-filter")) return; // Set up already.
    var rows = Array.prototype.map.call(root.querySelectorAll("table tbody tr"), function (row) {
      return { element: row, text: rowText(row) };
    });
    if (!rows.length) return;
    made += 1;
    var id = "zof-filter-" + made;

    var box = document.createElement("div");
    box.className = "zof-filter";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Filter codes";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.autocomplete = "off";
    input.spellcheck = false;
    input.placeholder = "Code, status or words";
    input.setAttribute("aria-describedby", id + "-count");
    // A live region: a screen reader says how many codes are left, after each change.
    var status = document.createElement("p");
    status.className = "zof-filter__count";
    status.id = id + "-count";
    status.setAttribute("role", "status");
    status.textContent = count(rows.length, rows.length);
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    root.insertBefore(box, root.firstChild);

    var timer = 0;
    function update() {
      var shown = apply(root, rows, input.value);
      // The rows follow each key at once; the count waits for a pause in the typing,
      // so that a screen reader says it once, not after every letter.
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        status.textContent = count(shown, rows.length);
      }, 300);
    }
    input.addEventListener("input", update);
    input.addEventListener("search", update); // The clear button, and Escape.
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".zof-codes"), setUp);
  }

  // Material's instant navigation swaps pages without loading them; `document$` tells
  // of each page. Without it, the page is set up once it has loaded.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// ==== End of the reader's-site section ====

// ==== Accessibility: axe-core fixes that need the page's DOM (begin) ====
// Self-contained: it defines no globals and touches only the elements named below.
// It runs on every page Material shows: document$ replays the page already loaded,
// and emits again after each instant navigation when that feature is on.
(() => {
  // scrollable-region-focusable (serious): Material wraps each table in
  // .md-typeset__scrollwrap, which scrolls sideways when the table is wider than the
  // page (the Benchmarks table; most tables on a phone), but then only a mouse or a
  // finger can scroll it. A tab stop lets a keyboard reader scroll it with the arrow
  // keys. As Material does for a code block, the stop exists only while it scrolls.
  const scrollStop = (wrap) => {
    if (wrap.scrollWidth > wrap.clientWidth) {
      wrap.setAttribute("tabindex", "0");
    } else {
      wrap.removeAttribute("tabindex");
    }
  };
  const resized = new ResizeObserver((entries) => {
    for (const entry of entries) scrollStop(entry.target);
  });

  const fix = () => {
    resized.disconnect(); // Instant navigation replaces the page's tables.
    for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
      scrollStop(wrap); // Now, so that the page is right before the first resize report.
      resized.observe(wrap);
    }

    // landmark-unique (moderate): with content.code.copy, Material puts each code
    // block's copy button in a <nav>, so a page of ten code blocks has ten unnamed
    // navigation landmarks. A copy button is not navigation: drop the landmark role,
    // the button stays as it is.
    for (const nav of document.querySelectorAll("nav.md-code__nav")) {
      nav.setAttribute("role", "none");
    }

    // landmark-unique (moderate): the table of contents names each nested list after
    // its heading, so two headings of one name make two landmarks of one name (on the
    // Python API page, `cli` is both zofdocs.cli and zofdocs.runbooks.cli). Name each
    // of those by its heading's anchor, which is unique on the page.
    for (const toc of document.querySelectorAll("nav.md-nav--secondary")) {
      const byLabel = new Map();
      for (const nav of toc.querySelectorAll("nav.md-nav[aria-label]")) {
        // axe-core, like a screen reader's list of landmarks, ignores case and spaces:
        // the module `catalog` and the class `Catalog` clash too.
        const label = nav.getAttribute("aria-label").trim().toLowerCase();
        byLabel.set(label, [...(byLabel.get(label) || []), nav]);
      }
      for (const navs of byLabel.values()) {
        if (navs.length < 2) continue;
        for (const nav of navs) {
          const link = nav.previousElementSibling;
          const hash = link && link.matches("a.md-nav__link[href^='#']") ? link.hash : "";
          if (hash) nav.setAttribute("aria-label", decodeURIComponent(hash.slice(1)));
        }
      }
    }
  };

  if (typeof document$ !== "undefined") {
    document$.subscribe(fix);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
})();
// ==== Accessibility: axe-core fixes that need the page's DOM (end) ====
