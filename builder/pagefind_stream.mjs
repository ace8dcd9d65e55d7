// Pagefind fed page by page while MkDocs renders the site (builder/search.py, StreamIndexer).
//
// node builder/pagefind_stream.mjs <output folder> <language> <exclude selectors, comma-separated>
//
// Reads JSON lines from stdin, one per rendered page: {"path": "documents/x/index.html",
// "html": "..."}, and hands each to Pagefind's own Node API (the npm package "pagefind", pinned in
// package.json with the binary), whose service process indexes it at once. At the end of stdin it
// writes the index into the output folder and prints one JSON line:
// {"pages": <pages indexed>, "errors": [...], "write_seconds": <time writing the index took>}.
import { createInterface } from "node:readline";
import * as pagefind from "pagefind";

const [output, language, exclude] = process.argv.slice(2);
const { index, errors } = await pagefind.createIndex({
  forceLanguage: language,
  excludeSelectors: exclude ? exclude.split(",") : [],
});
let pages = 0;
if (index) {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const { path, html } = JSON.parse(line);
    const added = await index.addHTMLFile({ sourcePath: path, content: html });
    errors.push(...added.errors);
    if (added.file) pages += 1;
  }
}
const start = Date.now();
if (index) errors.push(...(await index.writeFiles({ outputPath: output })).errors);
await pagefind.close();
process.stdout.write(JSON.stringify({ pages, errors, write_seconds: (Date.now() - start) / 1000 }) + "\n");
