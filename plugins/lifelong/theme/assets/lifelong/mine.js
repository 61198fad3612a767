/* 我的学习: favourites (收藏) and recently viewed (最近看过), kept in this browser only
   (localStorage, from file:// too): no account, no request, nothing leaves the device.
   Here, what an entry's page ([data-ll-keep], the keep macro) does: record the visit, work
   its 收藏 button (aria-pressed, "收藏" / "已收藏"). The 我的学习 page loads this file and
   mine-page.js, which lists both (kept apart: entry pages, the most read, load less).
   Each list is an array of {p: the entry's address from the site root, t: title, k: kind,
   v: when (ms)}, written when the entry is viewed or saved, so no index is ever loaded. Its
   key ends with the site root's address as the page works it out: two copies on one device
   (file:// is one origin) or two sites on one origin never mix. What is read back may be
   anything (another program, an older copy): it is checked item by item, and titles are
   shown with textContent only. */
(function () {
  "use strict";

  var HISTORY = 50, FAVOURITES = 200;
  /* An address inside the site: no scheme, not absolute, no "." or ".." step. */
  var INSIDE = /^(?!.*(^|\/)\.\.?(\/|$))(?!.*\/\/)[A-Za-z0-9_~%-][A-Za-z0-9._~%\/-]*$/;

  function keysOf(el) {
    var a = document.createElement("a");
    a.href = el.getAttribute("data-root") || "./";
    var root = a.href.split(/[?#]/)[0];
    return {fav: "ll-fav " + root, seen: "ll-seen " + root};
  }

  function read(key) {
    var list, out = [], had = {};
    try { list = JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return out; }
    if (!Array.isArray(list)) return out;
    for (var i = 0; i < list.length; i++) {
      var x = list[i];
      if (!x || typeof x.p !== "string" || !INSIDE.test(x.p) || typeof x.t !== "string"
          || had[x.p]) continue;
      had[x.p] = 1;
      out.push({p: x.p, t: x.t.slice(0, 300), k: typeof x.k === "string" ? x.k : "",
                v: typeof x.v === "number" && isFinite(x.v) ? x.v : 0});
    }
    return out;
  }

  /* false when the browser keeps nothing (storage off, private mode, full). */
  function write(key, list) {
    try {
      if (list.length) localStorage.setItem(key, JSON.stringify(list));
      else localStorage.removeItem(key);
      return true;
    } catch (e) { return false; }
  }

  function indexOf(list, path) {
    for (var i = 0; i < list.length; i++) if (list[i].p === path) return i;
    return -1;
  }

  /* item first, its older copy gone, at most cap of them. */
  function put(list, item, cap) {
    var at = indexOf(list, item.p);
    if (at >= 0) list.splice(at, 1);
    list.unshift(item);
    return list.slice(0, cap);
  }

  /* -- an entry's page ------------------------------------------------------------------ */
  function bootEntry(box) {
    var keys = keysOf(box), button = box.querySelector("button");
    var item = {p: box.getAttribute("data-path") || "", t: box.getAttribute("data-title") || "",
                k: box.getAttribute("data-kind") || ""};
    if (!INSIDE.test(item.p)) return;
    function note(ok) { box.querySelector(".ll-keep__note").hidden = ok; }
    function show() {
      var on = indexOf(read(keys.fav), item.p) >= 0;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = box.getAttribute(on ? "data-on" : "data-off");
    }
    function visit() {
      var ok = write(keys.seen, put(read(keys.seen), {p: item.p, t: item.t, k: item.k,
                                                      v: Date.now()}, HISTORY));
      var favs = read(keys.fav), at = indexOf(favs, item.p);
      if (at >= 0 && (favs[at].t !== item.t || favs[at].k !== item.k)) {
        favs[at].t = item.t;  /* a favourite shows the entry as it is now */
        favs[at].k = item.k;
        write(keys.fav, favs);
      }
      note(ok);
    }
    button.addEventListener("click", function () {
      var favs = read(keys.fav), at = indexOf(favs, item.p);
      if (at >= 0) favs.splice(at, 1);
      else favs = put(favs, {p: item.p, t: item.t, k: item.k, v: Date.now()}, FAVOURITES);
      note(write(keys.fav, favs));
      show();
    });
    window.addEventListener("storage", function (event) {
      if (event.key === keys.fav || event.key === null) show();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { visit(); show(); }  /* back again, from the back-forward cache */
    });
    visit();
    show();
    box.hidden = false;
  }

  /* What mine-page.js (我的学习, loaded after this file) shares. */
  window.LifelongMine = {keysOf: keysOf, read: read, write: write, indexOf: indexOf};
  var keep = document.querySelector("[data-ll-keep]");
  if (keep) bootEntry(keep);
})();
