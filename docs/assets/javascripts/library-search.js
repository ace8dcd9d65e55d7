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
// (search-tables/names-*.json, builder/search.py names_table) says which, one small file per
// query, so that a name Pagefind's index segments otherwise than the browser segments the query
// is found too.
//
// A result is drawn as soon as Pagefind's search returns, from the builder's cards table
// (search-tables/cards-*.json, builder/search.py cards_table: path, title, kind and date by
// Pagefind's page id); its excerpt and sections are filled in when its page's fragment (the
// page's whole text, the largest part of what a query downloads) has arrived.

// Results drawn at first, and then per "更多结果".
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
    tables: fetch(new URL("search-tables/tables.json", base)).then((r) => r.json())
      .catch(() => ({ names: 0, cards: 0 })),
    shards: new Map(), // "names-3" or "cards-12" -> that file of the tables, once fetched
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
  delete state.list.dataset.excerpts;
  const { extra, excerpts } = await more(generation);
  if (generation !== state.generation) return;
  showCount(found.results.length + extra);
  performance.mark("library-search:drawn");
  state.list.dataset.query = term; // the list now shows this query's results
  await excerpts;
  if (generation !== state.generation) return;
  performance.mark("library-search:excerpts");
  state.list.dataset.excerpts = term; // and their excerpts
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
  const pages = withNamed(await Promise.all(results.slice(0, count).map(card)), await named);
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

// Draws the next results from their cards and the "更多结果" button. Returns how many pages it
// drew that Pagefind had not found (named pages: see withNamed), and a promise of the excerpts:
// each result's page fragment is loaded and its excerpt and sections filled in (fill).
async function more(generation) {
  const first = state.shown === 0;
  const batch = state.results.slice(state.shown, state.shown + (first ? FIRST : SHOWN));
  state.shown += batch.length;
  let pages = await Promise.all(batch.map(card));
  if (generation !== state.generation) return { extra: 0, excerpts: null };
  performance.mark("library-search:cards");
  const found = pages.length;
  pages = first ? withNamed(pages, state.named) : pages.filter((page) => !isNamed(page));
  state.list.querySelector(".library-search__more")?.remove();
  const filled = [];
  for (const page of pages) {
    const li = item(page);
    state.list.appendChild(li);
    if (!page.result) continue;
    filled.push(page.result.data()
      .then((data) => { if (generation === state.generation) fill(li, data); })
      .catch(() => {})); // no fragment: the result stays drawn without its excerpt
  }
  moreButton(generation);
  state.list.setAttribute("data-results", String(state.list.querySelectorAll(".md-search-result__item").length));
  return { extra: first ? Math.max(0, pages.length - found) : 0, excerpts: Promise.all(filled) };
}

// What is drawn of a Pagefind result before its fragment arrives: its path, title, kind and
// date from the builder's cards table (one small file per result, shared by many); Pagefind's
// fragment itself when the table does not know the page (a site indexed without the builder).
async function card(result) {
  const { cards } = await state.tables;
  const table = cards ? await tableFile("cards", nameShard(result.id, cards)) : {};
  const known = table[result.id];
  if (!known) return { ...(await result.data()), result: null };
  const [path, title, kind, date] = known;
  return { url: new URL(path, state.base).href, meta: { title, kind, date }, excerpt: "", sub_results: [], result };
}

function tableFile(table, shard) {
  const name = `${table}-${shard}`;
  if (!state.shards.has(name)) {
    state.shards.set(name, fetch(new URL(`search-tables/${name}.json`, state.base))
      .then((r) => r.json()).catch(() => ({})));
  }
  return state.shards.get(name);
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
  const { names } = await state.tables;
  if (!key || !names) return [];
  const table = await tableFile("names", nameShard(key, names));
  return ((table.keys || {})[key] || []).map((n) => {
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

// A result: its title, kind and date, then what the page's fragment gives (fill), if loaded.
function item(page) {
  const li = element("li", "md-search-result__item");
  li.appendChild(link(page.url, titleOf(page), "", page.meta?.kind || "", page.meta?.date || "", true));
  fill(li, page);
  return li;
}

// A result completed from its page's fragment (drawn from its card, it waits for it): the
// excerpt, with the matches marked, and the sections of the page that match.
function fill(li, page) {
  const article = li.querySelector(".md-search-result__article");
  if (page.excerpt && !article.querySelector(".library-search__excerpt")) {
    article.appendChild(excerptOf(page.excerpt));
  }
  for (const sub of sections(page)) li.appendChild(link(sub.url, sub.title, sub.excerpt, "", "", false));
}

function titleOf(page) {
  return page.meta?.title || page.url;
}

function sections(page) {
  return (page.sub_results || [])
    .filter((sub) => sub.url !== page.url && sub.title && sub.title !== titleOf(page))
    .slice(0, SECTIONS);
}

function excerptOf(text) {
  const p = element("p", "library-search__excerpt");
  p.innerHTML = safeExcerpt(text);
  return p;
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
  if (excerpt) article.appendChild(excerptOf(excerpt));
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
