/* Lifelong: read the page aloud with the browser's own speech synthesis: no outside service,
   so it works offline wherever the device has a voice (a Chinese one for Chinese pages).
   Loaded by the read-aloud control's stub (readaloud-stub.js) the first time the control is
   touched; the stub shows the control only where speechSynthesis exists. The control comes
   with its play button and its words (data-pause, data-resume, data-stop, data-no-voice);
   this adds the stop button and a line that says when the device has no voice.

   What it reads is what the page shows, in order: every element marked data-ll-read,
     data-ll-read=""        its text, a sentence at a time;
     data-ll-read="rows"    a details list: "label：value", a row at a time (a value's
                            data-ll-say, when it has one: a code, digit by digit);
     data-ll-read="titles"  a listing: the title of each card.
   Marked elements not shown (hidden, inside a closed <details>) are skipped. The piece being
   read is highlighted (.ll-reading). Play, pause (continue) and stop; leaving the page stops. */
(function () {
  "use strict";

  var synth = window.speechSynthesis;
  /* Characters an utterance holds at most: some engines cut long ones off. */
  var LONGEST = 80;

  function shown(el) { return el.getClientRects().length > 0; }

  function textOf(el) { return (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim(); }

  /* The language to speak an element in: its own (lang="en" titles), else the page's. */
  function langOf(el) {
    var holder = el.closest("[lang]");
    var lang = holder ? holder.getAttribute("lang") : "zh";
    return /^zh/i.test(lang) ? "zh-CN" : lang;
  }

  /* Sentences of a text, long ones cut at commas, then at LONGEST. */
  function sentences(text) {
    var out = [];
    var found = text.match(/[^。！？!?；;\n]+[。！？!?；;]*/g) || [];
    for (var i = 0; i < found.length; i++) {
      var sentence = found[i].replace(/\s+/g, " ").trim();
      var parts = sentence.length > LONGEST ? sentence.match(/[^，,、：:]+[，,、：:]*/g) : [sentence];
      for (var j = 0; j < parts.length; j++) {
        for (var at = 0; at < parts[j].length; at += LONGEST) {
          var piece = parts[j].slice(at, at + LONGEST).trim();
          if (piece) out.push(piece);
        }
      }
    }
    return out;
  }

  /* The pieces one marked element gives: [{text, lang, el}]. */
  function piecesOf(el) {
    var how = el.getAttribute("data-ll-read"), lang = langOf(el), out = [], i;
    function add(text, where) { if (text) out.push({ text: text, lang: langOf(where), el: where }); }
    if (how === "rows") {
      /* Each row a <div> of <dt> and <dd> (the <div> may be display: contents: no box). */
      var rows = el.children, colon = /^zh/.test(lang) ? "：" : ": ";
      for (i = 0; i < rows.length; i++) {
        var label = rows[i].querySelector("dt"), value = rows[i].querySelector("dd");
        if (label && value && shown(value)) {
          add(textOf(label) + colon + (value.getAttribute("data-ll-say") || textOf(value)), value);
        }
      }
    } else if (how === "titles") {
      var titles = el.querySelectorAll(".ll-card__title");
      for (i = 0; i < titles.length; i++) if (shown(titles[i])) add(textOf(titles[i]), titles[i]);
    } else {
      var parts = sentences(el.innerText || el.textContent || "");
      for (i = 0; i < parts.length; i++) add(parts[i], el);
    }
    return out;
  }

  /* Every piece of the page, in the order it shows them. */
  function collect() {
    var marked = document.querySelectorAll("[data-ll-read]"), out = [];
    for (var i = 0; i < marked.length; i++) {
      var el = marked[i];
      if (el.parentNode.closest("[data-ll-read]") || !shown(el)) continue;
      out = out.concat(piecesOf(el));
    }
    return out;
  }

  function voiceFor(lang) {
    var voices = synth.getVoices() || [], want = lang.toLowerCase(), base = want.split("-")[0];
    var near = null;
    for (var i = 0; i < voices.length; i++) {
      var have = voices[i].lang.toLowerCase().replace("_", "-");
      if (have === want) return voices[i];
      if (!near && (have.split("-")[0] === base || (base === "zh" && /^cmn/.test(have)))) {
        near = voices[i];
      }
    }
    return near;
  }

  /* The device lists voices, and none for the page's language: reading would be noise. */
  function noVoice() {
    var voices = synth.getVoices() || [];
    return voices.length > 0 && !voiceFor(langOf(document.body));
  }

  function child(box, tag, className, text) {
    var el = document.createElement(tag);
    el.className = className;
    el.textContent = text;
    box.appendChild(el);
    return el;
  }

  function setup(box) {
    var play = box.querySelector(".ll-read__play");
    var stop = child(box, "button", "ll-read__stop", box.getAttribute("data-stop"));
    var note = child(box, "span", "ll-read__note", "");
    var labels = { idle: play.textContent, playing: box.getAttribute("data-pause"),
                   paused: box.getAttribute("data-resume") };
    var state = "idle", queue = [], at = 0, current = null, marked = null;
    stop.type = "button";
    stop.hidden = true;
    note.setAttribute("role", "status");

    function show(next) {
      state = next;
      play.textContent = labels[next];
      stop.hidden = next === "idle";
      box.className = "ll-read ll-read--" + next;
    }

    function mark(el) {
      if (marked) marked.classList.remove("ll-reading");
      marked = el;
      if (el) el.classList.add("ll-reading");
    }

    function finish() {
      current = null;
      mark(null);
      show("idle");
    }

    function speak() {
      if (at >= queue.length) { finish(); return; }
      var piece = queue[at], utterance = new SpeechSynthesisUtterance(piece.text);
      var voice = voiceFor(piece.lang);
      utterance.lang = piece.lang;
      if (voice) utterance.voice = voice;
      utterance.rate = 0.9;  /* a little slower than the engines' default, for older ears */
      /* Ends of pieces stopped or paused (some engines end them on pause) are not ours. */
      function ours() { return utterance === current && state === "playing"; }
      utterance.onend = function () {
        if (!ours()) return;
        at++;
        speak();
      };
      /* The engine cannot speak (no voice, no engine): say so. Interrupted from outside the
         page: stop quietly. */
      utterance.onerror = function (event) {
        if (!ours()) return;
        finish();
        if (event.error !== "interrupted" && event.error !== "canceled") {
          note.textContent = box.getAttribute("data-no-voice");
        }
      };
      current = utterance;
      mark(piece.el);
      synth.speak(utterance);
    }

    function start() {
      note.textContent = "";
      if (noVoice()) { note.textContent = box.getAttribute("data-no-voice"); return; }
      queue = collect();
      at = 0;
      if (!queue.length) return;
      synth.cancel();
      show("playing");
      speak();
    }

    function pause() {
      show("paused");
      synth.pause();
    }

    function resume() {
      show("playing");
      synth.resume();
      /* Where pausing ended the piece instead (Android), say it again. */
      setTimeout(function () { if (state === "playing" && !synth.speaking) speak(); }, 300);
    }

    play.addEventListener("click", function () {
      if (state === "idle") start(); else if (state === "playing") pause(); else resume();
    });
    stop.addEventListener("click", function () {
      finish();
      synth.cancel();
      play.focus();
    });
    window.addEventListener("pagehide", function () {
      if (state !== "idle") { finish(); synth.cancel(); }
    });
    if (box.getAttribute("data-go")) {
      box.removeAttribute("data-go");
      start();
    }
  }

  /* Loaded: the stub leaves the control to this script from now on. */
  window.LifelongRead = {};
  var boxes = document.querySelectorAll("[data-ll-readaloud]");
  for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
})();
