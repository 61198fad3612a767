/* Lifelong: the print kit's controls (lifelong/macros.html, print_controls). A control
   ("打印海报", "打印桌卡", "打印本周安排") puts its view on the page (html[data-ll-print]: the
   print rules of lifelong.css then print that view alone), brings in the view's QR codes --
   modules drawn by lifelong.js (data-ll-qr) or SVG files loaded (data-ll-src) --, waits until
   every image of the view is there, then opens the browser's print dialog. The view is taken
   off again after printing. Nothing is drawn or fetched until then: a listing's card sheet
   has a QR code per entry. Classic script, no dependencies (works from file://); loaded
   after each set of controls, and once is enough. */
(function () {
  "use strict";
  var w = window, doc = document, html = doc.documentElement;
  var controls = doc.querySelectorAll(".ll-print-controls");
  for (var i = 0; i < controls.length; i++) controls[i].hidden = false;
  if (w.LifelongPrint) return;

  function loaded(img) {
    if (img.complete) return Promise.resolve();
    return new Promise(function (resolve) {
      img.addEventListener("load", resolve);
      img.addEventListener("error", resolve);
    });
  }

  function add(parent, tag, className, text) {
    var el = doc.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  /* A listing's table cards, made once: 8 to a sheet, each the title of one of the
     listing's cards (in order), its code, and its QR code (an SVG file, or modules). */
  function makeCards(box) {
    var titles = doc.querySelectorAll("[data-ll-read=titles] .ll-card__title");
    var codes = box.getAttribute("data-codes").split(" ");
    var qrs = box.getAttribute("data-ll-cards").split(" ");
    var count = Math.min(titles.length, codes.length, qrs.length), sheet = null;
    box.removeAttribute("data-ll-cards");
    for (var n = 0; n < count; n++) {
      if (n % 8 === 0) sheet = add(box, "ol", "ll-sheet__page");
      var card = add(sheet, "li");
      var code = /\.svg$/.test(qrs[n]) ? add(card, "img", "ll-sheet__qr")
        : add(card, "span", "ll-sheet__qr");
      if (code.tagName === "IMG") {
        code.alt = "";
        code.setAttribute("data-ll-src", qrs[n]);
      } else {
        code.setAttribute("data-ll-qr", qrs[n]);
      }
      add(card, "span", "ll-sheet__title", titles[n].textContent);
      var label = add(card, "span", "ll-sheet__code", box.getAttribute("data-label") + " ");
      add(label, "b", "", codes[n]);
    }
  }

  /* Puts `view` on the page with its QR codes; resolves once its images are loaded. */
  function show(view) {
    var box = doc.querySelector("[data-ll-print-view='" + view + "']");
    var waits = [];
    if (box && box.hasAttribute("data-ll-cards")) makeCards(box);
    if (box) {
      var codes = box.querySelectorAll("[data-ll-qr]"), j;
      for (j = 0; j < codes.length; j++) {
        codes[j].setAttribute("data-qr", codes[j].getAttribute("data-ll-qr"));
        codes[j].removeAttribute("data-ll-qr");
      }
      if (codes.length && w.LifelongDrawQr) w.LifelongDrawQr(box);
      var images = box.querySelectorAll("img");
      for (j = 0; j < images.length; j++) {
        var src = images[j].getAttribute("data-ll-src");
        if (src) {
          images[j].removeAttribute("data-ll-src");
          images[j].src = src;
        }
        waits.push(loaded(images[j]));
      }
    }
    if (box) html.setAttribute("data-ll-print", view);  /* the schedule prints as it is */
    return Promise.all(waits);
  }

  w.LifelongPrint = show;
  doc.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-ll-print]");
    if (!button) return;
    show(button.getAttribute("data-ll-print")).then(function () { w.print(); });
  });
  w.addEventListener("afterprint", function () { html.removeAttribute("data-ll-print"); });
})();
