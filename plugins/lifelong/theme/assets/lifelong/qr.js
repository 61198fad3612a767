/* Lifelong: QR codes (ISO/IEC 18004) for the pages. LifelongQr.matrix(text): rows of modules
   (1 = dark), no quiet zone; UTF-8 bytes in byte mode, level M, the smallest version, mask 4
   (every mask decodes). tests/test_qr_js.py compares it with segno. */
(function () {
  "use strict";

  /* Level M, versions 1..40: EC codewords per block, and the number of blocks. */
  var EC_PER_BLOCK = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26,
    26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28];
  var BLOCKS = [1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18,
    20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49];
  var MASK = 4;

  /* GF(256) modulo x^8 + x^4 + x^3 + x^2 + 1 (0x11D). */
  var EXP = [], LOG = [];
  for (var i = 0, x = 1; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x = x & 0x80 ? (x << 1) ^ 0x11d : x << 1;
  }

  function mul(a, b) { return a && b ? EXP[(LOG[a] + LOG[b]) % 255] : 0; }

  function zeros(length) {
    for (var list = []; list.length < length;) list.push(0);
    return list;
  }

  /* (x - a^0)...(x - a^(n-1)), highest power first, without its leading 1. */
  function generator(degree) {
    var poly = [1];
    for (var i = 0; i < degree; i++) {
      var next = poly.concat(0);
      for (var j = 1; j < next.length; j++) next[j] ^= mul(poly[j - 1], EXP[i]);
      poly = next;
    }
    return poly.slice(1);
  }

  /* EC codewords: the remainder of data * x^degree divided by the generator. */
  function errorCorrection(data, degree) {
    var gen = generator(degree), rest = zeros(degree);
    for (var i = 0; i < data.length; i++) {
      var factor = data[i] ^ rest.shift();
      rest.push(0);
      for (var j = 0; j < degree; j++) rest[j] ^= mul(gen[j], factor);
    }
    return rest;
  }

  /* Codewords for data: modules less function patterns, / 8, less EC codewords. */
  function dataCodewords(version) {
    var modules = (16 * version + 128) * version + 64;
    if (version >= 2) {
      var n = Math.floor(version / 7) + 2; /* alignment patterns per row */
      modules -= (25 * n - 10) * n - 55;
      if (version >= 7) modules -= 36; /* the two version information blocks */
    }
    return (modules >> 3) - EC_PER_BLOCK[version - 1] * BLOCKS[version - 1];
  }

  /* Older phones lack TextEncoder. */
  function utf8(text) {
    var binary = unescape(encodeURIComponent(text)), bytes = [];
    for (var i = 0; i < binary.length; i++) bytes.push(binary.charCodeAt(i));
    return bytes;
  }

  function countBits(version) { return version < 10 ? 8 : 16; }

  function smallestVersion(length) {
    for (var v = 1; v <= 40; v++) {
      if (4 + countBits(v) + 8 * length <= 8 * dataCodewords(v)) return v;
    }
    throw new Error("QR code: text of " + length + " bytes is too long (at most 2331 " +
      "bytes fit in version 40 at level M)");
  }

  function binary(value, width) { return (value + Math.pow(2, width)).toString(2).slice(1); }

  /* Mode 0100, count, bytes, terminator 0000: whole codewords; then pads 0xEC 0x11 by turns
     (segno adds a 0x00 first, heuer/segno#123; the standard does not). */
  function dataBytes(bytes, version) {
    var bits = "0100" + binary(bytes.length, countBits(version)), out = [], i;
    for (i = 0; i < bytes.length; i++) bits += binary(bytes[i], 8);
    bits += "0000";
    for (i = 0; i < bits.length; i += 8) out.push(parseInt(bits.substr(i, 8), 2));
    for (i = 0; out.length < dataCodewords(version); i++) out.push(i & 1 ? 0x11 : 0xec);
    return out;
  }

  /* The first item of every list, then the second of every list, and so on. */
  function interleave(lists, out) {
    for (var i = 0; i < lists[lists.length - 1].length; i++) {
      for (var b = 0; b < lists.length; b++) if (i < lists[b].length) out.push(lists[b][i]);
    }
    return out;
  }

  /* Blocks (the last ones a codeword longer), then their EC codewords, each interleaved. */
  function codewords(data, version) {
    var count = BLOCKS[version - 1], blocks = [], ecs = [], at = 0;
    var shortLength = Math.floor(data.length / count), longFrom = count - data.length % count;
    for (var b = 0; b < count; b++) {
      blocks.push(data.slice(at, at += shortLength + (b >= longFrom ? 1 : 0)));
      ecs.push(errorCorrection(blocks[b], EC_PER_BLOCK[version - 1]));
    }
    return interleave(ecs, interleave(blocks, []));
  }

  /* value, then the remainder of value * x^degree divided by poly. */
  function bch(value, poly, degree) {
    var rest = value << degree;
    for (var bit = 30; bit >= degree; bit--) {
      if ((rest >>> bit) & 1) rest ^= poly << (bit - degree);
    }
    return (value << degree) | rest;
  }

  /* Rows (and columns) of alignment pattern centres: 6, then even, equal steps back from
     the last; version 32 is the one exception. */
  function alignmentPositions(version, size) {
    if (version === 1) return [];
    var count = Math.floor(version / 7) + 2, positions = [6];
    var step = version === 32 ? 26 : Math.ceil((size - 13) / (2 * count - 2)) * 2;
    for (var p = size - 7 - step * (count - 2); p < size; p += step) positions.push(p);
    return positions;
  }

  /* fixed: modules of function patterns; the rest carry data. */
  function grid(size) {
    var g = { size: size, dark: [], fixed: [] };
    for (var i = 0; i < size; i++) {
      g.dark.push(zeros(size));
      g.fixed.push(zeros(size));
    }
    return g;
  }

  function set(g, row, col, on) {
    g.dark[row][col] = on ? 1 : 0;
    g.fixed[row][col] = 1;
  }

  /* Square rings around (row, col), dark where rings[distance] is "1". */
  function square(g, row, col, rings) {
    for (var r = rings.length - 1, dr = -r; dr <= r; dr++) {
      for (var dc = -r; dc <= r; dc++) {
        var y = row + dr, x = col + dc;
        if (y >= 0 && x >= 0 && y < g.size && x < g.size) {
          set(g, y, x, rings.charAt(Math.max(Math.abs(dr), Math.abs(dc))) === "1");
        }
      }
    }
  }

  /* Finders with their light separator ring, alignment patterns where no finder is, and
     timing patterns between the finders (across alignments, which agree with them). */
  function drawPatterns(g, version) {
    var size = g.size, centres = alignmentPositions(version, size), i, j;
    square(g, 3, 3, "11010");
    square(g, 3, size - 4, "11010");
    square(g, size - 4, 3, "11010");
    for (i = 0; i < centres.length; i++) {
      for (j = 0; j < centres.length; j++) {
        if (!g.fixed[centres[i]][centres[j]]) square(g, centres[i], centres[j], "101");
      }
    }
    for (i = 8; i < size - 8; i++) {
      set(g, 6, i, i % 2 === 0);
      set(g, i, 6, i % 2 === 0);
    }
  }

  /* Format information (fixed: level M is 00, the mask 4) in two copies, the dark module,
     and from version 7 the version information in two 6 x 3 blocks. */
  function drawInformation(g, version) {
    var size = g.size, format = bch(MASK, 0x537, 10) ^ 0x5412, i, on;
    for (i = 0; i < 15; i++) {
      on = (format >>> i) & 1;
      set(g, i < 6 ? i : i < 8 ? i + 1 : 8, i < 8 ? 8 : i === 8 ? 7 : 14 - i, on);
      set(g, i < 8 ? 8 : size - 15 + i, i < 8 ? size - 1 - i : 8, on);
    }
    set(g, size - 8, 8, 1);
    if (version < 7) return;
    var info = bch(version, 0x1f25, 12);
    for (i = 0; i < 18; i++) {
      on = (info >>> i) & 1;
      set(g, Math.floor(i / 3), size - 11 + i % 3, on);
      set(g, size - 11 + i % 3, Math.floor(i / 3), on);
    }
  }

  /* Two-column strips from the right, up then down, past the timing column; remainder
     bits stay light. Then mask 4 over every data module. */
  function placeData(g, words) {
    var size = g.size, n = 0, upward = true;
    for (var right = size - 1; right > 0; right -= 2) {
      if (right === 6) right = 5;
      for (var step = 0; step < size; step++) {
        var row = upward ? size - 1 - step : step;
        for (var col = right; col > right - 2; col--) {
          if (g.fixed[row][col]) continue;
          var bit = n < words.length * 8 ? (words[n >> 3] >>> (7 - (n & 7))) & 1 : 0;
          var flip = (Math.floor(row / 2) + Math.floor(col / 3)) % 2 === 0;
          g.dark[row][col] = flip ? 1 - bit : bit;
          n++;
        }
      }
      upward = !upward;
    }
  }

  function matrix(text) {
    var bytes = utf8(String(text)), version = smallestVersion(bytes.length);
    var g = grid(17 + 4 * version);
    drawPatterns(g, version);
    drawInformation(g, version);
    placeData(g, codewords(dataBytes(bytes, version), version));
    return g.dark;
  }

  var api = { matrix: matrix };
  if (typeof window !== "undefined") window.LifelongQr = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})();
