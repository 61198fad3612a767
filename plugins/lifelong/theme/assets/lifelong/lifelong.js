/* Lifelong: small enhancements of every page. Classic script (works from file://), no
   dependencies, loaded on every page, so it stays small:
   - the header's display modes: 长辈模式 (care mode) and high contrast;
   - lecture times in the reader's own time zone, upcoming / live / ended computed now;
   - QR codes (data-qr: the address to encode), drawn as SVG by qr.js, loaded when a page
     has one;
   - the "输入编号" boxes: their lookup (codes.js) loaded when one is first touched;
   - the search box: the search engine (search.js, lunr.js, the index) is loaded only when the
     reader touches the box, or on the search page. Data files are classic scripts that call
     LifelongSearch.add(name, data): fetch/XHR of local files is blocked on file://. */
(function () {
  "use strict";

  /* -- on-demand loading of search data, shared with search.js ------------------------ */
  var S = window.LifelongSearch = window.LifelongSearch || {};
  S.data = S.data || {};
  var waiting = {};
  var requested = {};

  S.add = function (name, data) {
    S.data[name] = data;
    var callbacks = waiting[name] || [];
    delete waiting[name];
    for (var i = 0; i < callbacks.length; i++) callbacks[i](data);
  };

  /* ordered: run in the order added (async = false), while all download at once. */
  function addScript(src, ordered) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.async = !ordered;
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(tag);
    });
  }

  /* Loads <folder><name>.js once (folder: "search/" unless given; the code index's files
     are named from the site's root, "codes/c38"); resolves with what it passed to
     LifelongSearch.add. */
  function load(name, ordered, folder) {
    if (Object.prototype.hasOwnProperty.call(S.data, name)) return Promise.resolve(S.data[name]);
    if (!requested[name]) {
      requested[name] = new Promise(function (resolve, reject) {
        (waiting[name] = waiting[name] || []).push(resolve);
        var file = (folder === undefined ? "search/" : folder) + name + ".js";
        addScript(S.root + file, ordered).catch(function (error) {
          delete requested[name];
          reject(error);
        });
      });
    }
    return requested[name];
  }
  S.need = function (name) { return load(name, false); };
  /* The same from another folder of the site ("codes/"): S.needFrom("codes/", "c38"). */
  S.needFrom = function (folder, name) { return load(folder + name, false, ""); };

  var starting = null;
  /* lunr.js, the index's meta data and the engine, downloaded at once, run in that order. */
  S.start = function () {
    if (!starting) {
      starting = Promise.all([addScript(S.root + "search/lunr.js", true), load("meta", true),
                              addScript(S.root + "assets/lifelong/search.js", true)])
        .then(function () { return S.ready(); });
      starting.catch(function () { starting = null; });
    }
    return starting;
  };

  /* The site's root, relative to this page ("../"), from the search box's form. */
  function siteRoot() {
    if (!S.root) {
      var form = document.querySelector("form[data-lifelong-root]");
      var root = (form && form.getAttribute("data-lifelong-root")) || ".";
      S.root = root.charAt(root.length - 1) === "/" ? root : root + "/";
    }
    return S.root;
  }

  function bootSearch() {
    var form = document.querySelector("form[data-lifelong-root]");
    if (!form) return;
    siteRoot();
    var input = form.querySelector("input[name=q]");
    var kick = function () {
      // The traditional -> simplified table, beside the engine, when the query needs it.
      if (/[\u3400-\u9fff\uf900-\ufaff]/.test(input.value)) S.need("t2s").catch(function () {});
      S.start().catch(function () {});
    };
    input.addEventListener("focus", kick);
    input.addEventListener("input", kick);
    if (document.getElementById("ll-search-page")) kick();
  }

  /* -- the "输入编号" boxes: codes.js, loaded when one is first touched, opens the entry of
     the code or id typed (S.openCode). Until it has loaded, a submitted box waits for it;
     if it cannot load, the form goes to the search page as it would without JavaScript. */
  function bootCodes() {
    var forms = document.querySelectorAll("form[data-ll-code]");
    var loading = null;
    function engine() {
      if (!loading) {
        loading = addScript(S.root + "assets/lifelong/codes.js", false);
        loading.catch(function () { loading = null; });
      }
      return loading;
    }
    function submit(event) {
      var form = event.currentTarget;
      event.preventDefault();
      engine().then(function () { S.openCode(form); }, function () { form.submit(); });
    }
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", submit);
      forms[i].addEventListener("focusin", function () { engine().catch(function () {}); });
    }
  }

  /* -- display modes: 长辈模式 (care mode) and high contrast -----------------------------
     The head's inline script (partials/lifelong-modes.html) applies the reader's choice
     before the first paint: a class on <html> (ll-care, ll-contrast), kept in localStorage
     under the same name ("1" when on), which works from file:// too. The header's toggle
     buttons change it; the buttons' look follows the class, their aria-pressed is kept in
     step here. A choice made in another tab, or while this page waited in the back-forward
     cache, is followed too. */
  var html = document.documentElement;
  var MODES = ["care", "contrast"];
  var modeButtons = [];

  function showModes() {
    for (var i = 0; i < modeButtons.length; i++) {
      var on = html.classList.contains("ll-" + modeButtons[i].getAttribute("data-ll-mode"));
      modeButtons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  function setMode(mode, on) {
    var name = "ll-" + mode;
    if (on) html.classList.add(name);
    else html.classList.remove(name);
    try {
      if (on) localStorage.setItem(name, "1");
      else localStorage.removeItem(name);
    } catch (e) { /* storage refused (private mode): the choice lasts for this page */ }
  }

  function followStoredModes() {
    try {
      for (var i = 0; i < MODES.length; i++) {
        var name = "ll-" + MODES[i];
        if (localStorage.getItem(name) === "1") html.classList.add(name);
        else html.classList.remove(name);
      }
    } catch (e) { return; }
    showModes();
  }

  /* The address set the mode (?care=1 from a poster's QR code) and the reader has now
     chosen otherwise: the parameter leaves the address, so a reload keeps their choice. */
  function dropModeFromAddress(mode) {
    var pattern = new RegExp("^" + mode + "=[01]$");
    var kept = location.search.slice(1).split("&").filter(function (part) {
      return part && !pattern.test(part);
    });
    var search = kept.length ? "?" + kept.join("&") : "";
    if (search === location.search) return;
    try {
      history.replaceState(history.state, "", location.pathname + search + location.hash);
    } catch (e) { /* an address this page may not rewrite: the stored choice still holds */ }
  }

  function bootModes() {
    modeButtons = document.querySelectorAll("button[data-ll-mode]");
    function toggle() {
      var mode = this.getAttribute("data-ll-mode");
      setMode(mode, !html.classList.contains("ll-" + mode));
      dropModeFromAddress(mode);
      showModes();
    }
    for (var i = 0; i < modeButtons.length; i++) modeButtons[i].addEventListener("click", toggle);
    window.addEventListener("storage", function (event) {
      if (/^ll-(care|contrast)$/.test(event.key || "")) followStoredModes();
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) followStoredModes();
    });
    showModes();
  }

  /* Captions in the offline copy: from file:// Chromium loads no <track src> (every file is
     an origin of its own), so each captions file comes as a classic script (the track's
     data-ll-captions) that hands its text to LifelongCaptions, and the track gets it as a
     blob of the page's own origin (lifelong.site.captions). */
  function bootCaptions() {
    var tracks = document.querySelectorAll("track[data-ll-captions]");
    if (!tracks.length || !window.Blob || !window.URL) return;
    var waiting = {};
    window.LifelongCaptions = function (text) {
      var script = document.currentScript;
      var track = script && waiting[script.src];
      if (track) track.src = URL.createObjectURL(new Blob([text], { type: "text/vtt" }));
    };
    Array.prototype.forEach.call(tracks, function (track) {
      var script = document.createElement("script");
      script.src = track.getAttribute("data-ll-captions");
      waiting[script.src] = track;
      document.head.appendChild(script);
    });
  }

  /* -- QR codes: each [data-qr] element gets an SVG of its address, encoded by qr.js (loaded
     the first time a page has a code to draw). Resolves once they are drawn; print.js waits
     for it before printing a view. */
  var SVG = "http://www.w3.org/2000/svg";
  var QR_BORDER = 2;  /* quiet zone, in modules, as `lifelong qr` files have */
  var qrLoading = null;

  function drawQr(el) {
    var rows = window.LifelongQr.matrix(el.getAttribute("data-qr"));
    var side = rows.length, path = "";
    for (var y = 0; y < side; y++) {
      var run = 0;
      for (var x = 0; x <= side; x++) {
        if (x < side && rows[y][x]) {
          run++;
        } else if (run) {
          path += "M" + (x - run + QR_BORDER) + " " + (y + QR_BORDER + 0.5) + "h" + run;
          run = 0;
        }
      }
    }
    var box = side + 2 * QR_BORDER;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + box + " " + box);
    svg.setAttribute("width", "132");
    svg.setAttribute("height", "132");
    svg.setAttribute("shape-rendering", "crispEdges");
    svg.setAttribute("aria-hidden", "true");
    var line = document.createElementNS(SVG, "path");
    line.setAttribute("d", path);
    line.setAttribute("stroke", "#000");
    svg.appendChild(line);
    el.appendChild(svg);
  }

  function drawQrCodes(root) {
    var codes = root.querySelectorAll("[data-qr]");
    if (!codes.length) return Promise.resolve();
    if (!qrLoading) {
      qrLoading = window.LifelongQr ? Promise.resolve()
        : addScript(siteRoot() + "assets/lifelong/qr.js", false);
      qrLoading.catch(function () { qrLoading = null; });
    }
    return qrLoading.then(function () {
      for (var i = 0; i < codes.length; i++) {
        if (codes[i].querySelector("svg")) continue;  /* drawn already */
        try { drawQr(codes[i]); } catch (e) { /* too long to encode: the typed code stays */ }
      }
    });
  }
  window.LifelongDrawQr = drawQrCodes;

  function ready() {
    bootModes();
    drawQrCodes(document).catch(function () {});
    bootSearch();
    bootCodes();
    bootCaptions();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
