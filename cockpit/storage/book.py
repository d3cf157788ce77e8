"""The API the UI, the commands and the importers use to read and write a book: one name
for what the modules beside it do (clients, touches, summaries, plans, profile answers,
tags, bulk writes, reps), and the checks of `cockpit.validation`.

Every write validates its input first (a ValidationError names the problem and nothing is
written) and runs in one transaction.
"""

from __future__ import annotations

from cockpit.storage.bulk import (  # noqa: F401
    NewClientRows,
    ids_given,
    insert_new_clients,
    insert_rows,
    new_client_rows,
    next_client_id,
)
from cockpit.storage.clients import (  # noqa: F401
    ClientRow,
    add_client,
    add_contacts,
    client_candidate,
    client_candidates,
    client_rows,
    create_client,
    delete_client,
    owners,
    set_archived,
    store_contacts,
    update_client,
)
from cockpit.storage.plans import (  # noqa: F401
    add_plan,
    delete_plan,
    keep_plan,
    log_plan_touch,
    plan_done,
    plans_of,
    update_plan,
)
from cockpit.storage.profile_answers import (  # noqa: F401
    forget_profile,
    profile_answers,
    profile_shown,
    set_profile,
)
from cockpit.storage.reps import (  # noqa: F401
    client_id_of,
    clients_of,
    current_rep,
    my_reps,
    on_server,
    rep_on_team_book,
)
from cockpit.storage.summaries import (  # noqa: F401
    batch_writes,
    ensure_summaries,
    id_chunks,
    refresh_summaries,
    refresh_touch_summaries,
    summaries_changed,
)
from cockpit.storage.tags import (  # noqa: F401
    TagCount,
    add_tags,
    clients_tagged,
    remove_tags,
    set_tags,
    tag_counts,
    tag_keys_by_client,
    tags_by_client,
    tags_of,
)
from cockpit.storage.touches import (  # noqa: F401
    LoggedTouch,
    PlanMoved,
    RecordedDeal,
    add_deal,
    add_interaction,
    delete_interaction,
    insert_many,
    log_touch,
    record_deal,
    set_follow_up_done,
    set_renewal,
    undo_log,
    update_interaction,
    won_dates,
)
from cockpit.validation import (  # noqa: F401
    MAX_AMOUNT,
    MAX_LONG_TEXT,
    MAX_SHORT_TEXT,
    THOUSANDS,
    as_date,
    check_client,
    check_contacts,
    check_encodable,
    check_plan,
    check_profile_value,
    check_stored_deal,
    check_stored_touch,
    checked_emails,
    checked_phones,
    clean_line,
    clean_tag,
    clean_tags,
    clean_text,
    client_columns,
    currency_code,
    deal_row,
    default_intent,
    email_rows,
    interaction_row,
    kept_days,
    lifecycle_of,
    match_key,
    money,
    next_plan_date,
    parse_amount,
    parse_tags,
    phone_rows,
    plan_kind,
    plan_values,
    positive_days,
    profile_date,
    profile_row,
    profile_rows,
    tag_key,
    tag_rows,
    touch_kind,
)
