"""Phones as sources write them become one display form, a dialable link, or a reasoned refusal."""

import pytest

from directory.phones import PhoneError, normalize_phones, parse_phone


@pytest.mark.parametrize(
    ("text", "shown", "link"),
    [
        ("988", "988", "tel:988"),
        ("911", "911", "tel:911"),
        ("988 then press 1", "988, press 1", "tel:988"),
        ("1-833-234-6343 (833-2FINDHELP)", "(833) 234-6343", "tel:+18332346343"),
        ("833-2FINDHELP", "(833) 234-6343", "tel:+18332346343"),
        ("1-800-662-HELP", "(800) 662-4357", "tel:+18006624357"),
        ("1-866-359-7953 (menu: option 2)", "(866) 359-7953, press 2", "tel:+18663597953"),
        ("(217) 782-4977 ext. 12", "(217) 782-4977 ext. 12", "tel:+12177824977;ext=12"),
        ("217.782.4977 x12", "(217) 782-4977 ext. 12", "tel:+12177824977;ext=12"),
        ("text HOME to 741741", "text HOME to 741741", "sms:741741?&body=HOME"),
        ("text 877-863-6338", "text (877) 863-6338", "sms:+18778636338"),
    ],
)
def test_a_phone_has_one_display_form_and_a_link(text, shown, link):
    """It turns vanity letters into digits, splits extensions and menu keys, and reads its own form back."""
    phone = parse_phone(text)
    assert phone.display() == shown
    assert phone.href() == link
    assert parse_phone(shown) == phone


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("ext. 12", "extension without a number"),
        ("12345", "not a valid US number"),
        ("call the front desk", "letters"),
        ("", "empty"),
    ],
)
def test_what_is_not_a_phone_is_refused_with_the_reason(text, says):
    """It never guesses a number: the message says what is wrong."""
    with pytest.raises(PhoneError, match=says):
        parse_phone(text)


def test_normalize_keeps_the_good_drops_duplicates_and_reports_the_bad():
    """Two spellings of one line become one; a bad one is reported, not kept."""
    kept, problems = normalize_phones(["1-800-662-HELP", "(800) 662-4357", "ext. 9"])
    assert kept == ("(800) 662-4357",)
    assert len(problems) == 1 and "ext. 9" in problems[0]
