/* 我的学习: favourites (收藏) and recently viewed (最近看过), kept in this browser only
   (localStorage, from file:// too): no account, no request, nothing leaves the device.
   - An entry's page ([data-ll-keep], the keep macro) records the visit and works its 收藏
     button (aria-pressed, "收藏" / "已收藏").
   - The 我的学习 page ([data-ll-mine], lifelong/mine.html) lists both, newest first, as links
     from where it is; removes one favourite; clears each list after a second press.
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

  /* -- the 我的学习 page ------------------------------------------------------------------- */
  function two(n) { return (n < 10 ? "0" : "") + n; }

  /* "今天 09:30", "3月1日 09:30", "2026年3月1日" (en: "Today 09:30", "1 March 09:30"...). */
  function when(v, words) {
    var d = new Date(v), now = new Date(), clock = two(d.getHours()) + ":" + two(d.getMinutes());
    var month = words.months[d.getMonth()];
    if (d.toDateString() === now.toDateString()) return words.when_today + " " + clock;
    var day = words.en ? d.getDate() + " " + month : month + d.getDate() + "日";
    if (d.getFullYear() === now.getFullYear()) return day + " " + clock;
    return words.en ? day + " " + d.getFullYear() : d.getFullYear() + "年" + day;
  }

  function element(name, className, text) {
    var el = document.createElement(name);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function bootMine(box) {
    var keys = keysOf(box), root = box.getAttribute("data-root") || "./";
    var kinds = {}, words = {months: [], when_today: "", en: false};
    try { kinds = JSON.parse(box.getAttribute("data-kinds")) || {}; } catch (e) { /* none */ }
    try { words = JSON.parse(box.getAttribute("data-words")) || words; } catch (e) { /* none */ }
    var status = box.querySelector("[role=status]");
    var parts = box.querySelectorAll("[data-list]");

    function say(text) { status.textContent = text; }

    function draw(part) {
      var name = part.getAttribute("data-list"), list = read(keys[name]);
      var items = part.querySelector("ol");
      items.textContent = "";
      for (var i = 0; i < list.length; i++) {
        var x = list[i], li = element("li", "ll-mine__item");
        var a = element("a", "ll-mine__link", x.t || x.p);
        a.setAttribute("href", root + x.p);
        li.appendChild(a);
        var meta = element("span", "ll-mine__meta");
        if (Object.prototype.hasOwnProperty.call(kinds, x.k))
          meta.appendChild(element("span", "ll-badge", String(kinds[x.k])));
        if (name === "seen" && x.v) {
          var time = element("time", "", when(x.v, words));
          time.setAttribute("datetime", new Date(x.v).toISOString());
          meta.appendChild(time);
        }
        li.appendChild(meta);
        if (name === "fav") {
          var remove = element("button", "ll-mine__button ll-mine__remove",
                               box.getAttribute("data-remove"));
          remove.type = "button";
          remove.setAttribute("data-path", x.p);
          remove.appendChild(element("span", "ll-visually-hidden", "：" + (x.t || x.p)));
          li.appendChild(remove);
        }
        items.appendChild(li);
      }
      items.hidden = !list.length;
      part.querySelector("[data-empty]").hidden = !!list.length;
      var clear = part.querySelector(".ll-mine__clear");
      clear.hidden = !list.length;
      if (!list.length) {
        part.querySelector("[data-confirm]").hidden = true;
        part.querySelector("[data-clear]").hidden = false;
      }
      return list;
    }

    function drawAll() { for (var i = 0; i < parts.length; i++) draw(parts[i]); }

    function wire(part) {
      var name = part.getAttribute("data-list"), heading = part.querySelector("h2");
      var clear = part.querySelector("[data-clear]"), confirm = part.querySelector("[data-confirm]");
      clear.addEventListener("click", function () {
        clear.hidden = true;
        confirm.hidden = false;
        confirm.querySelector("[data-yes]").focus();
      });
      confirm.querySelector("[data-no]").addEventListener("click", function () {
        confirm.hidden = true;
        clear.hidden = false;
        clear.focus();
      });
      confirm.querySelector("[data-yes]").addEventListener("click", function () {
        write(keys[name], []);
        draw(part);
        say(box.getAttribute("data-cleared"));
        heading.focus();
      });
      part.querySelector("ol").addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("button[data-path]") : null;
        if (!button) return;
        var path = button.getAttribute("data-path"), list = read(keys[name]);
        var at = indexOf(list, path);
        if (at < 0) return;
        var gone = list.splice(at, 1)[0];
        write(keys[name], list);
        draw(part);
        say(box.getAttribute("data-removed") + (gone.t || gone.p));
        var next = part.querySelectorAll("button[data-path]");
        (next[Math.min(at, next.length - 1)] || heading).focus();
      });
    }

    for (var i = 0; i < parts.length; i++) wire(parts[i]);
    drawAll();
    window.addEventListener("storage", function (event) {
      if (event.key === keys.fav || event.key === keys.seen || event.key === null) drawAll();
    });
    window.addEventListener("pageshow", function (event) { if (event.persisted) drawAll(); });
    box.querySelector("[data-no-storage]").hidden = write("ll-probe", ["1"]) &&
      write("ll-probe", []);
    box.hidden = false;
  }

  var keep = document.querySelector("[data-ll-keep]");
  if (keep) bootEntry(keep);
  var mine = document.querySelector("[data-ll-mine]");
  if (mine) bootMine(mine);
})();
