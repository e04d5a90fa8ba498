"""Strict HTML checks for rendered pages: parse errors, duplicated and unknown attributes.

A browser repairs broken markup silently, so a translation with an ASCII quote inside an
attribute (`data-label="כל התוצאות עבור "%s""`) shows no error: it ends the value early and turns
the rest of the sentence into attributes of its own. html5lib follows the WHATWG parsing
algorithm and reports every parse error on the way (a duplicated attribute is one of them), and
every attribute left on an element must be one that element may have: a global attribute, one of
its own, a known `aria-*`, or a well-formed `data-*` name.
"""

import re
from xml.etree.ElementTree import Element

import html5lib

HTML = "http://www.w3.org/1999/xhtml"
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XMLNS = "http://www.w3.org/2000/xmlns/"

#: Attributes every HTML element may have (HTML Living Standard, "Global attributes"). Event
#: handler attributes (onclick, …) are left out on purpose: the site has no inline script, so one
#: in a page can only have come from text that escaped its attribute.
GLOBAL_ATTRIBUTES = frozenset(
    "accesskey autocapitalize autocorrect autofocus class contenteditable dir draggable enterkeyhint exportparts "
    "hidden id inert inputmode is itemid itemprop itemref itemscope itemtype lang nonce part popover role slot "
    "spellcheck style tabindex title translate writingsuggestions".split()
)

#: Each element's own attributes (HTML Living Standard, "Elements"); elements with none of their
#: own map to "". An element missing here is reported, so a new one is added deliberately.
ELEMENT_ATTRIBUTES = {
    tag: frozenset(names.split())
    for tag, names in {
        "html": "xmlns",
        "head": "",
        "title": "",
        "base": "href target",
        "link": "as blocking color crossorigin disabled fetchpriority href hreflang imagesizes imagesrcset integrity "
        "media referrerpolicy rel sizes type",
        # property: RDFa, which the Open Graph protocol's <meta property="og:…"> tags use (story pages).
        "meta": "charset content http-equiv media name property",
        "style": "blocking media",
        "script": "async blocking crossorigin defer fetchpriority integrity nomodule referrerpolicy src type",
        "noscript": "",
        "template": "shadowrootclonable shadowrootdelegatesfocus shadowrootmode shadowrootserializable",
        "body": "",
        "article": "",
        "section": "",
        "nav": "",
        "aside": "",
        "h1": "",
        "h2": "",
        "h3": "",
        "h4": "",
        "h5": "",
        "h6": "",
        "hgroup": "",
        "header": "",
        "footer": "",
        "address": "",
        "main": "",
        "search": "",
        "p": "",
        "hr": "",
        "pre": "",
        "blockquote": "cite",
        "ol": "reversed start type",
        "ul": "",
        "menu": "",
        "li": "value",
        "dl": "",
        "dt": "",
        "dd": "",
        "figure": "",
        "figcaption": "",
        "div": "",
        "a": "download href hreflang ping referrerpolicy rel target type",
        "em": "",
        "strong": "",
        "small": "",
        "s": "",
        "cite": "",
        "q": "cite",
        "dfn": "",
        "abbr": "",
        "data": "value",
        "time": "datetime",
        "code": "",
        "var": "",
        "samp": "",
        "kbd": "",
        "sub": "",
        "sup": "",
        "i": "",
        "b": "",
        "u": "",
        "mark": "",
        "bdi": "",
        "bdo": "",
        "span": "",
        "br": "",
        "wbr": "",
        "ins": "cite datetime",
        "del": "cite datetime",
        "picture": "",
        "source": "height media sizes src srcset type width",
        "img": "alt crossorigin decoding fetchpriority height ismap loading referrerpolicy sizes src srcset usemap "
        "width",
        # frameborder and scrolling are obsolete, but oEmbed providers (YouTube, Vimeo) still send them.
        "iframe": "allow allowfullscreen frameborder height loading name referrerpolicy sandbox scrolling src srcdoc "
        "width",
        "video": "autoplay controls crossorigin height loop muted playsinline poster preload src width",
        "audio": "autoplay controls crossorigin loop muted preload src",
        "track": "default kind label src srclang",
        "table": "",
        "caption": "",
        "colgroup": "span",
        "col": "span",
        "thead": "",
        "tbody": "",
        "tfoot": "",
        "tr": "",
        "td": "colspan headers rowspan",
        "th": "abbr colspan headers rowspan scope",
        "form": "accept-charset action autocomplete enctype method name novalidate rel target",
        "label": "for",
        "input": "accept alt autocomplete checked dirname disabled form formaction formenctype formmethod "
        "formnovalidate formtarget height list max maxlength min minlength multiple name pattern placeholder "
        "popovertarget popovertargetaction readonly required size src step type value width",
        "button": "command commandfor disabled form formaction formenctype formmethod formnovalidate formtarget name "
        "popovertarget popovertargetaction type value",
        "select": "autocomplete disabled form multiple name required size",
        "datalist": "",
        "optgroup": "disabled label",
        "option": "disabled label selected value",
        "textarea": "autocomplete cols dirname disabled form maxlength minlength name placeholder readonly required "
        "rows wrap",
        "output": "for form name",
        "progress": "max value",
        "meter": "high low max min optimum value",
        "fieldset": "disabled form name",
        "legend": "",
        "details": "name open",
        "summary": "",
        "dialog": "closedby open",
        "canvas": "height width",
    }.items()
}

