// The site search, behind the header's search box (overrides/partials/library-search.html).
//
// Loaded by the small loader in overrides/main.html only when the reader opens or focuses the
// box, together with Pagefind's own script (pagefind/pagefind.js, written by builder/search.py),
// which fetches only the index chunks and page fragments a query needs. Results are drawn with
// Material's search-result classes, so they follow the theme (light and dark, narrow screens):
// title, kind, excerpt, and up to three sections of the page that match (Pagefind's
// sub-results). A filter panel (kind, document kind, author, language) and a date sort are
// loaded when the reader opens it.
//
// A page named exactly as the query (its title, or a glossary entry's English name,
// abbreviation, alias or pinyin) comes first: the builder's table of exact names
// (search-names/, builder/search.py names_table) says which, one small file per query, so that
// a name Pagefind's index segments otherwise than the browser segments the query is found too.

// Results drawn at first, and then per "更多结果": each drawn result loads its page's fragment
// (the page's text, for the excerpt), the largest part of what a query downloads.
const FIRST = 3;
const SHOWN = 10;
const SECTIONS = 3; // sub-results (sections by heading) per page
const DEBOUNCE = 60; // ms after a keystroke before searching (the index chunks load meanwhile)
const FILTERS = [["kind", "类型"], ["doc_kind", "文献类型"], ["author", "作者"], ["language", "语言"]];
const SORTS = [["", "按相关度"], ["date:desc", "按日期（新→旧）"], ["date:asc", "按日期（旧→新）"]];
const HINT = "输入关键词：中文、英文、缩写或拼音均可";
// Pagefind's ranking: a page's length counts half as much as by default, and so does how often
// a word recurs, so that short glossary entries that merely contain a query's words do not
// crowd out the documents about it (measured with tests/browser/test_search.py's query set).
const RANKING = { pageLength: 0.5, termFrequency: 0.5 };

let state = null;

