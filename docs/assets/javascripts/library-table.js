/* The documents overview (documents/index.md): sort by clicking a column, filter by text, kind
   and language. Values come from the rows' data attributes; no framework. Re-applied on
   Material's instant navigation. */
(function () {
  function setup() {
    var table = document.querySelector("table.library-table");
    var bar = document.querySelector(".library-table-filters");
    if (!table || !bar || bar.dataset.ready) return;
    bar.dataset.ready = "1";
    bar.hidden = false;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);

    var text = document.createElement("input");
    text.type = "search";
    text.placeholder = "筛选：标题、作者……";
    text.setAttribute("aria-label", "按文字筛选文献");
    bar.appendChild(text);
    var selects = ["kind", "languages"].map(function (key) {
      var select = document.createElement("select");
      select.dataset.key = key;
      select.setAttribute("aria-label", key === "kind" ? "按类型筛选" : "按语言筛选");
      var values = {};
      rows.forEach(function (r) { r.dataset[key].split(" ").forEach(function (v) { if (v) values[v] = 1; }); });
      select.appendChild(new Option(key === "kind" ? "全部类型" : "全部语言", ""));
      Object.keys(values).sort().forEach(function (v) {
        select.appendChild(new Option({zh: "中文", en: "英文"}[v] || v, v));
      });
      bar.appendChild(select);
      return select;
    });
    var count = document.createElement("span");
    count.className = "library-table-count";
    bar.appendChild(count);

    function filter() {
      var needle = text.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (r) {
        var ok = !needle || r.textContent.toLowerCase().indexOf(needle) >= 0;
        selects.forEach(function (s) {
          if (s.value && r.dataset[s.dataset.key].split(" ").indexOf(s.value) < 0) ok = false;
        });
        r.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 篇";
    }
    text.addEventListener("input", filter);
    selects.forEach(function (s) { s.addEventListener("change", filter); });

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.tabIndex = 0;
      th.setAttribute("aria-sort", "none");
      function sort() {
        var key = th.dataset.key;
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = a.dataset[key], y = b.dataset[key];
          var cmp = key === "length" ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
          return ascending ? cmp : -cmp;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
    filter();
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(setup);
  } else {
    document.addEventListener("DOMContentLoaded", setup);
  }
})();
