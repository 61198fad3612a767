/* Lifelong: the "输入编号" box's lookup (partials/lifelong-code.html), loaded by lifelong.js
   when a box is first touched. What was typed is an entry's code (6 digits; spaces, dashes
   and full-width digits allowed) or its id (taiji-basics). The code index
   (plugins/lifelong/site/codes.py) is read with lifelong.js's loader, as classic scripts
   (works from file://): codes/index.js says which parts exist, then the one part the code
   or id is in is loaded; nothing else. Found: the entry opens. Not found: the box says so
   (its role="status" line), and the reader can type again. */
(function () {
  "use strict";
  var S = window.LifelongSearch;
  var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

  /* FNV-1a of an id (ASCII): lifelong.search.text.fnv1a. */
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* Bit n of a bitmap written in hexadecimal, the first bit the highest of the first digit. */
  function has(bitmap, n) {
    var digit = parseInt(bitmap.charAt(n >> 2), 16);
    return !isNaN(digit) && ((digit >> (3 - (n & 3))) & 1) === 1;
  }

  /* What was typed: {code: "382915"}, {id: "taiji-basics"} or null. */
  function parse(text) {
    var value = String(text).normalize("NFKC").trim();
    var digits = value.replace(/[\s\-]/g, "");
    if (/^[0-9]+$/.test(digits)) return digits.length === 6 ? { code: digits } : null;
    value = value.toLowerCase();
    return SLUG.test(value) ? { id: value } : null;
  }

  /* Resolves with the address (from the site's root) of what was typed, or null. */
  function find(wanted) {
    return S.needFrom("codes/", "index").then(function (index) {
      var name, key;
      if (wanted.code) {
        var prefix = parseInt(wanted.code.slice(0, index.d), 10);
        if (!has(index.c, prefix - Math.pow(10, index.d - 1))) return null;
        name = "c" + prefix;
        key = wanted.code;
      } else {
        var part = fnv1a(wanted.id) % index.n;
        if (!has(index.i, part)) return null;
        name = "i" + part;
        key = wanted.id;
      }
      return S.needFrom("codes/", name).then(function (data) {
        return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : null;
      });
    });
  }

  function say(form, text) {
    var line = form.querySelector(".ll-code__message");
    line.textContent = text;
  }

  S.openCode = function (form) {
    var input = form.querySelector("input");
    var typed = input.value.trim();
    if (!typed) {
      input.focus();
      return;
    }
    var wanted = parse(typed);
    var shown = wanted ? (wanted.code || wanted.id) : typed;
    if (!wanted) {
      say(form, form.getAttribute("data-bad").replace("{code}", typed));
      return;
    }
    say(form, "");
    find(wanted).then(function (address) {
      if (address === null) {
        say(form, form.getAttribute("data-not-found").replace("{code}", shown));
        input.focus();
      } else {
        window.location.href = S.root + address;
      }
    }, function () {
      form.submit();  /* the index cannot be read: the search page finds codes too */
    });
  };
})();
