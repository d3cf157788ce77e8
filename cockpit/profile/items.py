"""The 66 items of the Mackay 66 profile: data, written with the short builders below.

Labels and help texts are our own words; the numbering and topics follow
Harvey Mackay's published 66-item sheet (see shared/domain/mackay66.md).
`cockpit.profile.schema` checks this table when it loads.
"""

from __future__ import annotations

from cockpit.profile.structure import Column, Field, FieldType, Item, Reminder, section_of

# --- Builders (keep the item table below short and readable) -----------------------------------


def _text(key: str, label: str, hint: str, *, sensitive: bool = False) -> Field:
    return Field(key, label, FieldType.TEXT, sensitive=sensitive, help=hint)


def _multi(key: str, label: str, hint: str, *, sensitive: bool = False) -> Field:
    return Field(key, label, FieldType.MULTILINE, sensitive=sensitive, help=hint)


def _date(
    key: str, label: str, hint: str, *, reminder: Reminder | None = None, sensitive: bool = False
) -> Field:
    return Field(key, label, FieldType.DATE, sensitive=sensitive, help=hint, reminder=reminder)


def _yesno(key: str, label: str, hint: str, *, sensitive: bool = False) -> Field:
    return Field(key, label, FieldType.YESNO, sensitive=sensitive, help=hint)


def _choice(
    key: str, label: str, options: tuple[str, ...], hint: str, *, sensitive: bool = False
) -> Field:
    return Field(key, label, FieldType.CHOICE, sensitive=sensitive, help=hint, options=options)


def _list(
    key: str, label: str, columns: tuple[Column, ...], hint: str, *, sensitive: bool = False
) -> Field:
    return Field(key, label, FieldType.LIST, sensitive=sensitive, help=hint, columns=columns)


def _simple_list(
    key: str, label: str, row_label: str, hint: str, *, sensitive: bool = False
) -> Field:
    """A list of plain entries: exactly one column, keyed "value"."""
    return _list(key, label, (Column("value", row_label),), hint, sensitive=sensitive)


def _item(number: int, title: str, *fields: Field) -> Item:
    return Item(number, section_of(number), title, fields)


# The fields kept in the client's own record, not with the other answers: one value,
# shown and changed alike in the profile and in the client's details. Field -> column.
RECORD_FIELDS = {"name": "name", "company_name": "company", "job_title": "title"}

# --- The 66 items ------------------------------------------------------------------------------

