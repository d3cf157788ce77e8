"""Who the bench's clients are: names, companies, lifecycles and dates, and how many
touches and deals each gets, decided with one seeded `random.Random`."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from cockpit.demo.words import words
from cockpit.vocabulary import Lifecycle

SEED = 66_000

FIRST_NAMES = words(
    "Aaron Abigail Adrian Aisha Alba Alejandro Amara Amelia Anders Andrea Anika Arjun Astrid "
    "Beatriz Ben Bianca Björn Camille Carla Carmen Chiara Chloé Cyril Dana Daniel Dario Dmitri "
    "Elena Elif Emil Emma Erik Esther Fatima Farid Felix Fiona Gabriel Grace Gregor Hana Hannah "
    "Hugo Ines Ingrid Isaac Ivan Jana Javier Jonas José Julia Kai Karim Keiko Kofi Lars Laura "
    "Lena Liam Lucía Luca Łukasz Maja Marco Maria Mateo Maya Mei Mika Nadia Niamh Nils Noah "
    "Olivia Omar Oscar Paula Pedro Priya Quinn Rafael Rania Rosa Ruth Samir Sara Sean Sofia "
    "Søren Tara Teodor Theo Umar Valentina Vera Viktor Wei William Ximena Yara Yusuf Zara Zoë"
)


LAST_NAMES = words(
    "Abbott Adler Afolabi Almeida Andersson Bauer Becker Bianchi Brennan Brown Castillo Chen "
    "Costa Dąbrowski Delgado Dubois Dupont Eriksen Engel Fernández Ferreira Fischer Gallagher "
    "García Gonzalez Haddad Hansen Hoffmann Horvat Ito Ivanova Jensen Johansson Kaya Kim "
    "Kowalski Kumar Larsen Lefèvre Lindqvist Lopez Mahmoud Martin Meyer Moreau Müller Murphy "
    "Nakamura Nguyen Novak Nowak O'Brien O'Neill Okafor Olsen Papadopoulos Park Patel Pereira "
    "Petrov Popescu Quint Ramos Rossi Russo Sánchez Sato Schmidt Schneider Silva Smith Suzuki "
    "Svensson Tanaka Taylor Thompson Ueda Varga Vasquez Virtanen Wagner Walsh Weber Whitaker "
    "Wilson Wójcik Xu Yamamoto Yilmaz Young Zhang Zimmermann Żukowski"
)


COMPANY_WORDS = words(
    "Northwind Brightline Crescent Atlas Harbor Pinecrest Lumen Solace Ridgeway Meridian "
    "Bluewater Oakfield Silverline Summit Keystone Evergreen Redwood Ironbridge Clearwater "
    "Granite Horizon Lighthouse Maple Nimbus Orchard Pioneer Quarry Riverside Sterling Tidewater "
    "Upland Vanguard Westbrook Yellowpine Zenith Beacon Cobalt Driftwood Ember Falcon"
)


COMPANY_KINDS = words(
    "Logistics Health Foods Engineering Capital Retail Hotels Construction Software Marine "
    "Schools Pharma Energy Insurance Media Textiles Robotics Aviation Analytics Partners"
)


COMPANY_ENDINGS = ("", " Group", " Ltd", " & Co", " International", " Partners", " Holdings")


@dataclass
class Person:
    name: str
    company: str
    domain: str
    lifecycle: Lifecycle
    start: date  # first touch possible
    last: date  # the last touch, when it has any
    won: date | None = None
    touches: int = 0
    deals: int = 0


def ascii_name(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(char for char in bare.lower() if char.isalnum() or char == ".")


def choose_companies(rng: random.Random, count: int) -> list[tuple[str, str]]:
    pairs = [(word, kind) for word in COMPANY_WORDS for kind in COMPANY_KINDS]
    rng.shuffle(pairs)
    chosen = []
    for index in range(count):
        word, kind = pairs[index % len(pairs)]
        round_ = index // len(pairs)
        ending = COMPANY_ENDINGS[round_] if round_ < len(COMPANY_ENDINGS) else f" {round_}"
        domain = f"{ascii_name(word + kind + ending.replace('&', 'and'))}.example"
        chosen.append((f"{word} {kind}{ending}", domain))
    return chosen


def days_between(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def choose_people(rng: random.Random, count: int, today: date) -> list[Person]:
    companies = choose_companies(rng, max(12, count // 5))
    people = []
    for _ in range(count):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        company, domain = rng.choice(companies)
        roll = rng.random()
        if roll < 0.13:
            start = today - timedelta(days=rng.randint(30, 400))
            person = Person(name, company, domain, Lifecycle.PROSPECT, start, today)
            person.last = days_between(rng, start, today)
        elif roll < 0.21:
            won = today - timedelta(days=rng.randint(800, 2500))
            start = won - timedelta(days=rng.randint(0, 60))
            last = days_between(rng, won + timedelta(days=30), today - timedelta(days=400))
            person = Person(name, company, domain, Lifecycle.FORMER, start, last, won)
        else:
            won = today - timedelta(days=rng.randint(20, 1500))
            start = won - timedelta(days=rng.randint(0, 90))
            if rng.random() < 0.22:  # drifting: quiet for months
                last = today - timedelta(days=rng.randint(60, 500))
                last = max(last, won + timedelta(days=10))
            else:
                last = today - timedelta(days=rng.randint(0, 25))
            person = Person(name, company, domain, Lifecycle.ACTIVE, start, min(last, today), won)
        people.append(person)
    return people


def share(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """`total` items spread over len(weights) buckets, by weight (a multinomial draw)."""
    counts = [0] * len(weights)
    if total and weights and sum(weights) > 0:
        for index in rng.choices(range(len(weights)), weights=weights, k=total):
            counts[index] += 1
    return counts


def plan_people(rng: random.Random, clients: int, touches: int, today: date) -> list[Person]:
    """Who the clients are, and how many touches and deals each gets."""
    people = choose_people(rng, clients, today)
    factor = {Lifecycle.PROSPECT: 0.5, Lifecycle.FORMER: 0.6, Lifecycle.ACTIVE: 1.0}
    touch_weights = [rng.lognormvariate(0, 0.8) * factor[p.lifecycle] for p in people]
    for person, count in zip(people, share(rng, touches, touch_weights), strict=True):
        person.touches = count
    won = [p for p in people if p.won is not None]
    deals = 3 * clients
    firsts = min(len(won), deals)  # the first deal of a client falls on its won date
    for person in won[:firsts]:
        person.deals = 1
    extra = share(rng, deals - firsts, [rng.lognormvariate(0, 0.7) for _ in won])
    for person, count in zip(won, extra, strict=True):
        person.deals += count
    return people
