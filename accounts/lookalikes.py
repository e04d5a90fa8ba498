"""Look-alike text: when two email addresses or two names are the same to a human eye.

Two people must not be able to hold what a reader takes for the same address or the same name.
Everything here follows Unicode Technical Standard #39 (security mechanisms), with its data
(confusables.txt and Scripts.txt) as shipped by the ``confusable_homoglyphs`` package.

* :func:`normalize_email` is applied wherever an address enters (sign-up, adding or changing an
  address, log-in, password reset, the contact form): NFKC (fullwidth ``ｍ`` is ``m``), invisible
  characters removed (a zero-width space after ``.com`` is nothing), lower case as allauth stores
  it. A look-alike of an existing address therefore *is* that address.
* :func:`validate_email_scripts` refuses, where an address is chosen, one that could imitate
  another: see its docstring for the policy.
* :func:`name_key` folds a display name to the key that is unique per account, so nobody can take
  a moderator's name in another case, with a Cyrillic ``о`` for ``o`` or with a zero-width joiner.
"""

import functools
import itertools
import unicodedata

from confusable_homoglyphs import categories, confusables
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Default-ignorable characters that are not of category Cf (which are all ignorable): the
#: combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian and other
#: variation selectors. They draw nothing, so they only make two equal-looking strings differ.
IGNORABLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
#: Scripts that neither make nor break a mix: digits, punctuation, combining marks.
NEUTRAL_SCRIPTS = frozenset({"COMMON", "INHERITED"})
#: UTS #39 "Highly Restrictive": besides a single script, these mixes are how Chinese, Japanese and
#: Korean are written, and none of their letters passes for a Latin one.
ALLOWED_SCRIPT_MIXES = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)

MIXED_SCRIPT_MESSAGE = _(
    "This address mixes letters from different alphabets (such as Latin and Cyrillic), so it could "
    "imitate someone else's address. Please type it in one alphabet."
)
NON_ASCII_LOCAL_PART_MESSAGE = _("Before the @, use only unaccented Latin letters, digits and punctuation.")


def is_invisible(character: str) -> bool:
    """True for a character that draws nothing: format characters (zero-width space and joiners,
    bidirectional controls, soft hyphen, byte-order mark, tags) and the other default ignorables."""
    return unicodedata.category(character) == "Cf" or character in IGNORABLE


def strip_invisible(text: str) -> str:
    return "".join(character for character in text if not is_invisible(character))


def normalize_email(address: str) -> str:
    """The address as it is stored and looked up: NFKC, without invisible characters, lower case."""
    return strip_invisible(unicodedata.normalize("NFKC", address)).strip().lower()


def scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text`` (Scripts.txt names, e.g. "LATIN", "CYRILLIC")."""
    return {categories.alias(character) for character in text} - NEUTRAL_SCRIPTS


def is_single_script(text: str) -> bool:
    found = scripts(text)
    return len(found) <= 1 or any(found <= allowed for allowed in ALLOWED_SCRIPT_MIXES)


def validate_email_scripts(address: str) -> None:
    """Refuse an (already normalised) address that could pass for another one.

    Decided policy, after UTS #39 and the IDN rules browsers apply to domain names:

    * The part before the @ is written in plain ASCII. Django's email validation already refuses
      almost every other local part; this also closes the gaps it leaves (``admın`` with a
      dotless ı), and a mix such as Latin ``m`` with Cyrillic ``е`` gets the clearer message.
    * The domain, taken as a whole, is written in one script (or one of the "Highly Restrictive"
      mixes of Latin with Chinese, Japanese or Korean). ``exаmple.com`` with a Cyrillic ``а`` is
      refused, and so is ``раураӏ.com`` (all Cyrillic, under a Latin top-level domain): that is
      how a whole label imitates a Latin one.
    * The two parts are judged separately: ``ivan@пример.рф`` (an ASCII mailbox at an all-Cyrillic
      domain) stays allowed, because that is how people in Russia, Greece or Israel write their
      real addresses at national domains; a look-alike of a Latin domain cannot be built that way.
    """
    local_part, _at, domain = address.rpartition("@")
    if not is_single_script(local_part) or not is_single_script(domain):
        raise ValidationError(MIXED_SCRIPT_MESSAGE, code="mixed_script")
    if not local_part.isascii():
        raise ValidationError(NON_ASCII_LOCAL_PART_MESSAGE, code="non_ascii_local_part")


@functools.cache
def _prototypes() -> dict[str, str]:
    """{character: the prototype it is confusable with} from UTS #39's confusables.txt.

    The package stores each source -> prototype pair in both directions, so the direction is
    recovered from the file's rules: a source is a single character with exactly one prototype,
    and a prototype is never itself a source. A pair that only knows each other is ambiguous;
    its smaller code point stands for both, which groups the same characters.
    """
    links = {
        key.replace("\u200e", ""): [entry["c"].replace("\u200e", "") for entry in entries]
        for key, entries in confusables.confusables_data.items()
    }
    prototypes = {}
    for character, others in links.items():
        if len(character) != 1 or len(others) != 1:
            continue
        (other,) = others
        is_source = len(other) > 1 or len(links.get(other, ())) > 1
        if is_source or other < character:
            prototypes[character] = other
    return prototypes


def name_key(name: str) -> str:
    """What ``name`` looks like, as a key: two names with the same key cannot be told apart.

    The UTS #39 skeleton of the case-folded name: NFKC, invisible characters removed (zero-width
    space, zero-width joiner and non-joiner, bidirectional controls), whitespace runs as one
    space, case folded, and every character replaced by the prototype of its confusables (Cyrillic
    ``о`` and Greek ``ο`` by ``o``, ``0`` by ``O``, ``m`` by ``rn``). Folding and mapping repeat
    until nothing changes, so "M0DERATOR", "moderator" and "Mоderator" share one key.
    An empty name has the empty key.
    """
    text = " ".join(strip_invisible(unicodedata.normalize("NFKC", name)).split())
    prototypes = _prototypes()
    for _round in range(4):
        folded = unicodedata.normalize("NFD", text.casefold())
        folded = unicodedata.normalize("NFD", "".join(prototypes.get(character, character) for character in folded))
        folded = " ".join(folded.split())
        if folded == text:
            break
        text = folded
    return text


def numbered_names(name: str, max_length: int):
    """``name``, then "name 2", "name 3", ..., each cut to fit ``max_length`` (an endless iterator)."""
    yield name[:max_length]
    for number in itertools.count(2):
        suffix = f" {number}"
        yield name[: max_length - len(suffix)].rstrip() + suffix