ITEMS: tuple[Item, ...] = (
    # Customer (1-6)
    _item(
        1,
        "Name and role",
        _text("name", "Name", "The customer's full name as they use it; the client's name."),
        _text("nickname", "Goes by", "A nickname or short form they like to be called."),
        _text("job_title", "Job title", "Their current title or role; the client's title."),
    ),
    _item(
        2,
        "Company",
        _text("company_name", "Company", "The organisation they work for; the client's company."),
        _multi("company_address", "Company address", "Where the office they work from is."),
    ),
    _item(
        3,
        "Home address",
        _multi("home_address", "Home address", "Their private address, if they shared it."),
    ),
    _item(
        4,
        "Phone numbers",
        _list(
            "phones",
            "Phone numbers",
            (Column("label", "Kind"), Column("number", "Number")),
            "Each number with what it is, such as office, mobile or home.",
        ),
    ),
    _item(
        5,
        "Birthday and roots",
        _date(
            "birth_date",
            "Birthday",
            "Their birthday; leave the year out if you do not know it.",
            reminder=Reminder.BIRTHDAY,
        ),
        _text("birthplace", "Born in", "The town or country where they were born."),
        _text("hometown", "Grew up in", "The place they think of as home."),
    ),
    _item(
        6,
        "Appearance",
        _text("height", "Height", "Roughly how tall they are.", sensitive=True),
        _text("weight", "Weight", "Roughly their build or weight.", sensitive=True),
        _text(
            "physical_traits",
            "Distinctive features",
            "Anything about their appearance worth remembering tactfully.",
            sensitive=True,
        ),
    ),
    # Education (7-13)
    _item(
        7,
        "Secondary school",
        _text("high_school", "School", "The secondary school they attended."),
        _text("high_school_year", "Year left", "The year they finished there."),
    ),
    _item(
        8,
        "University",
        _text("college", "University", "The college or university they attended."),
        _text("college_year", "Graduation year", "The year they graduated."),
        _text("college_degree", "Degree", "The degree or subject they studied."),
    ),
    _item(
        9,
        "Distinctions and further degrees",
        _simple_list(
            "college_honours",
            "Distinctions and degrees",
            "Distinction or degree",
            "Academic awards and any postgraduate degrees, one per row.",
        ),
    ),
    _item(
        10,
        "Student societies and sport",
        _text("student_society", "Society", "A fraternity, sorority or similar club they joined."),
        _text("college_sports", "Sport at university", "Teams or sports they played as a student."),
    ),
    _item(
        11,
        "Other student activities",
        _multi(
            "college_activities",
            "Activities",
            "Other things they did at university, such as clubs, papers or music.",
        ),
    ),
    _item(
        12,
        "Without a degree",
        _yesno(
            "no_college_touchy",
            "Touchy about it",
            "If they did not go to university, whether that is a sore point.",
            sensitive=True,
        ),
        _multi(
            "no_college_instead",
            "What they did instead",
            "How they spent those years instead, such as work, travel or training.",
            sensitive=True,
        ),
    ),
    _item(
        13,
        "Military service",
        _text("military_service", "Service", "Branch and years, if they served in the forces."),
        _text("military_rank", "Rank", "The rank they reached."),
        _multi(
            "military_attitude",
            "Feelings about serving",
            "How they feel about having served, and whether they like to talk about it.",
            sensitive=True,
        ),
    ),
    # Family (14-20)
    _item(
        14,
        "Partner",
        _choice(
            "marital_status",
            "Relationship status",
            ("single", "married", "partnered", "divorced", "widowed"),
            "Their relationship status, if you know it for sure.",
            sensitive=True,
        ),
        _text(
            "spouse_name",
            "Partner's name",
            "The name of their spouse or partner.",
            sensitive=True,
        ),
    ),
    _item(
        15,
        "Partner's education",
        _text("spouse_education", "Partner's education", "Where their partner studied and what."),
    ),
    _item(
        16,
        "Partner's interests",
        _multi(
            "spouse_interests",
            "Partner's interests",
            "What their partner enjoys or is involved in.",
        ),
    ),
    _item(
        17,
        "Wedding anniversary",
        _date(
            "wedding_anniversary",
            "Anniversary",
            "The date of their wedding anniversary; the year may be left out.",
            reminder=Reminder.ANNIVERSARY,
        ),
    ),
    _item(
        18,
        "Children",
        _list(
            "children",
            "Children",
            (
                Column("name", "Name"),
                Column("birthday", "Birthday", FieldType.DATE, reminder=Reminder.CHILD_BIRTHDAY),
            ),
            "Each child's name and birthday, so you can ask after them by name.",
        ),
        _multi(
            "children_custody",
            "Custody",
            "Any custody arrangement that affects how you mention the children.",
            sensitive=True,
        ),
    ),
    _item(
        19,
        "Children's schooling",
        _multi(
            "children_education",
            "Schooling",
            "Where the children go to school or university, and what they study.",
        ),
    ),
    _item(
        20,
        "Children's interests and worries",
        _multi(
            "children_interests",
            "Interests",
            "What the children are into, such as sport, music or clubs.",
        ),
        _multi(
            "children_problems",
            "Worries",
            "Difficulties with the children the customer has mentioned.",
            sensitive=True,
        ),
    ),
    # Business background (21-34)
    _item(
        21,
        "Previous employers",
        _list(
            "earlier_employers",
            "Previous employers",
            (
                Column("company", "Company"),
                Column("place", "Place"),
                Column("dates", "Years"),
                Column("title", "Title"),
            ),
            "Where they worked before, with the years (e.g. 2009-2014) and their title.",
        ),
    ),
    _item(
        22,
        "Earlier roles here",
        _list(
            "earlier_positions",
            "Earlier roles",
            (Column("title", "Title"), Column("dates", "Years")),
            "Roles they held at their current company before the present one.",
        ),
    ),
    _item(
        23,
        "Office status symbols",
        _multi(
            "status_symbols",
            "Status symbols",
            "Things in their office they are proud of, such as awards, photos or trophies.",
        ),
    ),
    _item(
        24,
        "Professional bodies",
        _list(
            "associations",
            "Associations",
            (Column("name", "Association"), Column("office", "Office held")),
            "Trade or professional bodies they belong to, and any post they hold.",
        ),
    ),
    _item(
        25,
        "Mentors",
        _multi("mentors", "Mentors", "People who shaped their career and whom they admire."),
    ),
    _item(
        26,
        "Links to our company",
        _multi(
            "company_ties",
            "Links with us",
            "Past or present connections between them and our company.",
        ),
    ),
    _item(
        27,
        "State of those links",
        _multi(
            "company_ties_quality",
            "How the links stand",
            "Whether those connections are on good terms, and why.",
        ),
    ),
    _item(
        28,
        "Colleagues who know them",
        _simple_list(
            "company_contacts",
            "Our people who know them",
            "Colleague",
            "Others in our company who know the customer, one per row.",
        ),
    ),
    _item(
        29,
        "Nature of those contacts",
        _multi(
            "company_contacts_nature",
            "How they know each other",
            "How those colleagues know the customer and how well.",
        ),
    ),
    _item(
        30,
        "View of their employer",
        _multi(
            "employer_attitude",
            "View of their employer",
            "How they feel about the company they work for.",
        ),
    ),
    _item(
        31,
        "Long-term business aim",
        _multi(
            "business_goal_long",
            "Long-term aim",
            "Where they want to be in their career or business in a few years.",
        ),
    ),
    _item(
        32,
        "Current business aim",
        _multi(
            "business_goal_now",
            "Current aim",
            "What they are trying to get done at work right now.",
        ),
    ),
    _item(
        33,
        "Company or self",
        _choice(
            "main_concern",
            "Mostly looks after",
            ("the company", "their own career", "both equally"),
            "Whether their decisions lean towards the company's good or their own.",
        ),
        _multi(
            "main_concern_note",
            "Why you think so",
            "What you have seen that suggests this.",
        ),
    ),
    _item(
        34,
        "Now or later",
        _choice(
            "time_focus",
            "Focus",
            ("the present", "the future", "both"),
            "Whether they think mainly about today or about the years ahead.",
        ),
        _multi("time_focus_note", "Why", "What makes you think so."),
    ),
    # Special interests (35-40)
    _item(
        35,
        "Clubs and groups",
        _simple_list(
            "clubs",
            "Clubs and groups",
            "Club or group",
            "Clubs, service organisations and similar groups they belong to.",
        ),
    ),
    _item(
        36,
        "Politics",
        _yesno(
            "politically_active",
            "Politically active",
            "Whether they take an active part in politics.",
            sensitive=True,
        ),
        _text("political_party", "Party", "The party they support, if known.", sensitive=True),
        _text(
            "politics_importance",
            "How much it matters",
            "How important politics is to them.",
            sensitive=True,
        ),
    ),
    _item(
        37,
        "Community work",
        _yesno(
            "community_active",
            "Involved locally",
            "Whether they are active in their local community.",
        ),
        _multi(
            "community_involvement",
            "Involvement",
            "The causes, boards or volunteering they take part in.",
        ),
    ),
    _item(
        38,
        "Faith",
        _text("religion", "Religion", "Their faith, if they have shared it.", sensitive=True),
        _text(
            "religion_activity",
            "How observant",
            "How actively they practise it.",
            sensitive=True,
        ),
    ),
    _item(
        39,
        "Topics to avoid",
        _multi(
            "confidential_subjects",
            "Do not raise",
            "Subjects told in confidence that you must never bring up with them.",
            sensitive=True,
        ),
    ),
    _item(
        40,
        "Strong views",
        _multi(
            "strong_feelings",
            "Feels strongly about",
            "Subjects outside work they hold firm opinions on.",
            sensitive=True,
        ),
    ),
    # Lifestyle (41-58)
    _item(
        41,
        "Health",
        _multi(
            "health",
            "Health",
            "Health matters or medical history they have mentioned.",
            sensitive=True,
        ),
    ),
    _item(
        42,
        "Drinking",
        _yesno("drinks", "Drinks alcohol", "Whether they drink alcohol.", sensitive=True),
        _text(
            "drinks_what",
            "What and how much",
            "Their usual drink and roughly how much.",
            sensitive=True,
        ),
    ),
    _item(
        43,
        "Others drinking",
        _yesno(
            "minds_others_drinking",
            "Minds others drinking",
            "If they do not drink, whether they mind others drinking around them.",
            sensitive=True,
        ),
    ),
    _item(
        44,
        "Smoking",
        _yesno("smokes", "Smokes", "Whether they smoke."),
        _yesno(
            "minds_others_smoking",
            "Minds others smoking",
            "Whether smoking around them bothers them.",
        ),
    ),
    _item(
        45,
        "Favourite restaurants",
        _simple_list(
            "favourite_restaurants",
            "Places to eat",
            "Restaurant",
            "Where they like to go for lunch or dinner.",
        ),
    ),
    _item(
        46,
        "Favourite food",
        _simple_list("favourite_dishes", "Dishes", "Dish", "Food and dishes they enjoy."),
    ),
    _item(
        47,
        "Being taken out",
        _yesno(
            "objects_to_being_hosted",
            "Declines being treated",
            "Whether they object to being taken out for a meal on your account.",
        ),
    ),
    _item(
        48,
        "Hobbies",
        _simple_list("hobbies", "Hobbies", "Hobby", "What they do for fun in their free time."),
    ),
    _item(
        49,
        "Holidays",
        _multi(
            "vacation_habits",
            "Holidays",
            "Where and how they like to take time off.",
        ),
    ),
    _item(
        50,
        "Sports they follow",
        _simple_list(
            "spectator_sports",
            "Sports and teams",
            "Sport or team",
            "Sports they like to watch and the teams they support.",
        ),
    ),
    _item(
        51,
        "Cars",
        _text("cars", "Cars", "What they drive, or the car they dream of."),
    ),
    _item(
        52,
        "Favourite topics",
        _simple_list(
            "conversation_topics",
            "Enjoys talking about",
            "Topic",
            "Subjects that get them talking happily.",
        ),
    ),
    _item(
        53,
        "Who they want to impress",
        _multi(
            "wants_to_impress",
            "Wants to impress",
            "The people whose good opinion matters most to them.",
        ),
    ),
    _item(
        54,
        "How they want to be seen",
        _multi(
            "desired_image",
            "Wants to be seen as",
            "The impression they hope to make on those people.",
        ),
    ),
    _item(
        55,
        "In a few words",
        _simple_list(
            "describing_words",
            "Describing words",
            "Word",
            "Adjectives you would use to describe them.",
        ),
    ),
    _item(
        56,
        "Proudest achievement",
        _multi(
            "proudest_achievement",
            "Proudest of",
            "The accomplishment they are proudest of.",
        ),
    ),
    _item(
        57,
        "Long-term personal aim",
        _multi(
            "personal_goal_long",
            "Long-term aim",
            "What they hope to achieve in life outside work.",
        ),
    ),
    _item(
        58,
        "Current personal aim",
        _multi(
            "personal_goal_now",
            "Current aim",
            "A personal goal they are working on at the moment.",
        ),
    ),
    # The customer and you (59-66)
    _item(
        59,
        "Ethical concerns",
        _multi(
            "ethical_issues",
            "Ethical concerns",
            "Any moral or ethical questions that arise in dealing with them.",
            sensitive=True,
        ),
    ),
    _item(
        60,
        "Loyalties",
        _multi(
            "obligations",
            "Feels indebted to",
            "Whether they feel they owe you, your company or a competitor, and why.",
        ),
    ),
    _item(
        61,
        "Change our offer asks for",
        _yesno(
            "requires_habit_change",
            "Asks them to change",
            "Whether buying from you means breaking a habit or routine of theirs.",
        ),
        _multi(
            "habit_change_note",
            "What would change",
            "Which habit, and how you could ease the change.",
        ),
    ),
    _item(
        62,
        "Character",
        _choice(
            "character",
            "Mainly",
            ("values others' opinions", "self-focused", "strongly principled"),
            "The trait that best sums up how they weigh decisions.",
            sensitive=True,
        ),
    ),
    _item(
        63,
        "Their main problems",
        _multi(
            "key_problems",
            "Main problems",
            "The biggest problems they face, as they themselves see them.",
        ),
    ),
    _item(
        64,
        "Their management",
        _multi(
            "management_priorities",
            "Management's priorities",
            "What their own bosses care most about.",
        ),
        _multi(
            "management_conflicts",
            "Friction with management",
            "Where the customer and their management disagree.",
        ),
    ),
    _item(
        65,
        "How we can help",
        _yesno(
            "can_help",
            "We can help",
            "Whether you can help solve the problems noted above.",
        ),
        _multi("how_we_help", "How", "What you could do for them, concretely."),
    ),
    _item(
        66,
        "Competitor's insight",
        _yesno(
            "competitor_knows_better",
            "A competitor knows more",
            "Whether a competitor knows the answers on this profile better than you do.",
        ),
        _multi(
            "competitor_note",
            "Details",
            "Which competitor, and what you need to learn to catch up.",
        ),
    ),
)
