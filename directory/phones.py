"""Phone numbers as people write them, parsed with `phonenumbers` into one display form and call links.

A record's `phones` hold display forms ("(833) 234-6343", "(217) 555-0100 ext. 12", "988, press 1",
"text HOME to 741741"); `parse_phone` reads that form back unchanged, so it is also the stored form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

REGION = "US"
# Three-digit service codes that are dialled as they are (211 community help, 911 emergency, 988 crisis).
SERVICE_CODES = frozenset({"211", "311", "411", "511", "611", "711", "811", "911", "988"})


class PhoneError(ValueError):
    """A text that is not a number a person can dial or text; the message says why and how to fix it."""


@dataclass(frozen=True)
class Phone:
    """One dialable line: a US number or service code, an extension or menu key, or a text keyword."""

    number: str  # E.164 ("+18332346343") or a service or SMS short code ("988", "741741")
    extension: str = ""
    press: str = ""  # a menu key to press after the call connects ("988, press 1")
    kind: str = "voice"  # "voice" or "sms"
    keyword: str = ""  # the word to text, for "sms"

    @property
    def is_short_code(self) -> bool:
        return not self.number.startswith("+")

    @property
    def e164(self) -> str:
        """The number in E.164 for a full number, the code itself for a short code."""
        return self.number

    @property
    def national(self) -> str:
        if self.is_short_code:
            return self.number
        parsed = phonenumbers.parse(self.number, REGION)
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)

    def display(self) -> str:
        """The form people read and the stored form: "(833) 234-6343 ext. 2", "988, press 1"."""
        if self.kind == "sms":
            return f"text {self.keyword} to {self.national}" if self.keyword else f"text {self.national}"
        text = self.national
        if self.extension:
            text += f" ext. {self.extension}"
        if self.press:
            text += f", press {self.press}"
        return text

    def href(self) -> str:
        """A `tel:` link (RFC 3966, extension included) or an `sms:` link with the keyword as the body."""
        if self.kind == "sms":
            return f"sms:{self.number}" + (f"?&body={self.keyword}" if self.keyword else "")
        link = f"tel:{self.number}"
        return link + (f";ext={self.extension}" if self.extension else "")

    def __str__(self) -> str:
        return self.display()


_SMS_RE = re.compile(r"^text\s+(?:([A-Za-z0-9]+)\s+to\s+)?([0-9(][0-9 ()+.\-]{3,})$", re.IGNORECASE)
_PRESS_RE = re.compile(r"[,;]?\s*(?:then\s+)?(?:press|option|menu:?\s*option)\s+(\d)\b", re.IGNORECASE)
_EXT_RE = re.compile(r"\s*(?:,|;)?\s*(?:ext\.?|extension|x)\s*(\d{1,6})\s*$", re.IGNORECASE)
_PAREN_RE = re.compile(r"\(([^()]*)\)")
# A vanity number: a real area code in digits, then digits and letters ("1-800-662-HELP").
_VANITY_RE = re.compile(r"^(?:\+?1[\s.-]*)?\(?\d{3}\)?[\s.-]*[0-9A-Za-z][0-9A-Za-z.-]*$")


def _drop_vanity_aside(text: str) -> str:
    """Remove a parenthetical that repeats the number in letters: "1-800-662-4357 (1-800-662-HELP)"."""
    if not re.search(r"\d{3}\D{0,3}\d{4}", text):
        return text

    def keep(match: re.Match) -> str:
        inner = match.group(1)
        digits_before = re.sub(r"\D", "", text[: match.start()])
        if re.search(r"[A-Za-z]", inner) and re.search(r"\d", inner) and len(digits_before) >= 7:
            return ""
        return match.group(0)

    return _PAREN_RE.sub(keep, text).strip()


def parse_phone(text: str) -> Phone:
    """Read one phone as people write it; raise PhoneError saying what is wrong and how to write it."""
    raw = " ".join((text or "").split())
    if not raw:
        raise PhoneError("the phone is empty")
    sms = _SMS_RE.match(raw)
    if sms:
        keyword, digits = sms.group(1) or "", re.sub(r"\D", "", sms.group(2))
        if 4 <= len(digits) <= 6:
            return Phone(digits, kind="sms", keyword=keyword.upper())
        return Phone(_full_number(sms.group(2), raw), kind="sms", keyword=keyword.upper())
    press = ""
    m = _PRESS_RE.search(raw)
    if m:
        press, raw = m.group(1), (raw[: m.start()] + raw[m.end() :]).strip(" ,;")
    extension = ""
    m = _EXT_RE.search(raw)
    if m:
        extension, raw = m.group(1), raw[: m.start()].strip(" ,;")
        if not re.search(r"\d", raw):
            raise PhoneError(
                f"'{text}' is an extension without a number: write the main number first, e.g. '(217) 555-0100 ext. 12'"
            )
    raw = _drop_vanity_aside(raw)
    digits = re.sub(r"\D", "", raw)
    if digits in SERVICE_CODES and not re.search(r"[A-Za-z]", raw):
        return Phone(digits, extension=extension, press=press)
    return Phone(_full_number(raw, text), extension=extension, press=press)


def _full_number(raw: str, original: str) -> str:
    if re.search(r"[A-Za-z]", raw) and not _VANITY_RE.match(raw):
        raise PhoneError(f"'{original}' has letters that are not a phone number: write the digits")
    converted = phonenumbers.convert_alpha_characters_in_number(raw)
    if converted != raw:
        # A vanity word may run past the number ("833-2FINDHELP"): only the first ten digits are dialled.
        digits = re.sub(r"\D", "", converted)
        digits = digits[1:] if digits.startswith("1") else digits
        if len(digits) > 10:
            converted = digits[:10]
    if re.search(r"[A-Za-z]", converted):
        raise PhoneError(f"'{original}' has letters that are not a phone number: write the digits")
    try:
        parsed = phonenumbers.parse(converted, REGION)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(
            f"'{original}' is not a phone number ({exc._msg}): write it as '(217) 555-0100'"
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        digits = re.sub(r"\D", "", converted)
        raise PhoneError(
            f"'{original}' is not a valid US number ({len(digits)} digits"
            f"{' after turning letters into digits' if converted != raw else ''}): check it against the source"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_phones(texts) -> tuple[tuple[str, ...], list[str]]:
    """Display forms of every phone that parses, and a message for each that does not (nothing is guessed)."""
    kept, problems = [], []
    for text in texts:
        try:
            form = parse_phone(text).display()
        except PhoneError as exc:
            problems.append(str(exc))
            continue
        if form not in kept:
            kept.append(form)
    return tuple(kept), problems


def try_parse(text: str) -> Phone | None:
    """The parsed phone, or None when the text is not one (for renderers that must not fail)."""
    try:
        return parse_phone(text)
    except PhoneError:
        return None


def href(text: str) -> str:
    """The `tel:`/`sms:` link for a stored phone, "" when it is not dialable."""
    phone = try_parse(text)
    return phone.href() if phone else ""


def e164(text: str) -> str:
    """The E.164 form (or short code) without extension, "" when the text is not a phone."""
    phone = try_parse(text)
    return phone.e164 if phone else ""


def display(text: str) -> str:
    """The display form, or the text as written when it does not parse."""
    phone = try_parse(text)
    return phone.display() if phone else text
