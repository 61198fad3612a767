/* Lifelong search: the engine and the two interfaces (the header box, the search page).
   Loaded on demand by lifelong.js after lunr.js and search/meta.js (search/t2s.js follows
   when a query has Han characters).

   Query terms are made exactly as plugins/lifelong/search/text.py makes index terms:
   fold (NFKD, no combining marks, lower case, traditional -> simplified, other non-ASCII ->
   space), Han runs -> characters and pairs, the rest -> lunr's tokenizer, trimmer, stop-word
   filter and stemmer. A test feeds the same strings to both and compares the terms. */
(function () {
  "use strict";
  var S = window.LifelongSearch;
  var meta = S.data.meta;
  var ui = meta.ui;
  var ALPHABET = meta.alphabet;
  var DIGIT = {};  // facet columns
  for (var d = 0; d < ALPHABET.length; d++) DIGIT[ALPHABET.charAt(d)] = d;
  /* Numbers of postings, exact keys and ranks (see plugins/lifelong/search/postings.py):
     digits by character code; FINAL digits end a number, the others continue it. */
  var NUMBER = new Int16Array(128);
  for (var c = 0; c < meta.digits.length; c++) NUMBER[meta.digits.charCodeAt(c)] = c;
  var FINAL = meta.final, CONTINUATION = meta.digits.length - FINAL, BASE = meta.digits.length;
  var LEVELS = meta.weights.length;

  /* -- text: the same steps as text.py ------------------------------------------------ */
  /* Han ideographs as text.py's HAN, the supplementary planes (Extension B and later,
     U+20000-U+323AF) included: "u" regular expressions, which see a surrogate pair as the
     one character it is. Everything that cuts a run of Han characters counts code points
     (Array.from), never UTF-16 units. */
  var HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}]+/gu;
  var NOT_KEPT = /[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}]/gu;
  var COMBINING = /[\u0300-\u036f]/g;
  var T2S = null;
  /* The traditional -> simplified table, once search/t2s.js is loaded (only queries with
     Han characters need it, so English and pinyin queries never load it). */
  function t2s() {
    if (T2S === null && S.data.t2s) {
      T2S = {};
      var from = S.data.t2s[0], to = S.data.t2s[1];
      for (var i = 0; i < from.length; i++) T2S[from.charAt(i)] = to.charAt(i);
    }
    return T2S || {};
  }
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}]/u;
  var pipeline = new lunr.Pipeline();
  pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);

  function fold(text) {
    var lower = String(text).normalize("NFKD").replace(COMBINING, "").toLowerCase();
    var table = t2s();
    var out = "";
    for (var i = 0; i < lower.length; i++) {
      var c = lower.charAt(i);
      out += table[c] || c;
    }
    return out.replace(NOT_KEPT, " ");
  }

  function lunrTerms(text) {
    return pipeline.run(lunr.tokenizer(text)).map(String).filter(function (t) { return t; });
  }

  function hanTerms(run) {
    var chars = Array.from(run), terms = chars.slice();
    for (var i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
    return terms;
  }

  /* The index's terms of a run (han_terms in text.py): hanTerms, and the pair around each
     character outside the BMP (火𤙖供養 also gives 火供), which readers leave out. */
  function indexHanTerms(run) {
    var chars = Array.from(run), terms = hanTerms(run);
    for (var i = 1; i + 1 < chars.length; i++) {
      if (chars[i].length > 1) terms.push(chars[i - 1] + chars[i + 1]);
    }
    return terms;
  }

  /* Index terms of a text without pinyin (the browser has no pinyin dictionary). */
  function indexTerms(text) {
    var folded = fold(text), terms = [], last = 0, match;
    HAN_RUN.lastIndex = 0;
    while ((match = HAN_RUN.exec(folded)) !== null) {
      terms = terms.concat(lunrTerms(folded.slice(last, match.index)), indexHanTerms(match[0]));
      last = match.index + match[0].length;
    }
    return terms.concat(lunrTerms(folded.slice(last)));
  }

  /* A query as parts: {han: "太极"} or {word: "taijiquan"}, in order. */
  function queryParts(query) {
    var folded = fold(query), parts = [], last = 0, match;
    function words(text) {
      text.split(/\s+/).forEach(function (w) { if (w) parts.push({ word: w }); });
    }
    HAN_RUN.lastIndex = 0;
    while ((match = HAN_RUN.exec(folded)) !== null) {
      words(folded.slice(last, match.index));
      parts.push({ han: match[0] });
      last = match.index + match[0].length;
    }
    words(folded.slice(last));
    return parts;
  }

  function exactKey(text) {
    var key = fold(text).replace(/[^a-z0-9\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{323af}]/gu, "");
    return key ? "=" + fnv1a(key).toString(16) : "=";
  }

  /* -- pinyin: split a word into syllables found in the catalogue's titles and names ---- */
  var SYLLABLES = {};
  var LONGEST = 0;
  meta.syllables.forEach(function (s) { SYLLABLES[s] = true; LONGEST = Math.max(LONGEST, s.length); });

  /* Every way to split a word into known syllables (fewest syllables first, at most 8):
     "wuchengen" is wu|cheng|en or wu|chen|gen, and only the index knows which. */
  function segmentations(word) {
    if (!/^[a-z]+$/.test(word)) return [];
    var found = [];
    var deadEnd = {};
    (function walk(start, path) {
      if (found.length >= 64) return;
      if (start === word.length) { found.push(path); return; }
      if (deadEnd[start]) return;
      var before = found.length;
      for (var end = Math.min(word.length, start + LONGEST); end > start; end--) {
        if (SYLLABLES[word.slice(start, end)]) walk(end, path.concat([word.slice(start, end)]));
      }
      if (found.length === before) deadEnd[start] = true;
    })(0, []);
    found.sort(function (a, b) { return a.length - b.length; });
    return found.slice(0, 8);
  }

  function syllables(word) {
    var all = segmentations(word);
    return all.length ? all[0] : null;
  }

  /* -- index files -------------------------------------------------------------------- */
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function shardOf(term) { return "p/" + (fnv1a(term) % meta.shards); }

  var decoded = {};
  var own = function (object, key) { return Object.prototype.hasOwnProperty.call(object, key); };
  /* Postings of a term, or null: {docs: Int32Array ascending, scores: Float64Array, idf}. A
     term's string is its usual level, then per posting 2 * gap (usual level) or
     2 * (gap * LEVELS + level) + 1; the gap is from the previous document.
     A frequent term's string in its postings file is a head (postings.py, head_text): " ",
     how many documents it has, the number k of the file of its whole string (q/<shard>-<k>),
     then its best postings. Until that file is loaded, the term's postings are the head's,
     with {head: {file, score, featured, doc}}: its worst posting (lowest level, then not
     featured, then oldest), which every posting left out of the head ranks below. */
  /* One variable-length number of text at position `cursor`, which moves past it: a final
     digit, or continuation digits then a final one. */
  var cursor = 0;
  function readNumber(text) {
    var digit = NUMBER[text.charCodeAt(cursor++)];
    if (digit < FINAL) return digit;
    var acc = 0, base = 0, span = FINAL;
    while (digit >= FINAL) {
      acc = acc * CONTINUATION + digit - FINAL;
      base += span;
      span *= CONTINUATION;
      digit = NUMBER[text.charCodeAt(cursor++)];
    }
    return base + acc * FINAL + digit;
  }

  function postings(term) {
    var shard = S.data[shardOf(term)];
    var text = shard && own(shard, term) ? shard[term] : null;
    var file = null, df = 0, start = 0;
    if (text !== null && text.charAt(0) === " ") {
      cursor = 1;
      df = readNumber(text);
      file = "q/" + shardOf(term).slice(2) + "-" + readNumber(text);
      if (own(S.data, file)) {
        text = S.data[file];
        file = null;
      } else {
        start = cursor;
      }
    }
    var key = file ? " " + term : term;
    if (own(decoded, key)) return decoded[key];
    var result = null;
    if (text !== null) {
      var usual = NUMBER[text.charCodeAt(start)];
      var docs = new Int32Array(text.length - start - 1), levels = new Uint8Array(docs.length);
      var n = 0, doc = 0, length = text.length;
      cursor = start + 1;
      while (cursor < length) {
        var value = readNumber(text);
        if (value % 2 === 0) {
          doc += value / 2;
          levels[n] = usual;
        } else {
          var rest = (value - 1) / 2;
          doc += Math.floor(rest / LEVELS);
          levels[n] = rest % LEVELS;
        }
        docs[n++] = doc;
      }
      var scores = new Float64Array(n), idf = Math.log(1 + meta.documents / (file ? df : n));
      for (var k = 0; k < n; k++) scores[k] = meta.weights[levels[k]] * 10 + idf;
      result = { docs: docs.subarray(0, n), scores: scores, idf: idf };
      if (file) {
        var worst = 0;  // documents ascending: of equals, the first is the oldest
        for (var w = 1; w < n; w++) {
          if ((levels[w] - levels[worst] || FEATURED[docs[w]] - FEATURED[docs[worst]]) < 0) worst = w;
        }
        // A posting left out that ranks after the worst by (featured, document) is of a
        // lower level: it scores at most `below`.
        var lower = levels[worst] - 1;
        result.head = { file: file, count: df, score: scores[worst], featured: FEATURED[docs[worst]],
                        doc: docs[worst], below: lower < 0 ? -Infinity : meta.weights[lower] * 10 + idf };
      }
    }
    decoded[key] = result;
    return result;
  }

  /* The exact key of a whole title or id ("=" and its hash in hexadecimal) lives in shard
     hash % shards, under "=": per key, in hash order, the distance from the previous
     hash / shards, then the document in meta.width digits. */
  function exactShard(key) {
    return key === "=" ? null : "p/" + (parseInt(key.slice(1), 16) % meta.shards);
  }

  function exactDocs(key) {
    var name = exactShard(key);
    var shard = name && S.data[name];
    var text = shard && Object.prototype.hasOwnProperty.call(shard, "=") ? shard["="] : "";
    var want = Math.floor(parseInt(key.slice(1), 16) / meta.shards), high = 0, found = [];
    for (cursor = 0; cursor < text.length;) {
      high += readNumber(text);
      if (high > want) break;
      if (high === want) found.push(fixedNumber(text, cursor, meta.width));
      cursor += meta.width;
    }
    return found;
  }

  function fixedNumber(text, at, width) {
    var value = 0;
    for (var i = 0; i < width; i++) value = value * BASE + NUMBER[text.charCodeAt(at + i)];
    return value;
  }

  /* The dictionary file of a term (d/<key>.js): its first two characters (code points),
     each but a-z and 0-9 written "_", as dictionary_key in search/index.py does. */
  function dictionaryKey(term) {
    return Array.from(String(term)).slice(0, 2).join("").replace(/[^a-z0-9]/gu, "_");
  }

  /* -- the query plan ----------------------------------------------------------------- */
  /* A plan is a list of groups (all must match). A group has alternatives (any may match);
     an alternative is a list of slots (all must match); a slot is a list of terms (any). */
  function plan(query, prefix) {
    var parts = queryParts(query);
    var groups = [];
    parts.forEach(function (part, index) {
      if (part.han) {
        var run = part.han, length = Array.from(run).length;
        var slots = length === 1 ? [[run]] : hanTerms(run).slice(length).map(function (t) { return [t]; });
        groups.push({ alternatives: [slots], text: run });
        return;
      }
      var word = part.word;
      // A one-letter last word while typing is the start of the next word: wait for more.
      if (prefix && index === parts.length - 1 && word.length < 2 && groups.length) return;
      var english = lunrTerms(word);
      // A stop word ("the", "of") means nothing to lunr: it must not be required here.
      if (!english.length) return;
      var alternatives = [english.map(function (t) { return [t]; })];
      // Pinyin: pairs of syllables (the index has no single syllables).
      segmentations(word).forEach(function (syl) {
        if (syl.length < 2) return;
        var pairs = [];
        for (var i = 0; i + 1 < syl.length; i++) pairs.push([meta.pinyinMark + syl[i] + syl[i + 1]]);
        alternatives.push(pairs);
      });
      // Pinyin initials: every triple (the index has no pairs). Only for short words with at
      // most one vowel (tjq, znsj, wce): English words would load shards for nothing.
      if (/^[a-z]{3,5}$/.test(word) && (word.match(/[aeiou]/g) || []).length <= 1) {
        var windows = [];
        for (var k = 0; k + 3 <= word.length; k++) windows.push([meta.initialsMark + word.substr(k, 3)]);
        alternatives.push(windows);
      }
      groups.push({ alternatives: alternatives, text: word, word: word,
                    english: english.length === 1 ? english[0] : null,
                    expand: english.length === 1 && (prefix && index === parts.length - 1 || word.length >= 5) });
    });
    return groups;
  }

  function termsOf(groups) {
    var terms = [];
    groups.forEach(function (g) {
      g.alternatives.forEach(function (alt) { alt.forEach(function (slot) { terms = terms.concat(slot); }); });
    });
    return terms;
  }

  var LETTERS = "abcdefghijklmnopqrstuvwxyz";

  /* The stems of every word one typo away from `word` (a letter replaced, added or left
     out, two neighbours swapped): stem -> whether a typo in the first two letters makes it
     (its term is then in another d/ file than the word's). A typo is matched on the word as
     typed, not on its stem: stemming takes words one letter apart further apart
     ("illuxions" stems to "illuxion", "illusions" to "illus"). */
  function typoStems(word) {
    var stems = Object.create(null);  // no "constructor" in it but a real one
    // A word of letters only (most are) skips the tokenizer and the trimmer, which would
    // leave it as it is: a fifth of the time, for the 500 variants of a word of ten letters.
    var letters = /^[a-z]+$/.test(word);
    function add(variant, early) {
      var term;
      if (letters) {
        var token = lunr.stopWordFilter(new lunr.Token(variant));
        term = token ? lunr.stemmer(token).toString() : "";
      } else {
        var terms = lunrTerms(variant);
        term = terms.length === 1 ? terms[0] : "";
      }
      if (term) stems[term] = stems[term] || early;
    }
    for (var i = 0; i <= word.length; i++) {
      var head = word.slice(0, i), tail = word.slice(i), early = i < 2;
      for (var k = 0; k < LETTERS.length; k++) {
        var letter = LETTERS.charAt(k);
        add(head + letter + tail, early);
        if (tail && letter !== tail.charAt(0)) add(head + letter + tail.slice(1), early);
      }
      if (tail) add(head + tail.slice(1), early);
      if (tail.length > 1) add(head + tail.charAt(1) + tail.charAt(0) + tail.slice(2), early);
    }
    return stems;
  }

  /* The typo files (e/<key>.js: terms by their third and fourth letters, typo_key in
     search/index.py) of the terms a typo in the first two letters may stand for (`stems`:
     typoStems of the word). */
  function typoKeys(stems) {
    var keys = {};
    Object.keys(stems).forEach(function (stem) {
      if (stems[stem]) keys[dictionaryKey(stem.slice(2, 4))] = true;
    });
    return Object.keys(keys).filter(function (key) { return meta.typos.indexOf(key) >= 0; });
  }

  /* How many documents have `term`, from whichever dictionary of it is loaded. */
  function frequency(term) {
    var own = Object.prototype.hasOwnProperty;
    var d = S.data["d/" + dictionaryKey(term)], e = S.data["e/" + dictionaryKey(term.slice(2, 4))];
    return (d && own.call(d, term) ? d[term] : 0) || (e && own.call(e, term) ? e[term] : 0);
  }

  function need(names) {
    return Promise.all(Object.keys(names).sort().map(S.need));
  }

  /* Whether a term of a loaded d/ file starts with `start`. */
  function completes(start) {
    var dict = S.data["d/" + dictionaryKey(start)] || {};
    return Object.keys(dict).some(function (term) { return term.indexOf(start) === 0; });
  }

  /* Adds prefix and one-typo variants of English words, from the term dictionaries. The
     typo files are read only for a word of five letters or more that the index does not
     know, nor, while it is being typed, as the start of a word (a known word costs nothing
     more). */
  function expand(groups, prefix) {
    var wanted = groups.filter(function (g) { return g.expand; });
    var typing = function (g) { return prefix && g === groups[groups.length - 1]; };
    var unknown = function (g) {
      return g.word.length >= 5 && !frequency(g.english) &&
        !(typing(g) && (completes(g.english) || completes(g.word)));
    };
    var typos = groups.map(function (g) {
      return g.expand && g.word.length >= 5 ? typoStems(g.word) : Object.create(null);
    });
    var files = {};
    wanted.forEach(function (g) {
      [g.english, g.word].forEach(function (t) {
        var key = dictionaryKey(t);
        if (meta.dictionaries.indexOf(key) >= 0) files["d/" + key] = true;
      });
    });
    return need(files).then(function () {
      var more = {};
      groups.forEach(function (g, index) {
        if (!g.expand || !unknown(g)) return;
        typoKeys(typos[index]).forEach(function (key) { more["e/" + key] = true; });
      });
      return need(more);
    }).then(function () {
      groups.forEach(function (g, index) {
        if (!g.expand) return;
        var found = [], costs = Object.create(null);
        var last = prefix && index === groups.length - 1;
        var stems = typos[index];
        function consider(term, isPrefix) {
          if (term === g.english || !(isPrefix || term in stems)) return;
          var cost = isPrefix ? PREFIX_COST : TYPO_COST;
          if (!(term in costs)) found.push(term);
          costs[term] = Math.min(cost, term in costs ? costs[term] : cost);
        }
        [g.english, g.word].forEach(function (t) {
          Object.keys(S.data["d/" + dictionaryKey(t)] || {}).forEach(function (term) {
            consider(term, last && term.indexOf(t) === 0);
          });
        });
        if (unknown(g)) {
          typoKeys(stems).forEach(function (key) {
            Object.keys(S.data["e/" + key] || {}).forEach(function (term) { consider(term, false); });
          });
        }
        found.sort(function (a, b) {
          return frequency(b) - frequency(a) || (a < b ? -1 : a > b ? 1 : 0);
        });
        // The most frequent few: each variant may cost a shard (about 20 KB) to load.
        g.alternatives[0][0] = [g.english].concat(found.slice(0, 6));
        g.variants = costs;  // read by variant()
      });
      return groups;
    });
  }

  /* -- scoring: sorted document lists, merged -------------------------------------------- */
  /* A match is {docs: Int32Array ascending, scores: Float64Array}. */
  var NONE = { docs: new Int32Array(0), scores: new Float64Array(0) };

  /* Documents in either; a document in both keeps its better score. */
  function union(a, b) {
    if (!a.docs.length) return b;
    if (!b.docs.length) return a;
    var docs = new Int32Array(a.docs.length + b.docs.length);
    var scores = new Float64Array(docs.length);
    var i = 0, j = 0, n = 0;
    while (i < a.docs.length && j < b.docs.length) {
      var x = a.docs[i], y = b.docs[j];
      if (x < y) { docs[n] = x; scores[n++] = a.scores[i++]; }
      else if (y < x) { docs[n] = y; scores[n++] = b.scores[j++]; }
      else { docs[n] = x; scores[n++] = Math.max(a.scores[i++], b.scores[j++]); }
    }
    while (i < a.docs.length) { docs[n] = a.docs[i]; scores[n++] = a.scores[i++]; }
    while (j < b.docs.length) { docs[n] = b.docs[j]; scores[n++] = b.scores[j++]; }
    return { docs: docs.subarray(0, n), scores: scores.subarray(0, n) };
  }

  /* Documents in both, their scores added. */
  function intersection(a, b) {
    if (a.docs.length > b.docs.length) { var t = a; a = b; b = t; }
    var docs = new Int32Array(a.docs.length), scores = new Float64Array(a.docs.length);
    var i = 0, j = 0, n = 0;
    while (i < a.docs.length && j < b.docs.length) {
      var x = a.docs[i], y = b.docs[j];
      if (x < y) i++;
      else if (y < x) j++;
      else { docs[n] = x; scores[n++] = a.scores[i++] + b.scores[j++]; }
    }
    return { docs: docs.subarray(0, n), scores: scores.subarray(0, n) };
  }

  /* A plan's terms combined as its tree says: `either` (the best) of the terms of a slot
     and of the alternatives of a group, `both` (added, in this order) of the slots of an
     alternative and of the groups; `leaf(group, own, term)` makes a term's part (`own`: its
     slot's own term), `nothing()` an empty one. evaluate() and bounds() walk it alike: the
     bounds are only sound if they add as the scores do. */
  function combine(groups, leaf, either, both, nothing) {
    var total = null;
    groups.forEach(function (group) {
      var best = null;
      group.alternatives.forEach(function (alt) {
        var all = null;
        alt.forEach(function (slot) {
          var any = null;
          slot.forEach(function (term) {
            var part = leaf(group, slot[0], term);
            any = any === null ? part : either(any, part);
          });
          any = any || nothing();
          all = all === null ? any : both(all, any);
        });
        all = all || nothing();
        best = best === null ? all : either(best, all);
      });
      best = best || nothing();
      total = total === null ? best : both(total, best);
    });
    return total || nothing();
  }

  function noMatch() { return NONE; }

  /* The documents matching a plan, scored: in every group (scores added), in one of its
     alternatives (the best), in every slot of it (added), by one of its terms (the best).
     A document whose whole title (or id) is the query is a match whatever its terms, and
     first; one of whose people's whole name is the query, next. */
  function evaluate(groups, exact) {
    var total = combine(groups, variant, union, intersection, noMatch);
    total = withBonus(total, exactDocs(nameKey(exact)), NAME_BONUS);
    return withBonus(total, exactDocs(exact), TITLE_BONUS);
  }

  /* What finding the word less surely costs: a term that completes the word being typed,
     or one the word is a typo of, scores below the word's own term in the same field. */
  var PREFIX_COST = 1, TYPO_COST = 3;

  /* The postings of `term`, a term of a slot whose own term is `own`, scored as such: a
     variant costs its kind's cost (group.variants), and never gains from being rarer than
     the word's own term (a rare "stephan" must not beat a common "stephen"). */
  function variant(group, own, term) {
    var match = postings(term) || NONE;
    var cost = variantCost(group, own, term, match);
    if (!cost) return match;
    var scores = new Float64Array(match.scores.length);
    for (var i = 0; i < scores.length; i++) scores[i] = match.scores[i] - cost;
    return { docs: match.docs, scores: scores };
  }

  function variantCost(group, own, term, match) {
    var cost = term === own || !group.variants ? undefined : group.variants[term];
    if (cost === undefined || !match.docs.length) return 0;
    var mine = postings(own);
    return cost + (mine ? Math.max(0, match.idf - mine.idf) : 0);
  }

  /* -- the header box from heads --------------------------------------------------------
     A query of frequent words has the heads of their postings only (postings()). evaluate()
     then scores every document it finds in all it needs, exactly, and leaves out those it
     cannot see. bounds() gives the best each document could score with the whole strings:
     {docs: document -> bound, rest: the bound of a document in no string loaded, tie: the
     best worst posting (featured, document) of the heads that make rest, absent(document):
     the bound of a document of `docs` elsewhere where it is not}. A document left out of a
     head scores at most the head's worst posting there, and when it scores as much, ranks
     after it (featured, then newer first): one that would rank before it is of a lower
     level. The first `limit` documents of evaluate() are those of the whole strings when
     each scores its bound and the last of them ranks before every other document's bound
     (certified()). */
  var NOTHING = -Infinity;

  function boundOf(bound, doc) { return own(bound.docs, doc) ? bound.docs[doc] : bound.absent(+doc); }

  function none() { return NOTHING; }
  function unbound() { return { docs: {}, rest: NOTHING, tie: null, absent: none }; }

  function laterTie(a, b) {
    return !a || b && (b.featured - a.featured || b.doc - a.doc) > 0 ? b : a;
  }

  function boundUnion(a, b) {
    var docs = {}, doc;
    for (doc in a.docs) docs[doc] = Math.max(a.docs[doc], boundOf(b, doc));
    for (doc in b.docs) if (!own(docs, doc)) docs[doc] = Math.max(a.absent(+doc), b.docs[doc]);
    return { docs: docs, rest: Math.max(a.rest, b.rest),
             tie: a.rest > b.rest ? a.tie : b.rest > a.rest ? b.tie : laterTie(a.tie, b.tie),
             absent: function (doc) { return Math.max(a.absent(doc), b.absent(doc)); } };
  }

  /* Both, bounds added (in the order intersection() adds scores: a's, then b's). */
  function boundBoth(a, b) {
    var docs = {}, doc, rest = a.rest + b.rest;
    for (doc in a.docs) {
      var y = boundOf(b, doc);
      if (y !== NOTHING) docs[doc] = a.docs[doc] + y;
    }
    for (doc in b.docs) {
      var x = own(a.docs, doc) ? NOTHING : a.absent(+doc);
      if (x !== NOTHING) docs[doc] = x + b.docs[doc];
    }
    return { docs: docs, rest: rest, tie: rest === NOTHING ? null : laterTie(a.tie, b.tie),
             absent: function (doc) { return a.absent(doc) + b.absent(doc); } };
  }

  function termBound(docs, head, cost) {
    if (!head) return { docs: docs, rest: NOTHING, tie: null, absent: none };
    return { docs: docs, rest: head.score - cost, tie: head, absent: function (doc) {
      return ((FEATURED[doc] - head.featured || doc - head.doc) > 0 ? head.below : head.score) - cost;
    } };
  }

  function bounds(groups, exact) {
    var total = combine(groups, function (group, own, term) {
      var match = postings(term) || NONE, cost = variantCost(group, own, term, match);
      var docs = {};
      for (var i = 0; i < match.docs.length; i++) docs[match.docs[i]] = match.scores[i] - cost;
      return termBound(docs, match.head || null, cost);
    }, boundUnion, boundBoth, unbound);
    [[exactDocs(nameKey(exact)), NAME_BONUS], [exactDocs(exact), TITLE_BONUS]].forEach(function (pair) {
      pair[0].forEach(function (doc) {
        var found = boundOf(total, doc);
        total.docs[doc] = pair[1] + (found === NOTHING ? 0 : found);
      });
    });
    return total;
  }

  /* Positions in `match` (evaluate() on heads) of its first `limit` documents, when they are
     those of the whole strings in the same order (see above); else null. */
  function certified(match, bound, limit) {
    var top = ranked(match, limit), mine = {};
    for (var k = 0; k < top.length; k++) {
      var doc = match.docs[top[k]];
      if (boundOf(bound, doc) !== match.scores[top[k]]) return null;
      mine[doc] = true;
    }
    var full = top.length === limit, last = full ? top[limit - 1] : -1;
    var lowest = full ? match.scores[last] : 0, lastDoc = full ? match.docs[last] : 0;
    function before(score, featured, doc) {  // the last of top ranks before such a document
      return full && (score < lowest || score === lowest &&
                      (FEATURED[lastDoc] - featured || lastDoc - doc) > 0);
    }
    for (var d in bound.docs) {
      var score = bound.docs[d];
      if (!own(mine, d) && score !== NOTHING && !before(score, FEATURED[d], +d)) return null;
    }
    // A document in no string loaded ranks below the worst posting of a head it is left out
    // of: no better than bound.tie when its bound is tight (a finite rest comes of heads,
    // so there is a tie).
    if (bound.rest !== NOTHING && !before(bound.rest, bound.tie.featured, bound.tie.doc)) return null;
    return top;
  }

  /* A whole title (or id) typed is the first result; a whole name of a person of an entry
     (its author, teacher...), next: an author's books come before the titles that merely
     hold the words of the name. */
  var TITLE_BONUS = 10000, NAME_BONUS = 5000;

  /* The exact key of a person's whole name: the text's exact key with its top bit flipped
     (NAME_KEY in search/index.py), which keeps it in the same shard. */
  function nameKey(key) {
    if (key === "=") return key;
    return "=" + ((parseInt(key.slice(1), 16) ^ 0x80000000) >>> 0).toString(16);
  }

  /* The match with `docs` added, each scored `bonus` more than its score in the match. */
  function withBonus(total, docs, bonus) {
    if (!docs.length) return total;
    docs.sort(function (a, b) { return a - b; });
    var scores = new Float64Array(docs.length);
    for (var i = 0; i < docs.length; i++) {
      var at = binarySearch(total.docs, docs[i]);
      scores[i] = bonus + (at >= 0 ? total.scores[at] : 0);
    }
    return union(total, { docs: Int32Array.from(docs), scores: scores });
  }

  function binarySearch(sorted, value) {
    var lo = 0, hi = sorted.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] < value) lo = mid + 1;
      else if (sorted[mid] > value) hi = mid - 1;
      else return mid;
    }
    return -1;
  }

  /* Featured documents: each one's distance from the one before (from 0), as numbers. */
  var FEATURED = new Uint8Array(meta.documents);
  for (var at = 0, featured = 0; at < meta.featured.length;) {
    cursor = at;
    featured += readNumber(meta.featured);
    at = cursor;
    FEATURED[featured] = 1;
  }

  /* Best first: score, then featured entries, then the newest (documents are numbered
     oldest first). */
  function better(match, i, j) {
    return match.scores[j] - match.scores[i] || FEATURED[match.docs[j]] - FEATURED[match.docs[i]] ||
      match.docs[j] - match.docs[i];
  }

  /* Positions in match of its best `limit` documents (all of them when no limit), best
     first. The header box wants 8 of maybe 40,000: no need to sort them all. */
  function ranked(match, limit) {
    var n = match.docs.length, top = [];
    if (!limit || limit >= n) {
      for (var i = 0; i < n; i++) top.push(i);
      return top.sort(function (a, b) { return better(match, a, b); });
    }
    for (var k = 0; k < n; k++) {
      if (top.length === limit && better(match, k, top[limit - 1]) >= 0) continue;
      var at = top.length === limit ? limit - 1 : top.length;
      while (at > 0 && better(match, k, top[at - 1]) < 0) { top[at] = top[at - 1]; at--; }
      top[at] = k;
    }
    return top;
  }

  /* The whole-string files of the terms of `groups` that are loaded as heads, the rarest
     term's first. */
  function headFiles(groups) {
    var files = {};
    termsOf(groups).forEach(function (term) {
      var match = postings(term);
      if (match && match.head) files[match.head.file] = match.head.count;
    });
    return Object.keys(files).sort(function (a, b) {
      return files[a] - files[b] || (a < b ? -1 : a > b ? 1 : 0);
    });
  }

  /* How many documents match, when the heads tell: a query of one term, whose exact
     documents are all in its head. */
  function headCount(groups, exact) {
    var terms = termsOf(groups).filter(function (term) { return postings(term); });
    var head = terms.length === 1 && postings(terms[0]).head;
    if (!head) return null;
    var mine = postings(terms[0]).docs;
    var extra = exactDocs(exact).concat(exactDocs(nameKey(exact)));
    return extra.every(function (doc) { return binarySearch(mine, doc) >= 0; }) ? head.count : null;
  }

  /* Runs a query; resolves with {docs: document numbers, best first (the first `limit`
     only, when given), count: how many matched (null: not known, when the first `limit`
     were found from heads), groups}. */
  function search(query, prefix, limit) {
    var groups;
    var table = HAN.test(query) ? S.need("t2s") : Promise.resolve();
    return table.then(function () {
      groups = plan(query, prefix);
      if (!groups.length && exactKey(query) === "=") return null;
      return expand(groups, prefix);
    }).then(function (expanded) {
      if (expanded === null) return null;
      var shards = {};
      termsOf(groups).forEach(function (t) { shards[shardOf(t)] = true; });
      var exact = exactShard(exactKey(query));
      if (exact) shards[exact] = true;
      return Promise.all(Object.keys(shards).sort().map(S.need));
    }).then(function (loaded) {
      if (loaded === null) return { docs: [], count: 0, groups: groups };
      var exact = exactKey(query);
      /* The header box tries the heads; when they cannot tell, it loads the whole postings
         of the rarest term of them (the smallest file) and tries again. */
      function attempt() {
        var files = headFiles(groups);
        if (files.length && limit) {
          var quick = evaluate(groups, exact), top = certified(quick, bounds(groups, exact), limit);
          if (top) {
            return { docs: top.map(function (i) { return quick.docs[i]; }),
                     count: headCount(groups, exact), groups: groups };
          }
          return S.need(files[0]).then(attempt);
        }
        return Promise.all(files.map(S.need)).then(function () {
          var match = evaluate(groups, exact);
          var docs = ranked(match, limit).map(function (i) { return match.docs[i]; });
          return { docs: docs, count: match.docs.length, groups: groups };
        });
      }
      return attempt();
    });
  }

  /* Result records: [url, title, kind, facts, summary, title_en, cover], empty trailing
     fields left out. */
  function records(docs) {
    var chunks = {};
    docs.forEach(function (n) { chunks["r/" + Math.floor(n / meta.records)] = true; });
    return Promise.all(Object.keys(chunks).sort().map(S.need)).then(function () {
      return docs.map(function (n) {
        var row = S.data["r/" + Math.floor(n / meta.records)][n % meta.records];
        return { doc: n, url: row[0], title: row[1], kind: row[2], facts: row[3] || "",
                 summary: row[4] || "", titleEn: row[5] || "", cover: row[6] || "" };
      });
    });
  }

  /* -- drawing results ---------------------------------------------------------------- */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* fold() of one character; ASCII and unified ideographs (the bulk of any result) the
     quick way. */
  function foldChar(c) {
    var code = c.charCodeAt(0);
    if (code < 128) return c.toLowerCase();
    if ((code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff)) return t2s()[c] || c;
    // Half of a surrogate pair (Extension B and later): kept, so that a run's UTF-16 units
    // meet the query's one by one.
    if (code >= 0xd800 && code <= 0xdfff) return c;
    return fold(c);
  }

  /* Appends text to node with the query's Han runs and words marked. */
  function highlighted(node, text, groups) {
    var folded = [];
    for (var i = 0; i < text.length; i++) folded.push(foldChar(text.charAt(i)));
    var marks = new Array(text.length);
    groups.forEach(function (g) {
      var needle = g.text;
      if (!needle) return;
      for (var start = 0; start < text.length; start++) {
        var ok = true;
        for (var k = 0; k < needle.length; k++) {
          if (start + k >= text.length || folded[start + k] !== needle.charAt(k)) { ok = false; break; }
        }
        if (ok && g.word && start > 0 && /[a-z0-9]/.test(folded[start - 1])) ok = false;
        if (ok) for (var m = 0; m < needle.length; m++) marks[start + m] = true;
      }
    });
    var run = "", marked = false;
    function flush() {
      if (!run) return;
      node.appendChild(marked ? el("mark", null, run) : document.createTextNode(run));
      run = "";
    }
    for (var j = 0; j < text.length; j++) {
      if (!!marks[j] !== marked) { flush(); marked = !!marks[j]; }
      run += text.charAt(j);
    }
    flush();
    return node;
  }

  function resultItem(record, groups, tag, id) {
    var item = el(tag, "ll-result");
    if (id) { item.id = id; item.setAttribute("role", "option"); item.setAttribute("aria-selected", "false"); }
    var link = el("a", "ll-result__link");
    link.href = S.root + record.url;
    if (id) link.tabIndex = -1;
    var cover = el("span", "ll-result__cover");
    if (record.cover) {
      var img = el("img");
      img.src = S.root + record.cover;
      img.alt = "";
      img.loading = "lazy";
      cover.appendChild(img);
    } else {
      cover.appendChild(el("span", "ll-card__placeholder", record.title.charAt(0)));
    }
    cover.setAttribute("aria-hidden", "true");
    link.appendChild(cover);
    var body = el("span", "ll-result__body");
    body.appendChild(el("span", "ll-badge", meta.facets.kind[record.kind]));
    body.appendChild(highlighted(el("span", "ll-result__title"), record.title, groups));
    if (record.titleEn) body.appendChild(highlighted(el("span", "ll-result__title-en"), record.titleEn, groups));
    if (record.facts) body.appendChild(el("span", "ll-result__facts", record.facts));
    if (record.summary) body.appendChild(highlighted(el("span", "ll-result__snippet"), record.summary, groups));
    link.appendChild(body);
    item.appendChild(link);
    return item;
  }

  function format(key, values) {
    return ui[key].replace(/\{(\w+)\}/g, function (_m, name) { return values[name]; });
  }

  function searchPageUrl(query) {
    return S.root + meta.searchPage + (query ? "?q=" + encodeURIComponent(query) : "");
  }

  /* -- the header box: an ARIA 1.2 combobox with a listbox of results ----------------- */
  var SUGGESTIONS = 8;  // results in the box
  var DEBOUNCE = 60;
  function headerBox() {
    var form = document.querySelector("form.ll-search");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var list = document.getElementById("ll-suggest");
    var active = -1, latest = 0, timer = null;

    function options() { return list.querySelectorAll("[role=option]"); }
    function setActive(index) {
      var items = options();
      if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
      active = index;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }
    function run() {
      var query = input.value.trim();
      var ticket = ++latest;
      if (!query) { list.textContent = ""; close(); return; }
      search(query, true, SUGGESTIONS).then(function (found) {
        return records(found.docs).then(function (rows) {
          if (ticket !== latest) return;
          list.textContent = "";
          active = -1;
          input.removeAttribute("aria-activedescendant");
          rows.forEach(function (row, i) { list.appendChild(resultItem(row, found.groups, "div", "ll-suggest-" + i)); });
          var all = el("a", "ll-suggest__all", found.count === null ? ui.show_all_many
            : found.count ? format("show_all", { n: found.count }) : format("no_results", { q: query }));
          all.href = searchPageUrl(query);
          all.id = "ll-suggest-all";
          all.setAttribute("role", "option");
          all.setAttribute("aria-selected", "false");
          list.appendChild(all);
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
          S.lastQuery = { query: query, count: found.count };
          list.setAttribute("data-count", found.count === null ? "" : String(found.count));
        });
      }).catch(function (error) { if (window.console) console.warn(error); });
    }
    /* A keystroke after a pause (or a paste, an IME commit) searches at once; keystrokes
       that follow each other within DEBOUNCE ms wait for a pause, so that fast typing does
       not load the shards of every prefix. */
    var lastInput = -Infinity;
    input.addEventListener("input", function () {
      var now = Date.now(), burst = now - lastInput < DEBOUNCE;
      lastInput = now;
      clearTimeout(timer);
      if (burst) timer = setTimeout(run, DEBOUNCE);
      else run();
    });
    input.addEventListener("keydown", function (event) {
      var items = options();
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
        setActive((active + 1) % items.length);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        setActive(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else {
          input.value = "";
          latest++;  // a search still running must not bring its results back
          list.textContent = "";
          close();
        }
      } else if (event.key === "Enter") {
        event.preventDefault();
        var target = active >= 0 && items[active] ? (items[active].querySelector("a") || items[active]) : null;
        window.location.href = target ? target.href : searchPageUrl(input.value.trim());
      }
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.href = searchPageUrl(input.value.trim());
    });
    if (input.value.trim()) run();
  }

  /* -- the search page: query, facets with counts, sort, state in the URL ------------- */
  /* "easy" holds the filters that suit older learners (EASY.names: short, captions, sign
     language, audio description, large print, beginner, dialect), named in the address
     (?easy=short.captions): a result meets every one checked. A document meets any checked
     value of the other facets. With filters and no query, the page lists every document
     that passes them (a listing: the home page and posters can link one). */
  var FACETS = ["easy", "kind", "mark", "section", "subject", "audience", "language", "format", "level", "duration"];
  /* An offline copy's index has an "offline" column ("1": all the entry offers to watch,
     hear or download is in the copy) and meta.facets.offline, how many are: one filter,
     ?offline=0 (online indexes have neither). */
  var OFFLINE = meta.facets.offline;
  if (OFFLINE !== undefined) FACETS.splice(1, 0, "offline");
  /* Columns of sets of bits, six a character, low first: how many characters a document.
     The marks (the standards an entry was selected by) take as many as the standards need
     (mark_width in search/index.py). */
  var MULTI = { section: 2, subject: 2, audience: 2,
                mark: Math.max(1, Math.ceil(meta.facets.mark.length / 6)) };
  /* Columns of two characters holding one number, low digit first (the languages). */
  var WIDE = { language: true };
  function wideValue(column, doc) {
    return DIGIT[column.charAt(doc * 2)] + DIGIT[column.charAt(doc * 2 + 1)] * 64;
  }
  var EVERY = { easy: true };
  var EASY = meta.facets.easy;
  var BEGINNER = EASY.names.indexOf("beginner"), DIALECT = EASY.names.indexOf("dialect");

  /* The easy filters a document meets: the bits of its "easy" column, then the beginner
     level and a dialect, read from the level and language columns. */
  function easyValues(columns, doc) {
    var values = [];
    for (var bit = 0, mask = DIGIT[columns.easy.charAt(doc)]; mask; bit++, mask >>= 1) {
      if (mask & 1) values.push(bit);
    }
    var level = DIGIT[columns.level.charAt(doc)] - 1;
    if (level >= 0 && level === EASY.level) values.push(BEGINNER);
    var language = wideValue(columns.language, doc) - 1;
    if (language >= 0 && EASY.dialects.indexOf(language) >= 0) values.push(DIALECT);
    return values;
  }

  function facetValues(columns, name, doc) {
    if (name === "easy") return easyValues(columns, doc);
    var column = columns[name];
    var width = MULTI[name];
    if (width) {
      var values = [];
      for (var at = 0; at < width; at++) {
        var mask = DIGIT[column.charAt(doc * width + at)];
        for (var bit = 6 * at; mask; bit++, mask >>= 1) if (mask & 1) values.push(bit);
      }
      return values;
    }
    var digit = WIDE[name] ? wideValue(column, doc) : DIGIT[column.charAt(doc)];
    if (name === "kind") return [digit];
    return digit ? [digit - 1] : [];
  }

  /* Labels of a facet's values; the easy filters' from the vocabularies, or the page's. */
  function facetLabels(name) {
    if (name === "offline") return [ui.works_offline];
    if (name !== "easy") return meta.facets[name];
    return EASY.names.map(function (n, i) { return EASY.labels[i] || ui["easy_" + n] || n; });
  }

  function yearOf(columns, doc) {
    return meta.facets.yearBase - 1 + DIGIT[columns.year.charAt(doc)];
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { q: params.get("q") || "", sort: params.get("sort") || "relevance", filters: {}, from: null, to: null };
    FACETS.forEach(function (name) {
      var raw = params.get(name);
      var parts = raw ? raw.split(".") : [];
      state.filters[name] = name === "easy"
        ? parts.map(function (n) { return EASY.names.indexOf(n); }).filter(function (n) { return n >= 0; })
        : parts.map(Number).filter(function (n) { return !isNaN(n); });
    });
    var years = (params.get("year") || "").split("-");
    state.from = parseInt(years[0], 10) || null;
    state.to = parseInt(years[1], 10) || null;
    if (["relevance", "newest", "title"].indexOf(state.sort) < 0) state.sort = "relevance";
    return state;
  }

  function stateUrl(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    if (state.sort !== "relevance") params.set("sort", state.sort);
    FACETS.forEach(function (name) {
      var values = state.filters[name].slice().sort(function (a, b) { return a - b; });
      if (name === "easy") values = values.map(function (v) { return EASY.names[v]; });
      if (values.length) params.set(name, values.join("."));
    });
    if (state.from || state.to) params.set("year", (state.from || "") + "-" + (state.to || ""));
    var text = params.toString();
    return window.location.pathname + (text ? "?" + text : "");
  }

  /* How many filters are on: each value checked, and the years as one. */
  function activeFilters(state) {
    var n = state.from || state.to ? 1 : 0;
    FACETS.forEach(function (name) { n += state.filters[name].length; });
    return n;
  }

  /* Every document as a search for nothing ranks them: featured first, then the newest. */
  function everything() {
    var docs = [], n;
    for (n = meta.documents - 1; n >= 0; n--) if (FEATURED[n]) docs.push(n);
    for (n = meta.documents - 1; n >= 0; n--) if (!FEATURED[n]) docs.push(n);
    return { docs: docs, count: docs.length, groups: [] };
  }

  function searchPage() {
    var form = document.getElementById("ll-search-page");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var sort = form.querySelector("select[name=sort]");
    var filtersBox = document.getElementById("ll-search-filters");
    var toggle = document.getElementById("ll-search-filters-toggle");
    var facetsBox = document.getElementById("ll-facets");
    var picks = document.getElementById("ll-search-easy");
    var status = document.getElementById("ll-search-status");
    var list = document.getElementById("ll-search-results");
    var empty = document.getElementById("ll-search-empty");
    var more = document.getElementById("ll-search-more");
    var state = readState();
    var shown = 20, current = [], latest = 0, timer = null, groups = [];

    /* Whether a document with these values of a facet passes its filter. */
    function passes(name, values) {
      var wanted = state.filters[name], k;
      if (!wanted.length) return true;
      if (EVERY[name]) {
        for (k = 0; k < wanted.length; k++) if (values.indexOf(wanted[k]) < 0) return false;
        return true;
      }
      for (k = 0; k < values.length; k++) if (wanted.indexOf(values[k]) >= 0) return true;
      return false;
    }

    function inYears(year) {
      return !((state.from && year < state.from) || (state.to && year > state.to));
    }

    function matches(columns, doc) {
      for (var i = 0; i < FACETS.length; i++) {
        var name = FACETS[i];
        if (state.filters[name].length && !passes(name, facetValues(columns, name, doc))) return false;
      }
      return inYears(yearOf(columns, doc));
    }

    /* The counts beside the filters, in one pass: the count of a value is the number of
       results checking it leaves. So a document counts in a facet when it passes every
       other filter, and in the easy filters (all must hold) when it passes them all; the
       years it has count when it passes every filter but the years. */
    function facetCounts(columns, docs) {
      var counts = { year: {} };
      FACETS.forEach(function (name) { counts[name] = {}; });
      docs.forEach(function (doc) {
        var values = {}, failed = null, fails = 0, i;
        for (i = 0; i < FACETS.length && fails < 2; i++) {
          values[FACETS[i]] = facetValues(columns, FACETS[i], doc);
          if (!passes(FACETS[i], values[FACETS[i]])) { failed = FACETS[i]; fails++; }
        }
        var year = yearOf(columns, doc);
        if (fails < 2 && !inYears(year)) { failed = "year"; fails++; }
        if (fails > 1) return;
        FACETS.forEach(function (name) {
          if (fails && (failed !== name || EVERY[name])) return;
          var of = counts[name];
          values[name].forEach(function (v) { of[v] = (of[v] || 0) + 1; });
        });
        if (!fails || failed === "year") counts.year[year] = true;
      });
      return counts;
    }

    /* On a phone the filters fold away under a button that says how many are on. */
    function setOpen(open) {
      filtersBox.className = "ll-search-filters" + (open ? " ll-search-filters--open" : "");
      toggle.setAttribute("aria-expanded", String(open));
    }
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });

    function option(box, name, value, label, count) {
      var checked = state.filters[name].indexOf(value) >= 0;
      var row = el("label", "ll-facet__option");
      var check = el("input");
      check.type = "checkbox";
      check.name = name;
      check.value = name === "easy" ? EASY.names[value] : String(value);
      check.checked = checked;
      check.addEventListener("change", function () {
        var values = state.filters[name];
        var at = values.indexOf(value);
        if (check.checked && at < 0) values.push(value);
        if (!check.checked && at >= 0) values.splice(at, 1);
        commit(true);
      });
      row.appendChild(check);
      row.appendChild(el("span", "ll-search-tick")).setAttribute("aria-hidden", "true");
      row.appendChild(el("span", "ll-facet__label", label + " "));
      row.appendChild(el("span", "ll-facet__count", String(count)));
      box.appendChild(row);
    }

    /* The field of the filters that has the focus ("name=value"), to give it back once
       they are drawn again. */
    function focusedField() {
      var node = document.activeElement;
      return node && node.name && facetsBox.contains(node) ? node.name + "=" + node.value : null;
    }

    function refocus(key) {
      var fields = facetsBox.querySelectorAll("input");
      for (var i = 0; key && i < fields.length; i++) {
        if (fields[i].name + "=" + fields[i].value === key) { fields[i].focus(); return; }
      }
    }

    function drawFacets(columns, docs, total) {
      var focused = focusedField();
      var all = facetCounts(columns, docs);
      facetsBox.textContent = "";
      FACETS.forEach(function (name) {
        var counts = all[name];
        var box = el("fieldset", "ll-facet ll-facet--" + name);
        box.appendChild(el("legend", null, ui["facet_" + name]));
        facetLabels(name).forEach(function (label, value) {
          if (counts[value] || state.filters[name].indexOf(value) >= 0) option(box, name, value, label, counts[value] || 0);
        });
        if (box.childNodes.length > 1) facetsBox.appendChild(box);
      });
      var known = Object.keys(all.year).map(Number).sort();
      var yearBox = el("fieldset", "ll-facet ll-facet--year");
      yearBox.appendChild(el("legend", null, ui.facet_year));
      [["from", ui.year_from], ["to", ui.year_to]].forEach(function (pair) {
        var label = el("label", null, pair[1] + " ");
        var field = el("input");
        field.type = "number";
        field.name = "year-" + pair[0];
        field.inputMode = "numeric";
        field.min = String(known[0] || meta.facets.yearBase);
        field.max = String(known[known.length - 1] || 2100);
        field.value = state[pair[0]] ? String(state[pair[0]]) : "";
        field.placeholder = String(pair[0] === "from" ? (known[0] || "") : (known[known.length - 1] || ""));
        field.addEventListener("change", function () {
          state[pair[0]] = parseInt(field.value, 10) || null;
          commit(true);
        });
        label.appendChild(field);
        yearBox.appendChild(label);
      });
      facetsBox.appendChild(yearBox);
      if (activeFilters(state)) {
        var clear = el("button", "ll-more", ui.clear_filters);
        clear.type = "button";
        clear.addEventListener("click", function () {
          FACETS.forEach(function (n) { state.filters[n] = []; });
          state.from = state.to = null;
          commit(true);
        });
        facetsBox.appendChild(clear);
      }
      // Phones only (the filters fold away there): back to the results.
      var done = el("button", "ll-search-filters__done", format("show_results", { n: total }));
      done.type = "button";
      done.addEventListener("click", function () {
        setOpen(false);
        toggle.focus();
      });
      facetsBox.appendChild(done);
      refocus(focused);
      var on = activeFilters(state);
      toggle.textContent = on ? format("filters_count", { n: on }) : ui.filters;
    }

    /* Before any query or filter: the easy filters as links, with how many each finds (and,
       in an offline copy, what works offline). */
    function drawPicks() {
      var links = picks.querySelector("ul");
      links.textContent = "";
      var labels = facetLabels("easy");
      function pick(facet, value, href, label, count) {
        if (!count) return;
        var link = el("a", "ll-search-easy__link");
        link.href = href;
        link.appendChild(el("span", null, label));
        link.appendChild(el("span", "ll-search-easy__count", String(count)));
        link.addEventListener("click", function (event) {
          if (event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
          event.preventDefault();
          state.filters[facet] = [value];
          commit(true);
        });
        links.appendChild(el("li", "ll-search-easy__item")).appendChild(link);
      }
      EASY.names.forEach(function (name, value) {
        pick("easy", value, "?easy=" + name, labels[value], EASY.counts[value]);
      });
      if (OFFLINE !== undefined) pick("offline", 0, "?offline=0", ui.works_offline, OFFLINE);
      picks.hidden = !links.childNodes.length;
    }

    function drawList() {
      var ticket = latest;
      return records(current.slice(0, shown)).then(function (rows) {
        if (ticket !== latest) return;
        list.textContent = "";
        rows.forEach(function (row) { list.appendChild(resultItem(row, groups, "li")); });
        more.hidden = current.length <= shown;
      });
    }

    function render() {
      var ticket = ++latest;
      // Never rewrite the box the reader is typing in (a pause must not eat a space).
      if (document.activeElement !== input) input.value = state.q;
      sort.value = state.sort;
      if (!state.q && !activeFilters(state)) {
        status.textContent = ui.type_to_search;
        list.textContent = "";
        facetsBox.textContent = "";
        filtersBox.hidden = true;
        empty.hidden = true;
        more.hidden = true;
        drawPicks();
        return Promise.resolve();
      }
      picks.hidden = true;
      status.textContent = ui.loading;
      var needs = [state.q ? search(state.q, false) : Promise.resolve(everything()), S.need("f")];
      if (state.sort === "title") needs.push(S.need("o"));
      return Promise.all(needs).then(function (done) {
        if (ticket !== latest) return;
        var found = done[0], columns = done[1];
        groups = found.groups;
        var docs = found.docs.filter(function (doc) { return matches(columns, doc); });
        if (state.sort === "newest") docs.sort(function (a, b) { return b - a; });
        if (state.sort === "title") {
          var order = S.data.o, width = meta.width;
          docs.sort(function (a, b) {
            return fixedNumber(order, a * width, width) - fixedNumber(order, b * width, width);
          });
        }
        current = docs;
        drawFacets(columns, found.docs, docs.length);
        filtersBox.hidden = false;
        status.textContent = docs.length === 1 ? ui.found_one : format("found", { n: docs.length });
        empty.hidden = docs.length > 0;
        if (!docs.length) {
          empty.querySelector("p").textContent = state.q ? format("no_results", { q: state.q }) : ui.no_filtered_results;
        }
        return drawList();
      }).catch(function (error) { if (window.console) console.warn(error); });
    }

    function commit(push) {
      shown = 20;
      var url = stateUrl(state);
      if (url !== window.location.pathname + window.location.search) {
        window.history[push ? "pushState" : "replaceState"](null, "", url);
      }
      render();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.q = input.value.trim();
      commit(true);
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = input.value.trim(); commit(false); }, 150);
    });
    sort.addEventListener("change", function () { state.sort = sort.value; commit(true); });
    more.addEventListener("click", function () { shown += 20; drawList(); });
    window.addEventListener("popstate", function () { state = readState(); render(); });
    render();
  }

  S.engine = { fold: fold, indexTerms: indexTerms, queryParts: queryParts, lunrTerms: lunrTerms,
               syllables: syllables, plan: plan, search: search, records: records,
               exactKey: exactKey, dictionaryKey: dictionaryKey, facets: FACETS,
               facetValues: facetValues };
  var started = null;
  S.ready = function () {
    if (!started) {
      started = Promise.resolve().then(function () { headerBox(); searchPage(); });
    }
    return started;
  };
})();
