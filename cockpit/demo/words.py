"""The words the demo book is made of, and the bench's large book too: companies, names,
titles, what touches say, how often each kind of touch comes and how long it takes."""

from __future__ import annotations

from cockpit.vocabulary import Kind


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COMPANIES = (
    ("Northwind Logistics", "northwind.example"),
    ("Brightline Health", "brightline.example"),
    ("Crescent Foods", "crescentfoods.example"),
    ("Atlas Engineering", "atlas-eng.example"),
    ("Harbor & Vale", "harborvale.example"),
    ("Pinecrest Capital", "pinecrest.example"),
    ("Lumen Retail", "lumen.example"),
    ("Solace Hotels", "solacehotels.example"),
    ("Ridgeway Construction", "ridgeway.example"),
    ("Meridian Software", "meridian.example"),
    ("Bluewater Marine", "bluewater.example"),
    ("Oakfield Schools", "oakfield.example"),
)

FIRST_NAMES = words(
    "Amelia Ben Carla Daniel Elena Farid Grace Hugo Ines Jonas Keiko Liam Maya Nils Olivia "
    "Pedro Quinn Rosa Samir Tara Umar Vera Wei Ximena Yusuf Zoe Aaron Bianca Cyril Dana Emil "
    "Fatima Gregor Hana Ivan Julia Kofi Lena Marco Nadia"
)
LAST_NAMES = words(
    "Adler Brennan Castillo Dubois Eriksen Fischer Gallagher Haddad Ito Jensen Kowalski "
    "Lindqvist Moreau Novak O'Neill Petrov Quint Rossi Sato Tanaka Ueda Varga Whitaker Xu "
    "Yilmaz Zimmermann Abbott Bauer Costa Delgado Engel Ferreira García Hoffmann"
)
TITLES = (
    "Head of Procurement",
    "Operations Director",
    "CFO",
    "IT Manager",
    "Managing Partner",
    "VP Sales",
    "Facilities Manager",
    "Purchasing Lead",
    "COO",
    "Finance Director",
)

# Shared with the bench's book; the demo uses the first few of each.
HOMETOWNS = ("Lyon", "Leeds", "Porto", "Denver", "Osaka", "Kraków", "Cork", "Malmö", "Austin")


HOBBIES = (
    "sailing",
    "golf",
    "trail running",
    "jazz piano",
    "woodworking",
    "chess",
    "cycling",
    "birdwatching",
    "pottery",
    "climbing",
)


CHILDREN = ("Mia", "Noah", "Ella", "Leo", "Ava", "Finn", "Lily", "Oscar", "Nora", "Elias")


SPOUSES = ("Chris", "Sam", "Alex", "Robin", "Kim", "Jordan", "Charlie")


DEAL_WORDS = ("Annual contract", "Upgrade", "Renewal", "New site rollout", "Pilot")

SUMMARIES: dict[Kind, tuple[str, ...]] = {
    Kind.CALL: (
        "Checked in on the rollout; all fine.",
        "Talked through next quarter's volumes.",
        "Quick call about the invoice question.",
        "Called to congratulate on the new office.",
        "Discussed renewal terms.",
        "Walked through the new pricing.",
    ),
    Kind.MEETING: (
        "Quarterly business review at their office.",
        "Demo of the new module for the team.",
        "Lunch meeting; talked about their expansion plans.",
        "Workshop on next year's requirements.",
        "Renewal negotiation.",
    ),
    Kind.EMAIL: (
        "Sent the proposal for the upgrade.",
        "Shared an article on their industry.",
        "Followed up on the open quote.",
        "Sent the meeting notes and next steps.",
        "Introduced our new support lead.",
    ),
    Kind.MESSAGE: (
        "Texted good luck for the trade fair.",
        "Quick message about the delivery date.",
        "Sent a photo from the conference.",
    ),
    Kind.HANDWRITTEN_NOTE: (
        "Thank-you card after the renewal.",
        "Birthday card.",
        "Note of congratulations on the promotion.",
    ),
    Kind.GIFT: (
        "Sent a book on negotiation they mentioned.",
        "Holiday hamper.",
        "Tickets to the match.",
    ),
    Kind.EVENT: (
        "Golf day with the team.",
        "Invited to our customer evening.",
        "Industry dinner together.",
    ),
    Kind.REFERRAL_ASKED: ("Asked whether a peer at another firm could use us.",),
    Kind.REFERRAL_RECEIVED: ("Introduced us to a contact at a partner firm.",),
    Kind.REFERRAL_GIVEN: (
        "Introduced them to a recruiter they needed.",
        "Passed on a lead for their business.",
    ),
    Kind.NOTE: (
        "Internal: budget decision expected in spring.",
        "Internal: prefers calls before 10am.",
        "Internal: new decision maker joining next month.",
    ),
}


KIND_WEIGHTS: tuple[tuple[Kind, int], ...] = (
    (Kind.CALL, 30),
    (Kind.EMAIL, 24),
    (Kind.MEETING, 15),
    (Kind.MESSAGE, 10),
    (Kind.HANDWRITTEN_NOTE, 5),
    (Kind.GIFT, 3),
    (Kind.EVENT, 4),
    (Kind.REFERRAL_ASKED, 3),
    (Kind.REFERRAL_RECEIVED, 2),
    (Kind.REFERRAL_GIVEN, 4),
)


DURATIONS: dict[Kind, tuple[int, int]] = {
    Kind.CALL: (5, 45),
    Kind.MEETING: (30, 120),
    Kind.EMAIL: (5, 20),
    Kind.MESSAGE: (1, 5),
    Kind.HANDWRITTEN_NOTE: (10, 15),
    Kind.GIFT: (15, 40),
    Kind.EVENT: (120, 240),
    Kind.REFERRAL_ASKED: (5, 15),
    Kind.REFERRAL_RECEIVED: (5, 10),
    Kind.REFERRAL_GIVEN: (10, 30),
}
