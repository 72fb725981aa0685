"""XSS payloads (forms from OWASP's filter-evasion cheat sheet) never survive into a question's or reply's HTML.

The oracle parses the output: every element and attribute must be on the allow-list and every URL
http(s), mailto or relative — whatever the payload, however it is written.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from plugins.forum.markdown import ATTRIBUTES, TAGS, render_markdown
from plugins.forum.services import ask, reply
from tests import factories

PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">',  # noqa: E501
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",  # noqa: E501
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",  # noqa: E501
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="https://xss.example/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<iframe src=https://xss.example/scriptlet.html <",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<OBJECT TYPE="text/x-scriptlet" DATA="https://xss.example/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>',  # noqa: E501
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<a href="javascript&colon;alert(1)">x</a>',
    # The same attacks in Markdown's own syntax.
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](https://example.com/a.png "onerror=alert(1)")',
    '[x](https://example.com/" onclick="alert(1))',
    "<javascript:alert(1)>",
    "`<script>alert(1)</script>`\n\n```html\n<script>alert(1)</script>\n```",
    "[a]: javascript:alert(1)\n\n[link][a]",
]

SAFE_SCHEMES = {"http", "https", "mailto", ""}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name not in ATTRIBUTES.get(tag, set()) and name != "rel":
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src") and value is not None:
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r}")


def problems_in(html: str) -> list[str]:
    checker = Checker()
    checker.feed(html)
    return checker.problems


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_html_keeps_only_the_allow_list(payload):
    html = render_markdown(payload)
    assert problems_in(html) == [], html
    assert "<script" not in html.lower()


@pytest.mark.django_db
def test_payloads_in_questions_and_replies_are_stored_and_served_safe(client):
    author = factories.ProfileFactory()
    body = "\n\n".join(PAYLOADS)
    question = ask(author, subject="<script>alert(1)</script> subject", body=body)
    answer = reply(factories.ProfileFactory(), question, body=body)
    assert question.body == body  # the Markdown is kept as written
    served = client.get(f"/api/questions/{question.document_id}?populate[replies][fields][0]=bodyHtml").json()["data"]
    for html in (served["bodyHtml"], served["replies"][0]["bodyHtml"]):
        assert problems_in(html) == []
    assert answer.body_html == question.body_html
    # The subject is text: served as written, for the site to escape like any other string.
    assert served["subject"] == "<script>alert(1)</script> subject"


def test_the_oracle_catches_what_it_should():
    assert problems_in('<a href="javascript:alert(1)" onclick="x">a</a><script></script>') == [
        "href='javascript:alert(1)'",
        "attribute onclick on <a>",
        "element <script>",
    ]


def test_images_only_from_our_media_or_configured_sources(settings):
    settings.FORUM_IMAGE_SOURCES = ("https://cdn.example.com/",)
    html = render_markdown(
        "![a](/media/images/a.png) ![b](https://tracker.example/p.gif) ![c](https://cdn.example.com/c.png)"
    )
    assert '<img src="/media/images/a.png" alt="a">' in html
    assert '<img src="https://cdn.example.com/c.png" alt="c">' in html
    assert "tracker.example" not in html
