"""The words a story is compared by: folded Arabic (and Latin) words of the headline and the lead,
without the conjunction و/ف and the article ال, and without function words."""

from __future__ import annotations

import re

from ..text.normalize import fold

WORD = re.compile(r"[\u0621-\u064A\u0660-\u0669A-Za-z0-9]+")
# function words and reporting verbs: they say nothing about which happening an article reports
_FUNCTION = frozenset(
    fold(w)
    for w in (
        "في",
        "من",
        "على",
        "إلى",
        "الى",
        "عن",
        "أن",
        "ان",
        "إن",
        "مع",
        "التي",
        "الذي",
        "الذين",
        "هذا",
        "هذه",
        "ما",
        "لا",
        "لم",
        "لن",
        "قد",
        "كان",
        "كانت",
        "بعد",
        "قبل",
        "أو",
        "ثم",
        "حتى",
        "عند",
        "بين",
        "كما",
        "خلال",
        "منذ",
        "له",
        "لها",
        "لهم",
        "هو",
        "هي",
        "هم",
        "ذلك",
        "تلك",
        "قال",
        "قالت",
        "يوم",
        "اليوم",
        "أمس",
        "غدا",
        "إنه",
        "انه",
        "أنه",
        "عبر",
        "ضمن",
        "نحو",
        "حول",
        "أي",
        "كل",
        "غير",
        "أكثر",
        "أيضا",
        "فيما",
        "بينما",
        "حيث",
        "وفق",
        "وفقا",
        "إثر",
        "اثر",
    )
)


def story_words(text: str) -> list[str]:
    """The content words of ``text``, folded, for comparing articles."""
    out = []
    for w in WORD.findall(fold(text)):
        if len(w) > 3 and w[0] in "وف":
            w = w[1:]
        if len(w) > 4 and w.startswith("ال"):
            w = w[2:]
        if len(w) < 2 or w in _FUNCTION:
            continue
        out.append(w)
    return out
