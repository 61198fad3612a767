/* Lifelong: lecture times as people read them, worked out on the reader's device.
   Each <time data-ll-when="MINUTES"> already says when a lecture starts in Beijing time, drawn
   at build time ("北京时间 2027年4月24日（周六）下午3:00"). This adds what only the device
   knows: how far off it is ("还有3天", "明天", "今天", "正在直播" / "正在进行", "已结束"),
   the reader's own time where their zone is not +08:00, and the year only when it is not the
   current one. On the schedule page ([data-ll-schedule]) it moves each lecture into its group:
   today (on now first), the rest of this week, next week, later, and ended (folded away); on
   a centre's or a teacher's page ([data-ll-split]), into those to come and those ended.
   Classic script, no dependencies (works from file://). Pages that show times load it after
   them; its words come from its own tag (data-words: lifelong.site.render.when_words). */
(function () {
  "use strict";

  var script = document.currentScript;
  var W = JSON.parse(script.getAttribute("data-words"));
  var MINUTE = 60000, DAY = 86400000, BEIJING = 8 * 3600000;

  /* Days since 1970 of the date a moment falls on in the device's own zone. */
  function dayNumber(ms) {
    var d = new Date(ms);
    return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY);
  }

  /* The device's own time of a moment, as the page writes Beijing time (without the year). */
  function localText(ms) {
    var d = new Date(ms), h = d.getHours(), m = d.getMinutes();
    var period = W.day_periods[h < 6 ? 0 : h < 12 ? 1 : h < 13 ? 2 : h < 18 ? 3 : 4];
    var minute = (m < 10 ? ":0" : ":") + m;
    var weekday = W.weekdays[(d.getDay() + 6) % 7], month = W.months[d.getMonth()];
    if (W.en) {
      return weekday + " " + d.getDate() + " " + month + ", " + (h % 12 || 12) + minute + " " +
        period;
    }
    return month + d.getDate() + "日（" + weekday + "）" + period + (h > 12 ? h - 12 : h) + minute;
  }

  /* A new span after `el` (a space between: read aloud, the words stay apart). */
  function after(el, className) {
    var span = document.createElement("span");
    span.className = className;
    el.parentNode.insertBefore(span, el.nextSibling);
    el.parentNode.insertBefore(document.createTextNode(" "), span);
    return span;
  }

  /* Where a lecture stands at `now`: "past", "live", "today" or "upcoming", with its words. */
  function standing(el, now) {
    var start = Date.parse(el.getAttribute("datetime"));
    var end = start + parseInt(el.getAttribute("data-ll-when"), 10) * MINUTE;
    if (now >= end) return ["past", W.past];
    if (now >= start) return ["live", el.hasAttribute("data-live") ? W.live_now : W.when_on];
    var days = dayNumber(start) - dayNumber(now);
    if (days <= 0) return ["today", W.when_today];
    return ["upcoming", days === 1 ? W.when_tomorrow : W.when_days.replace("{n}", days)];
  }

  function update(el, now) {
    var found = standing(el, now);
    var status = el.llStatus || (el.llStatus = after(el, "ll-status"));
    status.textContent = found[1];
    status.className = "ll-status ll-status--" + found[0];
    return found[0];
  }

  /* Once per time: the year when it is this year's, and the reader's own time. */
  function prepare(el, now) {
    var start = Date.parse(el.getAttribute("datetime"));
    var year = el.querySelector("[data-ll-year]");
    if (year && new Date(start + BEIJING).getUTCFullYear() ===
        new Date(now + BEIJING).getUTCFullYear()) {
      year.hidden = true;
    }
    if (new Date(start).getTimezoneOffset() !== -480) {
      after(el, "ll-when__local").textContent = W.local_time.replace("{time}", localText(start));
    }
  }

  /* The group of the schedule page a lecture belongs in at `now`. */
  function groupOf(el, state, now) {
    if (state === "past") return "past";
    if (state !== "upcoming") return "today";
    var today = dayNumber(now), weekStart = today - (new Date(now).getDay() + 6) % 7;
    var day = dayNumber(Date.parse(el.getAttribute("datetime")));
    return day < weekStart + 7 ? "week" : day < weekStart + 14 ? "next" : "later";
  }

  /* A centre's or teacher's activities: to come (on now, today, later), or ended. */
  function upcomingOrPast(el, state) {
    return state === "past" ? "past" : "upcoming";
  }

  /* Moves each item of the box's "all" group into the group `group` names for it. */
  function arrange(box, now, group) {
    var groups = {}, counts = {}, name;
    var parts = box.querySelectorAll("[data-group]");
    for (var i = 0; i < parts.length; i++) {
      name = parts[i].getAttribute("data-group");
      groups[name] = parts[i];
      counts[name] = 0;
    }
    var items = groups.all.querySelectorAll("li");
    for (var j = 0; j < items.length; j++) {
      var time = items[j].querySelector("time[data-ll-when]");
      name = group(time, standing(time, now)[0], now);
      var list = groups[name].querySelector("ol");
      /* Soonest first; ended ones the latest first. */
      list.insertBefore(items[j], name === "past" ? list.firstChild : null);
      counts[name]++;
    }
    for (name in groups) groups[name].hidden = !counts[name];
    groups.none.hidden = items.length - counts.past > 0;
    groups.past.querySelector(".ll-tiles__count").textContent = counts.past;
  }

  var times = document.querySelectorAll("time[data-ll-when]");
  function refresh() {
    var now = Date.now();
    for (var i = 0; i < times.length; i++) update(times[i], now);
  }
  var now = Date.now();
  for (var i = 0; i < times.length; i++) prepare(times[i], now);
  var box = document.querySelector("[data-ll-schedule]");
  if (box) arrange(box, now, groupOf);
  var boxes = document.querySelectorAll("[data-ll-split]");
  for (var k = 0; k < boxes.length; k++) arrange(boxes[k], now, upcomingOrPast);
  refresh();
  /* A page left open keeps counting: "今天" becomes "正在直播", then "已结束". */
  setInterval(refresh, MINUTE);
})();
