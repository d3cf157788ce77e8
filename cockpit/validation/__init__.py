"""What a client, a touch, a deal, a plan and a profile answer may hold: the checks every
way in shares (forms, commands, imports, restore) and the rows they make, ready to store.

Plain Python: no database, so a form can check what it will save without loading Peewee.
One module a subject: `text` (one-line fields, free text, match keys), `amounts` (money
and currency), `days`, `touches` (touches and won deals), `plans`, `profile` (Mackay 66
answers), `clients` (columns, emails, phones) and `tags`; every name is also here.
"""

from __future__ import annotations

from cockpit.validation.amounts import MAX_AMOUNT, THOUSANDS, currency_code, money, parse_amount
from cockpit.validation.clients import (
    MAX_EMAIL,
    MAX_PHONE,
    check_client,
    check_contacts,
    checked_emails,
    checked_phones,
    client_columns,
    email_rows,
    lifecycle_of,
    phone_rows,
)
from cockpit.validation.days import as_date, kept_days, positive_days
from cockpit.validation.plans import check_plan, next_plan_date, plan_kind, plan_values
from cockpit.validation.profile import (
    check_profile_value,
    profile_date,
    profile_row,
    profile_rows,
)
from cockpit.validation.tags import (
    MAX_TAG,
    clean_tag,
    clean_tags,
    parse_tags,
    sorted_tags,
    split_tags,
    tag_key,
    tag_rows,
)
from cockpit.validation.text import (
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    check_encodable,
    clean_line,
    clean_text,
    match_key,
)
from cockpit.validation.touches import (
    check_stored_deal,
    check_stored_touch,
    deal_row,
    default_intent,
    interaction_row,
    term_of,
    touch_kind,
)

__all__ = [
    "MAX_AMOUNT",
    "MAX_EMAIL",
    "MAX_LONG_TEXT",
    "MAX_PHONE",
    "MAX_SHORT_TEXT",
    "MAX_TAG",
    "THOUSANDS",
    "as_date",
    "check_client",
    "check_contacts",
    "check_encodable",
    "check_plan",
    "check_profile_value",
    "check_stored_deal",
    "check_stored_touch",
    "checked_emails",
    "checked_phones",
    "clean_line",
    "clean_tag",
    "clean_tags",
    "clean_text",
    "client_columns",
    "currency_code",
    "deal_row",
    "default_intent",
    "email_rows",
    "interaction_row",
    "kept_days",
    "lifecycle_of",
    "match_key",
    "money",
    "next_plan_date",
    "parse_amount",
    "parse_tags",
    "phone_rows",
    "plan_kind",
    "plan_values",
    "positive_days",
    "profile_date",
    "profile_row",
    "profile_rows",
    "sorted_tags",
    "split_tags",
    "tag_key",
    "tag_rows",
    "term_of",
    "touch_kind",
]
