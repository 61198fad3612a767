/* Lifelong: small progressive enhancements of catalogue pages. Classic script (works from
   file://), no dependencies. Lecture times: shown in the reader's own time zone, and the
   upcoming / live / ended state computed now, at view time, not at build time. */
(function () {
  "use strict";
  function enhanceTimes(root) {
    var lang = document.documentElement.lang || "zh";
    var times = root.querySelectorAll("time.ll-time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var start = new Date(el.getAttribute("datetime"));
      if (isNaN(start.getTime())) continue;
      var status = el.parentNode.querySelector(".ll-status");
      try {
        var text = new Intl.DateTimeFormat(lang, {
          year: "numeric", month: "long", day: "numeric", weekday: "short",
          hour: "2-digit", minute: "2-digit", timeZoneName: "short"
        }).format(start);
        el.setAttribute("title", el.textContent);
        el.textContent = text;
      } catch (e) { /* keep the build-time text */ }
      if (status) {
        var minutes = parseInt(status.getAttribute("data-minutes") || "0", 10);
        var end = start.getTime() + minutes * 60000;
        var now = Date.now();
        var state = now < start.getTime() ? "upcoming" : now < end ? "live" : "past";
        status.textContent = status.getAttribute("data-" + state);
        status.className = "ll-status ll-status--" + state;
        status.hidden = false;
      }
    }
  }
  function ready() { enhanceTimes(document); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
