/* Language control for aligned bilingual documents: both / 中文 / English, remembered
   across pages (localStorage) and re-applied on Material's instant navigation. */
(function () {
  var KEY = "library.bilingual";
  var MODES = [["both", "双语"], ["zh", "中文"], ["en", "English"]];

  function current() {
    try { return localStorage.getItem(KEY) || "both"; } catch (e) { return "both"; }
  }

  function apply(mode) {
    document.documentElement.setAttribute("data-bilingual", mode);
    document.querySelectorAll(".bilingual-control button").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.dataset.mode === mode));
    });
  }

  function setup() {
    var first = document.querySelector(".bilingual, .bilingual-heading-side");
    var existing = document.querySelector(".bilingual-control");
    if (first && !existing) {
      var bar = document.createElement("div");
      bar.className = "bilingual-control";
      bar.setAttribute("role", "group");
      bar.setAttribute("aria-label", "显示语言");
      MODES.forEach(function (m) {
        var b = document.createElement("button");
        b.type = "button";
        b.dataset.mode = m[0];
        b.textContent = m[1];
        b.addEventListener("click", function () {
          try { localStorage.setItem(KEY, m[0]); } catch (e) { /* private mode */ }
          apply(m[0]);
        });
        bar.appendChild(b);
      });
      // after the title (and its English line, when there is one)
      var anchor = document.querySelector(".md-content__inner .doc-title-en") ||
        document.querySelector(".md-content__inner h1");
      (anchor ? anchor.parentNode : first.parentNode).insertBefore(bar, anchor ? anchor.nextSibling : first);
    }
    apply(current());
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else {
    document.addEventListener("DOMContentLoaded", setup);
  }
})();
