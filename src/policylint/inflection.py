"""Putting a suggested word into the form of the word it replaces ("furnished" -> "given").

A substitution rule suggests the base form a language pack lists ("furnish" -> "give"); offered
as it stands, the suggestion breaks the sentence ("information furnished by customers" ->
"information give by customers"). How words inflect is language data: a pack's ``[inflection]``
table gives suffix rules and a table of irregular words, and a language without one gets the
base form only, as before.

Only the first word of a suggestion is inflected ("carry out" -> "carried out"), and only when
the term itself is listed in its base form: a term written inflected ("pertaining to") comes
with a suggestion that already fits.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

#: The forms this module tells apart. "s" is the third person singular or a noun's plural,
#: "past" the simple past, "participle" the past participle, "ing" the present participle.
FORMS = ("s", "past", "participle", "ing")


class SuffixRule(BaseModel):
    """One way to build a form: a base ending in ``when`` (a suffix, "" for any) drops ``drop``
    characters and takes ``add``. The first rule whose ``when`` fits is used."""

    model_config = ConfigDict(extra="forbid")

    when: str = ""
    #: ``when`` is a set of characters, one of which precedes the base's last character
    #: (consonant + y: "try" -> "tries", but "pay" -> "pays").
    after: str = ""
    drop: int = 0
    add: str = ""


class Inflection(BaseModel):
    """How a language inflects a suggestion (``[inflection]`` in a language pack)."""

    model_config = ConfigDict(extra="forbid")

    #: form -> rules, tried in order ("ing": [{when = "e", drop = 1, add = "ing"}, {add = "ing"}]).
    suffixes: dict[str, list[SuffixRule]] = Field(default_factory=dict)
    #: base -> {form: word} for words the suffix rules get wrong ("give" -> {past = "gave"}).
    irregular: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: Word endings that tell which form a matched word is in, tried in order ("ing" -> "ing").
    endings: dict[str, str] = Field(default_factory=dict)
    #: Words right before a past form that make it a simple past ("we furnished" -> "we gave");
    #: anywhere else a past form is read as a participle ("furnished by you" -> "given by you").
    past_after: list[str] = Field(default_factory=list)

    def form_of(self, word: str, base: str) -> str | None:
        """Which form ``word`` is of ``base`` ("furnished" of "furnish" -> "past"); None when it is
        the base itself or the pack cannot tell."""
        word, base = word.lower(), base.lower()
        if word == base:
            return None
        for form, irregular_word in self.irregular.get(base, {}).items():
            if irregular_word.lower() == word:
                return form
        for ending, form in self.endings.items():
            if word.endswith(ending) and len(word) > len(ending):
                return form
        return None

    def inflect(self, base: str, form: str) -> str:
        """``base`` in ``form``, by the irregular table, else the first suffix rule that fits."""
        irregular = self.irregular.get(base.lower(), {})
        if form in irregular:
            return irregular[form]
        if form == "participle" and "participle" not in self.suffixes:
            form = "past"
            if form in irregular:
                return irregular[form]
        for rule in self.suffixes.get(form, []):
            if not base.lower().endswith(rule.when):
                continue
            if rule.after:
                stem = base[: len(base) - len(rule.when)] if rule.when else base[:-1]
                if not stem or stem[-1].lower() not in rule.after:
                    continue
            return base[: len(base) - rule.drop] + rule.add
        return base

    def fit(self, suggestion: str, form: str) -> str:
        """``suggestion`` with its first word put in ``form`` ("carry out", "past" -> "carried out")."""
        first, _, rest = suggestion.partition(" ")
        if not first or not first[0].isalpha():
            return suggestion
        inflected = self.inflect(first, form)
        return f"{inflected} {rest}" if rest else inflected
