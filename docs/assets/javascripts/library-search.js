// The site search, behind the header's search box (overrides/partials/library-search.html).
//
// Loaded by the small loader in overrides/main.html only when the reader opens or focuses the
// box; it then loads Pagefind's own script (pagefind/pagefind.js, written by builder/search.py),
// which fetches only the index chunks and page fragments a query needs. Results are drawn with
// Material's search-result classes, so they follow the theme (light and dark, narrow screens):
// title, kind, excerpt, and up to three sections of the page that match (Pagefind's
// sub-results). A filter panel (kind, document kind, author, language) and a date sort are
// loaded when the reader opens it.

// Results drawn at first, and then per "更多结果": each drawn result loads its page's fragment
// (the page's text, for the excerpt), the largest part of what a query downloads.
const FIRST = 3;
const SHOWN = 10;
const SECTIONS = 3; // sub-results (sections by heading) per page
const FILTERS = [["kind", "类型"], ["doc_kind", "文献类型"], ["author", "作者"], ["language", "语言"]];
const SORTS = [["", "按相关度"], ["date:desc", "按日期（新→旧）"], ["date:asc", "按日期（旧→新）"]];
const HINT = "输入关键词：中文、英文、缩写或拼音均可";
// Pagefind's ranking: a page's length counts half as much as by default, and so does how often
// a word recurs, so that short glossary entries that merely contain a query's words do not
// crowd out the documents about it (measured with tests/browser/test_search.py's query set).
const RANKING = { pageLength: 0.5, termFrequency: 0.5 };

let state = null;

export async function start(base) {
  if (state) return state.api;
  const root = document.querySelector(".library-search");
  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("assets/stylesheets/library-search.css", base).href;
  document.head.appendChild(css);
  const pagefind = await import(new URL("pagefind/pagefind.js", base).href);
  await pagefind.options({ baseUrl: base.pathname, excerptLength: 36, ranking: RANKING });
  pagefind.init();
  state = {
    base, pagefind, root,
    input: root.querySelector(".md-search__input"),
    meta: root.querySelector(".md-search-result__meta"),
    list: root.querySelector(".md-search-result__list"),
    toggle: document.getElementById("__search"),
    filters: {}, sort: "", results: [], shown: 0, generation: 0,
  };
  state.api = { open, close, search: run, ranked };
  window.librarySearch = state.api; // for the tests and the console: librarySearch.ranked("星链")
  wire();
  if (document.activeElement === state.input) state.toggle.checked = true;
  if (state.input.value) run();
  return state.api;
}

function wire() {
  const { input, root, toggle } = state;
  input.addEventListener("input", () => run());
  input.addEventListener("focus", () => { if (!toggle.checked) toggle.checked = true; });
  input.addEventListener("keydown", onKey);
  root.querySelector("form").addEventListener("reset", () => {
    setTimeout(() => { run(); input.focus(); });
  });
  root.querySelector(".md-search-result").insertBefore(filterPanel(), state.meta);
  toggle.addEventListener("change", () => { if (toggle.checked) input.focus(); else input.blur(); });
  // a result opens its page (Material's instant navigation or a full load): close the search
  state.list.addEventListener("click", (event) => {
    if (event.target.closest("a")) close();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && toggle.checked) { close(); }
  });
}

function open() {
  state.toggle.checked = true;
  state.input.focus();
}

function close() {
  state.toggle.checked = false;
  state.input.blur();
}

function onKey(event) {
  const links = [...state.list.querySelectorAll("a.md-search-result__link")];
  if (event.key === "Enter" && links.length) {
    event.preventDefault();
    links[0].click();
  } else if (event.key === "ArrowDown" && links.length) {
    event.preventDefault();
    links[0].focus();
  }
}

function moveFocus(event) {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const links = [...state.list.querySelectorAll("a.md-search-result__link")];
  const at = links.indexOf(document.activeElement);
  if (at < 0) return;
  event.preventDefault();
  const next = at + (event.key === "ArrowDown" ? 1 : -1);
  (next < 0 ? state.input : links[Math.min(next, links.length - 1)]).focus();
}

// ------------------------------------------------------------------ searching

async function run() {
  const term = state.input.value.trim();
  const generation = ++state.generation;
  const filtered = Object.keys(state.filters).length > 0;
  if (!term && !filtered) {
    state.results = [];
    state.list.replaceChildren();
    state.meta.textContent = HINT;
    state.list.dataset.query = "";
    return;
  }
  state.meta.textContent = "搜索中……";
  const options = { filters: state.filters };
  if (state.sort) {
    const [key, direction] = state.sort.split(":");
    options.sort = { [key]: direction };
  }
  const found = await state.pagefind.debouncedSearch(term || null, options, 60);
  if (found === null || generation !== state.generation) return; // a later keystroke took over
  state.results = await phraseFirst(term, options, found.results);
  if (generation !== state.generation) return;
  state.shown = 0;
  state.list.replaceChildren();
  await more(generation);
  if (generation !== state.generation) return;
  state.meta.textContent = found.results.length
    ? `找到 ${found.results.length} 个结果`
    : "没有找到结果：试试别的说法、英文名、缩写或拼音";
  state.list.dataset.query = term; // the list now shows this query's results
}

// The paths of the first results for a term, in the order the list draws them (no drawing).
async function ranked(term, count = FIRST) {
  const found = await state.pagefind.search(term);
  const results = await phraseFirst(term, {}, found.results);
  const pages = namedFirst(await Promise.all(results.slice(0, count).map((r) => r.data())), term);
  return pages.map((page) => new URL(page.url, location.href).pathname.slice(state.base.pathname.length));
}