// ``loading``: Pagefind's script, which the loader (overrides/main.html) requests together with
// this one. Pagefind searches in its web worker: a search by common words takes a few hundred
// milliseconds of processor at 1,000 documents, which in the page would hold up drawing and typing.
export async function start(base, loading) {
  if (state) return state.api;
  const root = document.querySelector(".library-search");
  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = new URL("assets/stylesheets/library-search.css", base).href;
  document.head.appendChild(css);
  const pagefind = await (loading || import(new URL("pagefind/pagefind.js", base).href));
  await pagefind.options({ baseUrl: base.pathname, excerptLength: 36, ranking: RANKING });
  pagefind.init();
  state = {
    base, pagefind, root,
    input: root.querySelector(".md-search__input"),
    meta: root.querySelector(".md-search-result__meta"),
    list: root.querySelector(".md-search-result__list"),
    toggle: document.getElementById("__search"),
    filters: {}, sort: "", results: [], named: [], shown: 0, generation: 0,
    names: fetch(new URL("search-names/shards.json", base)).then((r) => r.json()).catch(() => ({ shards: 0 })),
    shards: new Map(),
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
  const named = !filtered && !state.sort ? namedPages(term) : Promise.resolve([]);
  const exact = exactSearch(term, options); // quick: asked first, it is ready with the search below
  // Pagefind's debounce: the index chunks load meanwhile; null when a later keystroke took over
  const found = await state.pagefind.debouncedSearch(term || null, options, DEBOUNCE);
  if (found === null || generation !== state.generation) return;
  performance.mark("library-search:searched"); // the timings of a query (scripts/search_timing.py)
  state.results = await phraseFirst(found.results, exact);
  if (generation !== state.generation) return;
  state.named = await named;
  state.shown = 0;
  state.list.replaceChildren();
  const extra = await more(generation);
  if (generation !== state.generation) return;
  showCount(found.results.length + extra);
  performance.mark("library-search:drawn");
  state.list.dataset.query = term; // the list now shows this query's results
}

function showCount(count) {
  state.meta.textContent = count ? `找到 ${count} 个结果` : "没有找到结果：试试别的说法、英文名、缩写或拼音";
}

// The paths of the first results for a term, in the order the list draws them (no drawing).
async function ranked(term, count = FIRST) {
  const named = namedPages(term);
  const exact = exactSearch(term, {});
  const found = await state.pagefind.search(term);
  const results = await phraseFirst(found.results, exact);
  const pages = withNamed(await Promise.all(results.slice(0, count).map((r) => r.data())), await named);
  return pages.slice(0, count).map((page) => pathOf(page.url));
}

// A query of several words (or a Chinese phrase, several words once segmented): the pages that
// hold it exactly as typed come first, each group in Pagefind's order. Pagefind ranks by the
// words alone; the exact search ("…") reads the same index chunks, so it costs no download, and
// takes little time (it does not rank: its results all score alike, hence Pagefind's order).
function exactSearch(term, options) {
  if (!term || term.includes('"') || options.sort || !severalWords(term)) return null;
  return state.pagefind.search(`"${term}"`, options);
}

async function phraseFirst(results, exactSearched) {
  const exact = await exactSearched;
  if (!exact || results.length < 2) return results;
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

// Draws the next results and the "更多结果" button; returns how many pages it drew that
// Pagefind had not found (named pages: see withNamed).
async function more(generation) {
  const first = state.shown === 0;
  const batch = state.results.slice(state.shown, state.shown + (first ? FIRST : SHOWN));
  state.shown += batch.length;
  let pages = await Promise.all(batch.map((result) => result.data()));
  if (generation !== state.generation) return 0;
  performance.mark("library-search:loaded");
  const found = pages.length;
  pages = first ? withNamed(pages, state.named) : pages.filter((page) => !isNamed(page));
  state.list.querySelector(".library-search__more")?.remove();
  for (const page of pages) state.list.appendChild(item(page));
  moreButton(generation);
  state.list.setAttribute("data-results", String(state.list.querySelectorAll(".md-search-result__item").length));
  return first ? Math.max(0, pages.length - found) : 0;
}

function moreButton(generation) {
  state.list.querySelector(".library-search__more")?.remove();
  if (state.shown >= state.results.length) return;
  const button = element("button", "library-search__more md-button", "更多结果");
  button.type = "button";
  button.addEventListener("click", () => more(generation));
  const li = element("li", "library-search__more");
  li.appendChild(button);
  state.list.appendChild(li);
}

// ------------------------------------------------------------------ exact names

// The pages named exactly as the query, from the builder's table (builder/search.py,
// names_table): [{path, title, kind}], pages so titled first. One file of the table per query.
async function namedPages(term) {
  const key = nameKey(term || "");
  const { shards } = await state.names;
  if (!key || !shards) return [];
  const shard = nameShard(key, shards);
  if (!state.shards.has(shard)) {
    state.shards.set(shard, fetch(new URL(`search-names/${shard}.json`, state.base))
      .then((r) => r.json()).catch(() => ({ pages: [], keys: {} })));
  }
  const table = await state.shards.get(shard);
  return (table.keys[key] || []).map((n) => {
    const [path, title, kind] = table.pages[n];
    return { path, title, kind };
  });
}

// As builder/search.py's name_key: NFKC, lower case, letters and digits only.
function nameKey(text) {
  return text.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

// As builder/search.py's name_shard: FNV-1a (32 bit) over the code points, modulo the files.
function nameShard(key, shards) {
  let value = 0x811c9dc5;
  for (const char of key) value = Math.imul(value ^ char.codePointAt(0), 0x01000193) >>> 0;
  return value % shards;
}

// The named pages first (Pagefind's own result for one when it is among the pages loaded, with
// its excerpt; else its title and kind from the table), then the other pages.
function withNamed(pages, named) {
  if (!named.length) return pages;
  const loaded = new Map(pages.map((page) => [pathOf(page.url), page]));
  const first = named.map((n) => loaded.get(n.path) ||
    { url: new URL(n.path, state.base).href, meta: { title: n.title, kind: n.kind }, excerpt: "", sub_results: [] });
  const paths = new Set(named.map((n) => n.path));
  return [...first, ...pages.filter((page) => !paths.has(pathOf(page.url)))];
}

function isNamed(page) {
  return state.named.some((n) => n.path === pathOf(page.url));
}

function pathOf(url) {
  return new URL(url, location.href).pathname.slice(state.base.pathname.length);
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
