/* 我的学习 (lifelong/mine.html, [data-ll-mine]): what this device keeps, listed newest first
   as links from this page; one favourite removed; each list cleared after a second press on
   the page (no pop-up). The storage is mine.js's (window.LifelongMine, loaded before this
   file); titles are shown with textContent only. */
(function () {
  "use strict";

  var M = window.LifelongMine, box = document.querySelector("[data-ll-mine]");
  if (!M || !box) return;
  var keysOf = M.keysOf, read = M.read, write = M.write, indexOf = M.indexOf;

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

  bootMine(box);
})();