// A query of several words (or a Chinese phrase, several words once segmented): the pages that
// hold it exactly as typed come first, each group in Pagefind's order. Pagefind ranks by the
// words alone; the exact search ("…") reads the same index chunks, so it costs no download.
async function phraseFirst(term, options, results) {
  if (!term || term.includes('"') || !severalWords(term) || results.length < 2) return results;
  const exact = await state.pagefind.search(`"${term}"`, options);
  const inPhrase = new Set(exact.results.map((result) => result.id));
  if (!inPhrase.size) return results;
  return [...results.filter((r) => inPhrase.has(r.id)), ...results.filter((r) => !inPhrase.has(r.id))];
}

function severalWords(term) {
  if (/\s/.test(term)) return true;
  if (typeof Intl === "undefined" || !Intl.Segmenter) return false;
  const words = [...new Intl.Segmenter("zh", { granularity: "word" }).segment(term)].filter((s) => s.isWordLike);
  return words.length > 1;
}

async function more(generation) {
  const batch = state.results.slice(state.shown, state.shown + (state.shown ? SHOWN : FIRST));
  state.shown += batch.length;
  let pages = await Promise.all(batch.map((result) => result.data()));
  if (generation !== state.generation) return;
  if (state.shown === batch.length) pages = namedFirst(pages);
  state.list.querySelector(".library-search__more")?.remove();
  for (const page of pages) state.list.appendChild(item(page));
  if (state.shown < state.results.length) {
    const button = element("button", "library-search__more md-button", "更多结果");
    button.type = "button";
    button.addEventListener("click", () => more(generation));
    const li = element("li", "library-search__more");
    li.appendChild(button);
    state.list.appendChild(li);
  }
  state.list.setAttribute("data-results", String(state.list.querySelectorAll(".md-search-result__item").length));
}

// Among the first results, a page named exactly as the query (its title, or one of a glossary
// entry's names: English, abbreviation, alias, pinyin) comes first.
function namedFirst(pages, term = state.input.value) {
  const query = plain(term);
  const named = (page) => [page.meta?.title || "", ...(page.meta?.names || "").split(" · ")]
    .some((name) => plain(name) === query || plain(name).replace(/ /g, "") === query);
  return [...pages.filter(named), ...pages.filter((page) => !named(page))];
}

function plain(text) {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

// ------------------------------------------------------------------ drawing

function item(page) {
  const li = element("li", "md-search-result__item");
  const title = page.meta?.title || page.url;
  const kind = page.meta?.kind || "";
  li.appendChild(link(page.url, title, page.excerpt, kind, page.meta?.date || "", true));
  const sections = (page.sub_results || [])
    .filter((sub) => sub.url !== page.url && sub.title && sub.title !== title)
    .slice(0, SECTIONS);
  for (const sub of sections) li.appendChild(link(sub.url, sub.title, sub.excerpt, "", "", false));
  return li;
}

function link(url, title, excerpt, kind, date, first) {
  const a = element("a", "md-search-result__link");
  a.href = url;
  a.addEventListener("keydown", moveFocus);
  const article = element("article", "md-search-result__article md-typeset" +
    (first ? " md-search-result__article--document" : ""));
  if (first) article.appendChild(element("div", "md-search-result__icon md-icon"));
  const heading = element(first ? "h1" : "h2", "");
  heading.textContent = title;
  if (kind) heading.appendChild(element("span", "library-search__kind", kind));
  if (date) heading.appendChild(element("span", "library-search__date", date));
  article.appendChild(heading);
  if (excerpt) {
    const p = element("p", "library-search__excerpt");
    p.innerHTML = safeExcerpt(excerpt);
    article.appendChild(p);
  }
  a.appendChild(article);
  return a;
}

// Pagefind's excerpts are text with <mark> around the matches: keep those, escape any other tag.
function safeExcerpt(text) {
  return text.replace(/<(?!\/?mark>)/g, "&lt;");
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ------------------------------------------------------------------ filters and sort

function filterPanel() {
  const panel = element("details", "library-search__filters");
  panel.appendChild(element("summary", "", "筛选与排序"));
  const body = element("div", "library-search__controls");
  panel.appendChild(body);
  panel.addEventListener("toggle", async () => {
    if (!panel.open || body.childElementCount) return;
    const available = await state.pagefind.filters(); // loaded on demand, not with the first query
    for (const [name, label] of FILTERS) {
      const values = Object.keys(available[name] || {}).sort((a, b) => a.localeCompare(b, "zh"));
      if (!values.length) continue;
      body.appendChild(select(label, [["", "全部"], ...values.map((v) => [v, `${v}（${available[name][v]}）`])],
        (value) => { if (value) state.filters[name] = value; else delete state.filters[name]; run(); },
        `filter-${name}`));
    }
    body.appendChild(select("排序", SORTS, (value) => { state.sort = value; run(); }, "sort"));
  });
  return panel;
}

function select(label, options, onChange, name) {
  const wrap = element("label", "library-search__control");
  wrap.appendChild(element("span", "", label));
  const control = element("select", "");
  control.name = name;
  for (const [value, text] of options) {
    const option = element("option", "", text);
    option.value = value;
    control.appendChild(option);
  }
  control.addEventListener("change", () => onChange(control.value));
  wrap.appendChild(control);
  return wrap;
}