#: SVG elements the site draws (icons, sitewide.charts) and the attributes they may carry.
SVG_ELEMENTS = frozenset(
    "svg g path circle ellipse line polyline polygon rect title desc use symbol defs text pattern".split()
)
SVG_ATTRIBUTES = frozenset(
    "class clip-rule cx cy d fill fill-opacity fill-rule focusable height href id opacity points preserveAspectRatio "
    "r role rx ry stroke stroke-dasharray stroke-linecap stroke-linejoin stroke-opacity stroke-width style transform "
    "version vector-effect viewBox width x x1 x2 y y1 y2 "
    "dy font-size font-weight patternUnits tabindex text-anchor".split()
) | {f"{{{XLINK}}}href", f"{{{XMLNS}}}xmlns", f"{{{XMLNS}}}xlink"}

#: WAI-ARIA 1.2 states and properties.
ARIA_ATTRIBUTES = frozenset(
    f"aria-{name}"
    for name in (
        "activedescendant atomic autocomplete braillelabel brailleroledescription busy checked colcount colindex "
        "colindextext colspan controls current describedby description details disabled dropeffect errormessage "
        "expanded flowto grabbed haspopup hidden invalid keyshortcuts label labelledby level live modal multiline "
        "multiselectable orientation owns placeholder posinset pressed readonly relevant required roledescription "
        "rowcount rowindex rowindextext rowspan selected setsize sort valuemax valuemin valuenow valuetext"
    ).split()
)

#: Nodes of html5lib's etree that are not elements.
TREE_NODES = frozenset({"DOCUMENT_ROOT", "DOCUMENT_FRAGMENT", "<!DOCTYPE>"})

#: A data-* name as this site writes them: lower-case words joined by hyphens.
DATA_ATTRIBUTE = re.compile(r"data-[a-z0-9]+(?:-[a-z0-9]+)*")
#: A custom element (Wagtail's <wagtail-userbar>) defines its own attributes: names of this shape.
CUSTOM_ELEMENT = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+")
CUSTOM_ATTRIBUTE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _attribute_allowed(namespace: str, tag: str, name: str) -> bool:
    if name in ARIA_ATTRIBUTES or DATA_ATTRIBUTE.fullmatch(name):
        return True
    if namespace == SVG:
        return name in SVG_ATTRIBUTES
    if CUSTOM_ELEMENT.fullmatch(tag):
        return bool(CUSTOM_ATTRIBUTE.fullmatch(name))
    return name in GLOBAL_ATTRIBUTES or name in ELEMENT_ATTRIBUTES[tag]


def _split(tag: str) -> tuple[str, str]:
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else (HTML, "", tag)
    return namespace, local


def _element_problems(root: Element) -> list[str]:
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in TREE_NODES:  # comments, the tree's own nodes
            continue
        namespace, tag = _split(element.tag)
        known = SVG_ELEMENTS if namespace == SVG else ELEMENT_ATTRIBUTES
        custom = namespace == HTML and CUSTOM_ELEMENT.fullmatch(tag)
        if namespace not in (HTML, SVG) or (tag not in known and not custom):
            problems.append(f"unknown element <{tag}>")
            continue
        problems += [
            f"<{tag}> has an attribute it may not have: {name!r}"
            for name in element.attrib
            if not _attribute_allowed(namespace, tag, name)
        ]
    return problems


def _context(source: str, line: int, column: int) -> str:
    """The markup just before (line, column), on one line."""
    lines = source.split("\n")
    offset = sum(len(text) + 1 for text in lines[: line - 1]) + column
    return " ".join(source[max(0, offset - 80) : offset + 20].split())


def html_problems(source: str, *, fragment: bool = False) -> list[str]:
    """Every parse error, duplicated attribute and unknown attribute of an HTML document (or, with
    ``fragment``, of a piece of one, as htmx swaps in), each as one readable line."""
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    root = parser.parseFragment(source) if fragment else parser.parse(source)
    problems = [
        f"parse error {code} at {line}:{column}: …{_context(source, line, column)}…"
        for (line, column), code, _data in parser.errors
    ]
    return problems + _element_problems(root)
