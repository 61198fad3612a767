/* Lifelong: the print kit's controls (lifelong/macros.html, print_controls). A control
   ("打印海报", "打印桌卡", "打印本周安排") puts its view on the page (html[data-ll-print]: the
   print rules of lifelong.css then print that view alone), has lifelong.js draw the view's
   QR codes (data-ll-qr: the addresses they encode), waits until they are drawn, then opens
   the browser's print dialog. The view is taken off again after printing. Nothing is drawn
   until then: a listing's card sheet has a QR code per entry. Classic script, no
   dependencies (works from file://); loaded after each set of controls, and once is
   enough. */
(function () {
  "use strict";
  var w = window, doc = document, html = doc.documentElement;
  var controls = doc.querySelectorAll(".ll-print-controls");
  for (var i = 0; i < controls.length; i++) controls[i].hidden = false;
  if (w.LifelongPrint) return;

  function add(parent, tag, className, text) {
    var el = doc.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  /* A listing's table cards, made once: 8 to a sheet, each the title of one of the
     listing's cards (in order), its code, and its QR code (the site's public address and
     the entry's path). */
  function makeCards(box) {
    var titles = doc.querySelectorAll("[data-ll-read=titles] .ll-card__title");
    var codes = box.getAttribute("data-codes").split(" ");
    var base = box.getAttribute("data-ll-base");
    var paths = box.getAttribute("data-ll-cards").split(" ");
    var count = Math.min(titles.length, codes.length, paths.length), sheet = null;
    box.removeAttribute("data-ll-cards");
    for (var n = 0; n < count; n++) {
      if (n % 8 === 0) sheet = add(box, "ol", "ll-sheet__page");
      var card = add(sheet, "li");
      add(card, "span", "ll-sheet__qr").setAttribute("data-ll-qr", base + paths[n]);
      add(card, "span", "ll-sheet__title", titles[n].textContent);
      var label = add(card, "span", "ll-sheet__code", box.getAttribute("data-label") + " ");
      add(label, "b", "", codes[n]);
    }
  }

  /* Puts `view` on the page with its QR codes; resolves once they are drawn (printed
     without them if qr.js cannot load: the codes to type are on the view). */
  function show(view) {
    var box = doc.querySelector("[data-ll-print-view='" + view + "']");
    var drawn = Promise.resolve();
    if (box && box.hasAttribute("data-ll-cards")) makeCards(box);
    if (box) {
      var codes = box.querySelectorAll("[data-ll-qr]");
      for (var j = 0; j < codes.length; j++) {
        codes[j].setAttribute("data-qr", codes[j].getAttribute("data-ll-qr"));
        codes[j].removeAttribute("data-ll-qr");
      }
      if (w.LifelongDrawQr) drawn = w.LifelongDrawQr(box).catch(function () {});
      html.setAttribute("data-ll-print", view);
    }
    return drawn;  /* no view of that name: the page (the schedule) prints as it is */
  }

  w.LifelongPrint = show;
  doc.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-ll-print]");
    if (!button) return;
    show(button.getAttribute("data-ll-print")).then(function () { w.print(); });
  });
  w.addEventListener("afterprint", function () { html.removeAttribute("data-ll-print"); });
})();
