/* Lifelong: the read-aloud control's stub, loaded right after the control (lifelong/macros.html,
   read_aloud). It shows the control where the browser can speak (speechSynthesis), and loads
   readaloud.js, which does the reading, only when the control is first touched (a finger on
   it, or the keyboard's focus), starting to read once loaded when the touch was a click.
   Tiny on purpose: it is all the read-aloud script a page loads until then. */
(function (box) {
  "use strict";
  var w = window, script = null;
  if (!box || !box.hasAttribute("data-ll-readaloud") || !w.speechSynthesis ||
      !w.SpeechSynthesisUtterance) return;
  box.hidden = false;
  function load(event) {
    if (w.LifelongRead) return;  /* loaded: readaloud.js answers the control from now on */
    if (event.type === "click") box.setAttribute("data-go", "1");
    if (!script) {
      script = document.createElement("script");
      script.src = box.getAttribute("data-ll-readaloud");
      document.head.appendChild(script);
    }
  }
  box.addEventListener("pointerdown", load);
  box.addEventListener("focusin", load);
  box.addEventListener("click", load);
})(document.currentScript && document.currentScript.previousElementSibling);
