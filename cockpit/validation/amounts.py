"""Amounts of money and currency codes."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from cockpit.config import settings
from cockpit.errors import ValidationError

MAX_AMOUNT = Decimal("999999999999.99")
THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")  # 12,500.50


def parse_amount(value: str | int | Decimal) -> Decimal:
    """A positive amount of money with at most two decimals."""
    text = shown = str(value).strip()  # shown in messages: one line, as typed
    if "," in text:
        if not THOUSANDS.match(text):
            raise ValidationError(
                f"{value!r} is not an amount; write decimals with a point, like 1200.50"
            )
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            f"{value!r} is not an amount; write it like 1200 or 1200.50"
        ) from None
    if not amount.is_finite():
        raise ValidationError(f"{value!r} is not an amount; write it like 1200 or 1200.50")
    if amount <= 0:
        raise ValidationError("a won deal's amount must be more than zero")
    if amount > MAX_AMOUNT:
        raise ValidationError(f"{shown} is larger than Cockpit can store ({MAX_AMOUNT:,})")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{shown} has more than two decimals")
    return amount.quantize(Decimal("0.01"))


def currency_code(code: str | None) -> str:
    value = (code or settings().currency).strip().upper()
    if len(value) != 3 or not value.isascii() or not value.isalpha():
        raise ValidationError(f"{code!r} is not a currency code; use three letters such as EUR")
    return value


SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}  # written before the amount


def money(amount_cents: int, currency: str) -> str:
    """A won deal's amount as a person writes it: "€12,000", "$950.50", "12,000 CHF"."""
    whole, cents = divmod(amount_cents, 100)
    number = f"{whole:,}" + (f".{cents:02d}" if cents else "")
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"
