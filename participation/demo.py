"""A realistic Swedish demo event, made on first start through the normal operations."""

import secrets

import click
from sqlalchemy import select

from .accounts.models import User
from .accounts.operations import create_or_update_user, generate_password
from .backlog.models import Measure
from .backlog.operations import change_status, create_measure
from .demographics.models import PopulationGroup
from .demographics.operations import import_population
from .events.models import Event
from .events.operations import change_phase, create_event
from .extensions import db
from .proposals.operations import submit_proposal

FACILITATOR = "processledare@demo.umea.example"
REVIEWER = "projektgrupp@demo.umea.example"
TITLE = "Medborgarverkstad: hållbara vardagsresor"
PROMPT = "Hur gör vi det lättare att resa hållbart i vardagen?"
FOCUS = ["Modig mobilitet", "Bestående byggnation", "Smart samskapande", "Klokt klimatledarskap"]
PROPOSALS = [
    ("Belys cykelbanorna hela vintern",
     "Många cyklar inte när det är mörkt. Belysning och snöröjning före bilvägarna.", 0),
    ("Tätare bussar till universitetet",
     "Var tionde minut i rusningstid, så att fler studenter och anställda lämnar bilen.", 0),
    ("Pendlarparkering för samåkning vid infarterna",
     "Gratis parkering för den som samåker in till centrum.", 0),
    ("Reparationskaféer i varje stadsdel",
     "Laga cykeln, kläderna och elektroniken tillsammans i stället för att köpa nytt.", 2),
    ("Lånecyklar och lådcyklar vid bibliotek",
     "Låna en lådcykel för storhandlingen, som en bok.", 0),
    ("Bygg om gamla hus i stället för att riva",
     "Renovera och bygg på. Betong och stål står för stora utsläpp.", 1),
]


# Rough figures in the style of Umeå's and Borås's portfolios: tCO2e per year low–high, SEK.
MEASURES = [
    {"title": "Belysta cykelvägar vintertid", "focus_area": "Modig mobilitet",
     "owner": "Gatu- och parkförvaltningen", "reduction_low": 120, "reduction_high": 300,
     "investment_sek": 8_500_000, "yearly_cost_sek": 400_000, "time_frame": "2026–2028",
     "description": "LED-belysning och snöröjning först på huvudcykelstråken.",
     "co_benefits": "Tryggare stråk, bättre folkhälsa."},
    {"title": "Tätare busstrafik till universitetet", "focus_area": "Modig mobilitet",
     "owner": "Kollektivtrafiken", "reduction_low": 400, "reduction_high": 900,
     "investment_sek": 2_000_000, "yearly_cost_sek": 6_500_000, "time_frame": "2026–2027",
     "description": "Tiominuterstrafik i rusningstid på linjerna mot campus.",
     "co_benefits": "Mindre trängsel och bilköer."},
    {"title": "Samåkningsparkering vid infarterna", "focus_area": "Modig mobilitet",
     "owner": "Gatu- och parkförvaltningen", "reduction_low": 60, "reduction_high": 150,
     "investment_sek": 1_500_000, "yearly_cost_sek": 120_000, "time_frame": "2027",
     "description": "Avgiftsfria platser för bilar med minst två personer."},
    {"title": "Reparationscaféer i stadsdelarna", "focus_area": "Smart samskapande",
     "owner": "Fritidsförvaltningen", "reduction_low": 15, "reduction_high": 40,
     "investment_sek": 300_000, "yearly_cost_sek": 450_000, "time_frame": "2026–2030",
     "description": "Laga cyklar, kläder och elektronik tillsammans.",
     "co_benefits": "Möten mellan grannar, mindre avfall."},
    {"title": "Solceller på kommunens tak", "focus_area": "Bestående byggnation",
     "owner": "Umeå Energi", "reduction_low": 200, "reduction_high": 350,
     "investment_sek": 24_000_000, "yearly_cost_sek": 300_000, "time_frame": "2026–2029",
     "description": "Skolor, idrottshallar och förvaltningsbyggnader."},
]
# The status each demo measure has reached, in order.
MEASURE_STEPS = {0: ["assessing", "planned"], 1: ["assessing"], 3: ["assessing", "planned",
                                                                    "in_progress"]}


DEMO_POPULATION = """fråga;grupp;invånare
ålder;under 18;27000
ålder;18-29;30000
ålder;30-44;28000
ålder;45-64;30000
ålder;65-79;15000
ålder;80+;5000
stadsdel;Centrum;30000
stadsdel;Ersboda;12000
stadsdel;Holmsund;10000
stadsdel;Teg;20000
stadsdel;Ålidhem;15000
stadsdel;Övriga Umeå;48000
"""


@click.group("demo", help="The demo event.")
def demo_cli():
    pass


def _ensure_user(email: str, role: str) -> str | None:
    """Create the account if missing; the password is returned only when it was created."""
    if db.session.scalar(select(User).where(User.email == email)) is not None:
        return None
    password = generate_password()
    create_or_update_user(email, role, password)
    return password


@demo_cli.command("ensure")
def ensure():
    """Create the demo accounts and event unless they exist; print how to log in."""
    facilitator_password = _ensure_user(FACILITATOR, "facilitator")
    reviewer_password = _ensure_user(REVIEWER, "reviewer")
    facilitator = db.session.scalar(select(User).where(User.email == FACILITATOR))
    if db.session.scalar(select(Event.id).where(Event.created_by_id == facilitator.id)) is None:
        _make_event(facilitator)
    reviewer = db.session.scalar(select(User).where(User.email == REVIEWER))
    if db.session.scalar(select(Measure.id).limit(1)) is None:
        _make_measures(reviewer)
    if db.session.scalar(select(PopulationGroup.id).limit(1)) is None:
        # Made-up round figures, only so the demo's "who took part" has something to compare
        # with; a city imports its own statistics at /review/population.
        import_population(reviewer, DEMO_POPULATION.encode())
    click.echo("")
    click.echo("  Facilitator (processledare) login")
    click.echo(f"    e-mail:   {FACILITATOR}")
    if facilitator_password:
        click.echo(f"    password: {facilitator_password}   (shown once; keep it)")
        click.echo(f"  Reviewer (projektgrupp): {REVIEWER} / {reviewer_password}")
    else:
        click.echo("    password: shown on first start; to set a new one run")
        click.echo(f"      .venv/bin/flask --app wsgi users create {FACILITATOR} "
                   "--role facilitator --password NEW-PASSWORD")


def _make_event(facilitator):
    event = create_event(facilitator, TITLE, PROMPT, "medborgarverkstad",
                         {"method": "dots", "dots": 5, "max_per_proposal": 3}, FOCUS,
                         asks_demographics=True)
    change_phase(facilitator, event.id, "collect")
    areas = [f.id for f in event.focus_areas]
    for title, body, area in PROPOSALS:
        submit_proposal(event.id, secrets.token_urlsafe(32), title, body,
                        secrets.token_hex(16), focus_area_id=areas[area])
    return event


def _make_measures(reviewer):
    """Only when the backlog is empty: the demo never touches a real portfolio."""
    for index, fields in enumerate(MEASURES):
        measure_id = create_measure(reviewer, fields)["measure"]["id"]
        for status in MEASURE_STEPS.get(index, []):
            change_status(reviewer, measure_id, status)
