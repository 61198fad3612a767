/* Runs the site's real search engine (plugins/lifelong/theme/assets/lifelong/search.js) in
   node, without a browser, against a built site's search/ folder.

     node tests/searchkit.js SITE_DIR [COMMAND_JSON]      (or the command on stdin)

   Commands (one JSON object; any of the keys, answered under the same key):
     {"terms": ["text", ...]}
         -> [{"text", "index": engine.indexTerms(text),
              "query": engine.queryParts(text) as [["han"|"word", text], ...],
              "exact": engine.exactKey(text)}, ...]
     {"syllables": ["taijiquan", ...]}  -> [engine.syllables(word), ...]
     {"search": ["query" | {"q": "query", "prefix": bool}, ...], "prefix": bool}
         -> [{"q", "prefix", "count", "top": [10 entry ids, best first]}, ...]
     {"heads": ["query", ...], "prefix": bool, "limit": n}
         -> [{"q", "count", "top", "whole": [the whole-string files (q/) it loaded]}, ...]:
            the header box's search for the first n results, each from the heads of long
            postings only (the whole strings of earlier queries are forgotten first)
     {"facets": true}
         -> [{"id": entry id, <facet>: engine.facetValues(f.js, facet, n), ...}, ...], a
            document at a time, in the index's order (oldest first)
     "featured": false (with any of them) makes the engine forget the featured entries, so
     that a test can tell a tie broken by "featured" from a better score.
   Prints one JSON object to stdout. */
"use strict";
var fs = require("fs");
var path = require("path");
var vm = require("vm");

var ENGINE = path.join(__dirname, "..", "plugins", "lifelong", "theme", "assets", "lifelong",
                       "search.js");

function main() {
  var site = process.argv[2];
  if (!site) throw new Error("usage: node searchkit.js SITE_DIR [COMMAND_JSON]");
  var folder = path.join(site, "search");
  var command = JSON.parse(process.argv[3] || fs.readFileSync(0, "utf8"));

  var S = { data: {}, root: "" };
  global.window = { LifelongSearch: S };
  global.LifelongSearch = S;  // the data files call the bare name, as in a browser
  S.add = function (name, data) { S.data[name] = data; };
  S.need = function (name) {
    if (!Object.prototype.hasOwnProperty.call(S.data, name)) {
      var file = path.join(folder, name + ".js");
      vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
      if (!Object.prototype.hasOwnProperty.call(S.data, name)) {
        return Promise.reject(new Error(file + " did not add " + name));
      }
    }
    return Promise.resolve(S.data[name]);
  };
  global.lunr = require(path.resolve(folder, "lunr.js"));
  S.need("meta");
  S.need("t2s");
  if (command.featured === false) S.data.meta.featured = "";  // ties fall to the newest
  vm.runInThisContext(fs.readFileSync(ENGINE, "utf8"), { filename: ENGINE });
  var engine = S.engine;
  var out = {};

  if (command.terms) {
    out.terms = command.terms.map(function (text) {
      return {
        text: text,
        index: engine.indexTerms(text),
        query: engine.queryParts(text).map(function (part) {
          return part.han !== undefined ? ["han", part.han] : ["word", part.word];
        }),
        exact: engine.exactKey(text)
      };
    });
  }
  if (command.syllables) {
    out.syllables = command.syllables.map(function (word) { return engine.syllables(word); });
  }
  var work = Promise.resolve();
  if (command.search) {
    out.search = [];
    command.search.forEach(function (item) {
      var q = typeof item === "string" ? item : item.q;
      var prefix = typeof item === "string" ? !!command.prefix : !!item.prefix;
      work = work.then(function () {
        return engine.search(q, prefix, 10);
      }).then(function (found) {
        return engine.records(found.docs).then(function (rows) {
          out.search.push({
            q: q, prefix: prefix, count: found.count,
            top: rows.map(function (row) { return entryId(row.url); })
          });
        });
      });
    });
  }
  if (command.heads) {
    out.heads = [];
    command.heads.forEach(function (q) {
      var before;
      work = work.then(function () {
        Object.keys(S.data).forEach(function (name) { if (name.slice(0, 2) === "q/") delete S.data[name]; });
        before = Object.keys(S.data).length;
        return engine.search(q, !!command.prefix, command.limit);
      }).then(function (found) {
        var whole = Object.keys(S.data).slice(before).filter(function (n) { return n.slice(0, 2) === "q/"; });
        return engine.records(found.docs).then(function (rows) {
          out.heads.push({ q: q, count: found.count, whole: whole.sort(),
                           top: rows.map(function (row) { return entryId(row.url); }) });
        });
      });
    });
  }
  if (command.facets) {
    work = work.then(function () { return S.need("f"); }).then(function (columns) {
      var docs = [];
      for (var n = 0; n < S.data.meta.documents; n++) docs.push(n);
      return engine.records(docs).then(function (rows) {
        out.facets = rows.map(function (row, n) {
          var values = { id: entryId(row.url) };
          engine.facets.forEach(function (name) { values[name] = engine.facetValues(columns, name, n); });
          return values;
        });
      });
    });
  }
  return work.then(function () { process.stdout.write(JSON.stringify(out)); });
}

/* "taiji-basics/" or "taiji-basics.html" (no directory URLs) -> "taiji-basics". */
function entryId(url) {
  return url.replace(/\/$/, "").replace(/\.html$/, "").split("/").pop();
}

try {
  main().catch(function (error) {
    process.stderr.write((error && error.stack) || String(error));
    process.exit(1);
  });
} catch (error) {
  process.stderr.write((error && error.stack) || String(error));
  process.exit(1);
}
