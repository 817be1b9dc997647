"""Demo data for the figures' charts (issue 19): a year of proposals answered, some late, some accepted, so each
institution's months differ. Made through the cases' services with the clock moved back, as staff would have
answered them on those days (the answers are in the public log like any other)."""
from datetime import datetime, timedelta

from participation.cases import services as cases
from participation.cases.models import Channel, Position
from participation.clock import riga_to_utc, riga_today, set_fixed_now, utcnow
from participation.institutions.charts import month_starts

TOPICS = ("Apgaismojums autobusa pieturā", "Gājēju pāreja pie skolas", "Atkritumu konteineri daudzdzīvokļu mājai",
          "Soliņi parkā", "Bedrītes ielā pie veikala", "Velosipēdu statīvi pie bibliotēkas", "Rotaļu laukuma remonts",
          "Autobusa kustības saraksts brīvdienās", "Koku zāģēšana pie kapsētas", "Suņu pastaigu laukums")
POSITIONS = (Position.ACCEPTED, Position.NOT_ACCEPTED, Position.PARTLY_ACCEPTED, Position.NOTED, Position.ACCEPTED)
ANSWERS = {
    Position.ACCEPTED: "Paldies, priekšlikumu īstenosim šogad.",
    Position.PARTLY_ACCEPTED: "Daļēji atbalstām: darbus iekļausim nākamā gada plānā.",
    Position.NOT_ACCEPTED: "Diemžēl šogad tam nav līdzekļu budžetā.",
    Position.NOTED: "Pieņemam zināšanai un ņemsim vērā, plānojot darbus.",
}


def seed_history(answering: list[tuple], residents: list) -> None:
    """`answering`: (institution, responder, pace) — pace sets how quickly (in calendar days) it usually answers."""
    months = month_starts(riga_today())[:-1]  # the months before this one
    now = utcnow()
    serial = 0
    try:
        for index, (institution, responder, pace) in enumerate(answering):
            for month_number, month in enumerate(months):
                for k in range(1 + (month_number + index) % 2):
                    serial += 1
                    received = riga_to_utc(datetime(month.year, month.month, 3 + 7 * k, 9, 0))
                    set_fixed_now(received)
                    case = cases.open_case(institution, Channel.PROPOSAL, f"{TOPICS[serial % len(TOPICS)]} ({serial})",
                                           raised_by=residents[serial % len(residents)], received_at=received)
                    late = (serial + month_number) % (4 + index) == 0
                    delay = pace + (serial % 5) + (16 if late else 0)
                    set_fixed_now(min(received + timedelta(days=delay, hours=3), now - timedelta(hours=1)))  # never ahead
                    position = POSITIONS[(serial + index) % len(POSITIONS)]
                    cases.answer_case(case, responder, position, ANSWERS[position])
    finally:
        set_fixed_now(None)
