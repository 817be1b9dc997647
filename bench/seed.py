"""Fill a migrated PostgreSQL database with a national-scale load, fast: set-based INSERT ... SELECT FROM
generate_series (never one ORM object at a time), then the counters, the sequences and VACUUM ANALYZE.

At scale 1: 50 institutions, 200,000 residents, 2,000 consultations with 1,000,000 comments in all (consultation 1
has 10,000 top-level comments on 40 sections, all answered: a 10,000-row summary table), 100,000 proposals with
2,000,000 supports (proposal 1 has 10,000), 300,000 cases in every state with their responses. `scale` shrinks or
grows every number (with small minimums so every page has something to show).

Ids are laid out in fixed ranges (users: staff 1..I, residents after; case ids: proposals' first), so the SQL
needs no lookups; every insert names its columns, and columns added later get their server defaults.
"""
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from participation.text import POLICY

STAFF_PASSWORD = "bench-parole-2026"


def HTML(expr: str) -> str:
    """The HTML the sanitiser stores for a seeded text, and its policy: every seeded text is plain sentences (no
    markup, links or line breaks), so one paragraph (tests/test_bench.py checks every row against `sanitise`)."""
    return f"'<p>' || {expr} || '</p>', {POLICY}"
BASE_URL = "https://lidzdaliba.example"

SENTENCES = [
    "Ierosinu precizēt šo punktu, jo pašreizējā redakcijā nav skaidrs, kurš atbild par izpildi.",
    "Lūdzu paredzēt pārejas periodu vismaz sešus mēnešus, lai iedzīvotāji un uzņēmumi varētu sagatavoties.",
    "Noteikumos trūkst atsauces uz attiecīgo likuma pantu, tāpēc regulējums var tikt apstrīdēts.",
    "Atbalstu grozījumus, taču termiņi ir pārāk īsi mazajām pašvaldībām ar nelielu administrāciju.",
    "Iesaku papildināt ar prasību publicēt datus mašīnlasāmā formātā, lai tos var atkalizmantot.",
    "Šis punkts nesamērīgi ierobežo senioru un cilvēku ar invaliditāti piekļuvi pakalpojumam.",
    "Būtu jānorāda, kā tiks vērtēta ietekme uz vidi un kas veiks uzraudzību pēc ieviešanas.",
    "Izmaksu aprēķins anotācijā neatbilst šeit paredzētajam pienākumu apjomam.",
    "Priekšlikums: ieviest elektronisku pieteikšanos, nevis prasīt ierasties klātienē.",
    "Jauniešu dome uzskata, ka lēmumā jāiekļauj jauniešu pārstāvis uzraudzības padomē.",
    "Lūdzu skaidrot terminu, jo tas tiek lietots atšķirīgi dažādos normatīvajos aktos.",
    "Nepieciešams paredzēt finansējumu, citādi prasības paliks tikai uz papīra.",
]
ANSWERS = [
    "Paldies par priekšlikumu. Tas ir ņemts vērā, un attiecīgais punkts ir precizēts nākamajā redakcijā.",
    "Priekšlikums daļēji ņemts vērā: pārejas periods pagarināts līdz trim mēnešiem.",
    "Priekšlikums nav ņemts vērā, jo tas ir pretrunā ar likumā noteikto kārtību.",
    "Informācija pieņemta zināšanai; jautājums tiks vērtēts, izstrādājot budžetu nākamajam gadam.",
    "Paldies, šis jautājums jau ir atrisināts ar iepriekšējiem grozījumiem.",
]
TITLES = [
    "Apgaismojums gājēju celiņam", "Jauns rotaļu laukums skolas pagalmā", "Velojoslas gar galveno ielu",
    "Sabiedriskā transporta reisi vakaros", "Suņu pastaigu laukums parkā", "Bezmaksas pusdienas vidusskolā",
    "Soliņi un atkritumu urnas promenādē", "Skeitparka atjaunošana", "Ātruma valnis pie bērnudārza",
    "Vasaras darbs jauniešiem", "Peldvietas labiekārtošana", "Bibliotēkas darba laika pagarināšana",
]
TERRITORIES = ["Rīga", "Daugavpils", "Liepāja", "Jelgava", "Rēzeknes novads", "Valmieras novads", "Cēsu novads", "Ogres novads"]
TOPICS = [" transport ", " youth education ", " environment ", " social health ", " culture sport ", " housing ", " safety "]
POLICY_AREAS = ["governance", "regional", "environment", "transport", "education", "social", "health", "culture", "economy", "digital"]
KINDS = ["law_draft", "cabinet_regulation", "municipal_regulation", "development_plan", "other"]


@dataclass(frozen=True)
class Sizes:
    institutions: int
    residents: int
    groups: int
    consultations: int
    big_comments: int
    comments: int
    proposals: int
    big_supports: int
    supports: int
    cases: int
    feedback: int

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        def n(value, minimum):
            return max(minimum, int(round(value * scale)))

        residents = n(200_000, 300)
        return cls(
            institutions=n(50, 3), residents=residents, groups=n(200, 3), consultations=n(2_000, 21),
            big_comments=n(10_000, 60), comments=n(1_000_000, 600), proposals=n(100_000, 40),
            big_supports=min(residents - 1, n(10_000, 30)), supports=n(2_000_000, 200), cases=n(300_000, 120),
            feedback=n(100_000, 60),
        )


@dataclass
class Seeded:
    """What the benchmark measures, found in the seeded data."""

    sizes: dict
    counts: dict
    seconds: float
    institution_slug: str
    staff_user_id: int
    big_consultation_id: int
    big_section_id: int
    closed_consultation_id: int
    big_proposal_id: int
    extra_pages: list = field(default_factory=list)  # [(name, path)] of other channels' seeding (co-creation)


def seed(engine: sa.Engine, scale: float = 1.0, log=print) -> Seeded:
    """Fill the (freshly migrated, empty) database; returns the ids of what the pages show."""
    s = Sizes.at(scale)
    started = time.perf_counter()
    now = datetime.utcnow().replace(microsecond=0)
    password_hash = generate_password_hash(STAFF_PASSWORD)
    params = dict(
        now=now, I=s.institutions, R=s.residents, G=s.groups, C=s.consultations, BIG=s.big_comments, P=s.proposals,
        BIGSUP=s.big_supports, pw=password_hash, sentences=SENTENCES, answers=ANSWERS, titles=TITLES,
        territories=TERRITORIES, topics=TOPICS, areas=POLICY_AREAS, kinds=KINDS, base=BASE_URL,
    )
    with engine.begin() as db:
        try:  # as a superuser: skip the foreign-key triggers while loading (every id is made consistent here)
            with db.begin_nested():
                db.exec_driver_sql("SET LOCAL session_replication_role = replica")
        except sa.exc.DBAPIError:
            pass
        db.exec_driver_sql("SET LOCAL synchronous_commit = off")
        db.exec_driver_sql("SET LOCAL work_mem = '64MB'")

        def run(label, sql, **extra):
            t = time.perf_counter()
            sql = re.sub(r"\(:(sentences|answers|titles|territories|topics|areas|kinds)\)", r"(CAST(:\1 AS text[]))", sql)
            sql = sql.replace(":now", "CAST(:now AS timestamp)")
            result = db.execute(sa.text(sql), {**params, **extra})
            log(f"  {label}: {result.rowcount if result.rowcount is not None else ''} rows, {time.perf_counter() - t:.1f} s")
            return result

        _people(run)
        _consultations(run, s)
        _comments(run, s)
        _cases_and_proposals(run, s)
        _responses(run)
        _supports(run, s)
        _feedback(run, s)
        _counters_and_sequences(run)
        picked = db.execute(sa.text(PICK_SQL), params).one()
        counts = {table: db.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() for table in (
            "institutions", "users", "consultations", "sections", "comments", "proposals", "supports", "cases", "responses",
            "feedback")}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        t = time.perf_counter()
        db.exec_driver_sql("VACUUM ANALYZE")
        log(f"  vacuum analyze: {time.perf_counter() - t:.1f} s")
    return Seeded(
        sizes=asdict(s), counts=counts, seconds=round(time.perf_counter() - started, 1), institution_slug="iestade-1",
        staff_user_id=1, big_consultation_id=1, big_section_id=picked.section_id, closed_consultation_id=picked.closed_id,
        big_proposal_id=1,
    )


# A pseudo-random number in [0, 1) from an integer, the same on every run (no setseed needed).
def _u(expr: str, salt: int = 0) -> str:
    return f"((({expr}) * 2654435761 + {salt * 97 + 12345}) % 1000003) / 1000003.0"


def _people(run):
    run("institutions", """
        INSERT INTO institutions (id, slug, name, kind, description, website, created_at)
        SELECT g, 'iestade-' || g,
               CASE WHEN g % 5 = 1 THEN 'Ministrija ' ELSE 'Pašvaldība ' END || g,
               CASE WHEN g % 5 = 1 THEN 'ministry' WHEN g % 5 = 2 THEN 'agency' ELSE 'municipality' END,
               'Iestāde ' || g || ' sadarbojas ar iedzīvotājiem.', 'https://iestade' || g || '.example', :now - interval '3 years'
        FROM generate_series(1::bigint, :I) g""")
    run("users", """
        INSERT INTO users (id, email, display_name, password_hash, locale, email_verified_at, is_moderator, is_admin,
                           session_version, created_at)
        SELECT g,
               CASE WHEN g <= :I THEN 'staff' || g ELSE 'resident' || (g - :I) END || '@bench.example',
               CASE WHEN g <= :I THEN 'Darbinieks ' || g ELSE
                 (ARRAY['Anna','Jānis','Līga','Pēteris','Elza','Mārtiņš','Ilze','Andris'])[1 + g % 8] || ' ' ||
                 (ARRAY['Bērziņa','Ozols','Kalniņa','Kalējs','Krūmiņa','Liepiņš','Zariņa','Vītols'])[1 + (g / 8) % 8] END,
               :pw, CASE WHEN g % 10 = 0 THEN 'en' ELSE 'lv' END, :now - interval '1 year', false, false, 1,
               :now - (g % 700) * interval '1 day'
        FROM generate_series(1::bigint, :I + :R) g""")
    run("memberships", """
        INSERT INTO memberships (user_id, institution_id, role, created_at)
        SELECT g, g, 'admin', :now - interval '2 years' FROM generate_series(1::bigint, :I) g""")
    run("groups", """
        INSERT INTO groups (id, slug, name, name_key, kind, description, leader_id, created_at)
        SELECT g, 'grupa-' || g, (ARRAY['Jauniešu dome','Biedrība','Iedzīvotāju padome'])[1 + g % 3] || ' ' || g,
               (ARRAY['jauniesu dome','biedriba','iedzivotaju padome'])[1 + g % 3] || ' ' || g,
               (ARRAY['youth_council','ngo','residents_council'])[1 + g % 3], 'Grupa ' || g, :I + g, :now - interval '1 year'
        FROM generate_series(1::bigint, :G) g""")
    run("group members", """
        INSERT INTO group_members (group_id, user_id, status, requested_at, approved_at)
        SELECT g, :I + g + k * :G, CASE WHEN k = 5 THEN 'pending' ELSE 'approved' END, :now - interval '300 days',
               CASE WHEN k = 5 THEN NULL ELSE :now - interval '299 days' END
        FROM generate_series(1::bigint, :G) g, generate_series(0, 5) k WHERE :I + g + k * :G <= :I + :R""")
    run("proposal settings", """
        INSERT INTO proposal_settings (institution_id, support_threshold, collection_days)
        SELECT g, 1000, 90 FROM generate_series(1::bigint, :I) g WHERE g % 3 = 0""")


def _consultations(run, s: Sizes):
    # Consultation 1: the large one, closed 20 days ago, every comment answered. Of the rest (by id modulo 20):
    # 0 an unpublished draft, 1 scheduled, 10-13 closed (over the past 300 days), the others open now.
    run("consultations", """
        INSERT INTO consultations (id, institution_id, title, kind, policy_area, territory, official_name, official_contact,
                                   problem, goal, summary, opens_at, closes_at, published_at, cases_opened_at,
                                   created_by_id, created_at)
        SELECT g, inst, 'Noteikumu projekts Nr. ' || g || ': ' || (:titles)[1 + g % 12], (:kinds)[1 + g % 5],
               (:areas)[1 + g % 10], (:territories)[1 + g % 8], 'Inese Kļava', 'inese.klava@iestade.example',
               (:sentences)[1 + g % 12] || ' ' || (:sentences)[1 + (g + 3) % 12], (:sentences)[1 + (g + 5) % 12],
               'Īsumā: ' || (:sentences)[1 + (g + 7) % 12], opens, closes, CASE WHEN state = 'draft' THEN NULL ELSE opens - interval '1 day' END,
               CASE WHEN state = 'closed' THEN closes + interval '1 minute' END, inst, :now - interval '400 days'
        FROM (
            SELECT g, CASE WHEN g = 1 OR g % 10 = 0 THEN 1 ELSE 1 + g % :I END AS inst, st.state,
                   CASE st.state WHEN 'draft' THEN NULL WHEN 'scheduled' THEN date_trunc('day', :now) + interval '5 days'
                        WHEN 'closed' THEN cl - interval '30 days' ELSE date_trunc('day', :now) - (1 + g % 25) * interval '1 day' END AS opens,
                   CASE st.state WHEN 'draft' THEN NULL WHEN 'scheduled' THEN date_trunc('day', :now) + interval '40 days 21:59:59'
                        WHEN 'closed' THEN cl ELSE date_trunc('day', :now) + (1 + g % 30) * interval '1 day' + interval '21:59:59' END AS closes
            FROM generate_series(1::bigint, :C) g,
                 LATERAL (SELECT CASE WHEN g = 1 THEN 'closed' WHEN g % 20 = 0 THEN 'draft' WHEN g % 20 = 1 THEN 'scheduled'
                                      WHEN g % 20 BETWEEN 10 AND 13 THEN 'closed' ELSE 'open' END AS state,
                                 date_trunc('day', :now) - (CASE WHEN g = 1 THEN 20 ELSE 1 + (g * 13) % 300 END) * interval '1 day'
                                   + interval '21:59:59' AS cl) st
        ) c""")
    # Version 1 of every consultation (id = consultation id); the large one also has version 2 (id C + 1).
    run("draft versions", """
        INSERT INTO draft_versions (id, consultation_id, number, note, published_at, created_at)
        SELECT g, g, 1, '', c.published_at, :now - interval '400 days' FROM generate_series(1::bigint, :C) g JOIN consultations c ON c.id = g
        UNION ALL SELECT :C + 1, 1, 2, 'Precizēta redakcija pēc apspriešanas.', :now - interval '5 days', :now - interval '5 days'""")
    # Sections: 1..40 of the large one, then 10 per other consultation, then the large one's version 2.
    run("sections", """
        INSERT INTO sections (id, version_id, position, number, heading, text)
        SELECT id, version_id, position, CASE WHEN position % 8 = 0 THEN '' ELSE position || '.' END,
               CASE WHEN position % 8 = 0 THEN (position / 8 + 1) || '. nodaļa. Vispārīgie jautājumi' ELSE '' END,
               (:sentences)[1 + id % 12] || ' ' || (:sentences)[1 + (id * 7) % 12]
        FROM (
            SELECT g AS id, 1 AS version_id, g - 1 AS position FROM generate_series(1, 40) g
            UNION ALL SELECT 40 + (c - 2) * 10 + k + 1, c, k FROM generate_series(2, :C) c, generate_series(0, 9) k
            UNION ALL SELECT 40 + (:C - 1) * 10 + g, :C + 1, g - 1 FROM generate_series(1, 40) g
        ) x""")


def _comments(run, s: Sizes):
    others = s.comments - s.big_comments - s.big_comments // 20
    top_level = int(others * 0.8)
    replies = others - top_level + s.big_comments // 20
    # Consultations that take comments (open or closed, not the large one), numbered 0..E-1.
    run("commentable", """
        CREATE TEMP TABLE commentable ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id, opens_at, LEAST(closes_at, :now - interval '1 hour') AS until,
               40 + (id - 2) * 10 + 1 AS first_section
        FROM consultations WHERE id > 1 AND opens_at IS NOT NULL AND opens_at < :now""")
    run("comments on the large consultation", f"""
        INSERT INTO comments (consultation_id, section_id, parent_id, author_id, group_id, represents, show_name, text, created_at,
                              text_html, html_policy)
        SELECT *, {HTML('text')} FROM (
        SELECT 1, CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + (g * 7) % 40 END, NULL::bigint, :I + 1 + (g * 7919) % :R,
               CASE WHEN g % 50 = 0 THEN 1 + g % :G END, CASE WHEN g % 17 = 0 THEN 'Biedrība Zaļā josta' ELSE '' END,
               g % 9 <> 0, (:sentences)[1 + g % 12] || ' ' || (:sentences)[1 + (g / 12) % 12] || ' (' || g || ')' AS text,
               c.opens_at + (c.closes_at - c.opens_at) * {_u('g')}
        FROM generate_series(1::bigint, :BIG) g, consultations c WHERE c.id = 1 ORDER BY 9) x""")
    run("top-level comments", f"""
        INSERT INTO comments (consultation_id, section_id, parent_id, author_id, group_id, represents, show_name, text, created_at,
                              text_html, html_policy)
        SELECT *, {HTML('text')} FROM (
        SELECT c.id, CASE WHEN g % 8 = 0 THEN NULL ELSE c.first_section + g % 10 END, NULL::bigint, :I + 1 + (g * 7919) % :R,
               CASE WHEN g % 50 = 0 THEN 1 + g % :G END, '', g % 9 <> 0,
               (:sentences)[1 + g % 12] || ' ' || (:sentences)[1 + (g / 12) % 12] || ' (' || g || ')' AS text,
               c.opens_at + (c.until - c.opens_at) * {_u('g', 1)}
        FROM generate_series(1::bigint, :N) g
        JOIN commentable c ON c.rn = floor((SELECT count(*) FROM commentable) * power({_u('g', 2)}, 1.6))
        ORDER BY 9) x""", N=top_level)
    run("replies", f"""
        INSERT INTO comments (consultation_id, section_id, parent_id, author_id, group_id, represents, show_name, text, created_at,
                              text_html, html_policy)
        SELECT p.consultation_id, p.section_id, p.id, :I + 1 + (g * 104729) % :R, NULL, '', true,
               'Piekrītu. ' || (:sentences)[1 + g % 12], p.created_at + interval '3 hours',
               {HTML("'Piekrītu. ' || (:sentences)[1 + g % 12]")}
        FROM generate_series(1::bigint, :N) g JOIN comments p ON p.id = 1 + (g * 7919) % (:BIG + :T)
        WHERE p.parent_id IS NULL""", N=replies, T=top_level)


def _case_state(h: str, age_days: str) -> str:
    """Spread cases over every state by a hash `h` (0..19) and the age in days of the case."""
    return f"""CASE WHEN {h} < 12 AND {age_days} >= 7 THEN 'answered' WHEN {h} = 12 AND {age_days} >= 7 THEN 'not_examined'
                    WHEN {h} = 13 THEN 'extended' WHEN {h} = 14 THEN 'forwarded'
                    WHEN {age_days} > 120 THEN 'answered' ELSE 'open' END"""


def _cases_and_proposals(run, s: Sizes):
    # Proposal cases: id = proposal id (1..P). Institution 1 (a ministry) gets a tenth of everything.
    run("proposal cases", f"""
        INSERT INTO cases (id, institution_id, channel, title, body, item_url, raised_by_id, raised_by_group_id, offline_submitter, received_at,
                           rule_code, due_on, state, is_private, submitter_hidden, extended_once, forwarded_from_id,
                           forwarded_at, answered_at, position, implemented_on, working_days_to_answer, answered_in_time, created_at)
        SELECT g, inst, 'proposal', (:titles)[1 + g % 12] || ' (' || g || ')', '', :base || '/proposals/' || g,
               :I + 1 + (g * 31) % :R, CASE WHEN g % 40 = 0 THEN 1 + g % :G END, '', received, 'submission_answer',
               received::date + CASE WHEN state = 'extended' THEN 60 ELSE 30 END, state, g % 100 = 99, false, state = 'extended',
               CASE WHEN state = 'forwarded' THEN 1 + (inst % :I) END, CASE WHEN state = 'forwarded' THEN received + interval '2 days' END,
               CASE WHEN state = 'answered' THEN LEAST(received + days * interval '1 day', :now - interval '1 hour') END,
               CASE WHEN state = 'answered' THEN (ARRAY['answered','accepted','partly_accepted','not_accepted','noted'])[1 + (g / 20) % 5] END,
               CASE WHEN state = 'answered' AND (g / 20) % 5 = 1 AND g % 3 = 0 THEN (received + (days + 20) * interval '1 day')::date END,
               CASE WHEN state = 'answered' THEN (days * 5) / 7 END, CASE WHEN state = 'answered' THEN days <= 30 END, received
        FROM (SELECT g, CASE WHEN g = 1 OR g % 10 = 0 THEN 1 ELSE 1 + g % :I END AS inst,
                     :now - (1 + (g * 37) % 365) * interval '1 day' - (g % 24) * interval '1 hour' AS received,
                     1 + (g * 13) % 40 AS days, {_case_state('g % 20', '(1 + (g * 37) % 365)')} AS state
              FROM generate_series(1::bigint, :P) g) x""")
    run("proposals", f"""
        INSERT INTO proposals (id, institution_id, author_id, group_id, title, problem, solution, benefit, territory, topics,
                               status, moderation, submitted_at, collect_until, support_threshold, case_id, merged_into_id,
                               created_at, updated_at, case_awaiting, case_due_on, problem_html, solution_html, benefit_html,
                               html_policy)
        SELECT *, '<p>' || problem || '</p>', '<p>' || solution || '</p>', '<p>' || benefit || '</p>', {POLICY} FROM (
        SELECT c.id, c.institution_id, c.raised_by_id, c.raised_by_group_id, c.title,
               (:sentences)[1 + c.id % 12] || ' ' || (:sentences)[1 + (c.id / 12) % 12] AS problem, (:sentences)[1 + (c.id + 4) % 12] AS solution,
               (:sentences)[1 + (c.id + 8) % 12] AS benefit, (:territories)[1 + c.id % 8], (:topics)[1 + c.id % 7], 'submitted',
               CASE WHEN c.is_private THEN 'pending' ELSE 'approved' END, c.received_at, NULL::date, NULL::int, c.id, NULL::bigint,
               c.received_at - interval '1 day', c.received_at, c.state IN ('open', 'extended', 'forwarded'), c.due_on
        FROM cases c WHERE c.channel = 'proposal') x""")
    run("draft proposals", """
        INSERT INTO proposals (id, institution_id, author_id, title, problem, solution, benefit, territory, topics, status,
                               moderation, created_at, updated_at, problem_html, solution_html, benefit_html, html_policy)
        SELECT :P + g, 1 + g % :I, :I + 1 + g % :R, (:titles)[1 + g % 12], (:sentences)[1 + g % 12], '', '', '', '', 'draft',
               'approved', :now - interval '3 days', :now - interval '3 days', '<p>' || (:sentences)[1 + g % 12] || '</p>', '', '', 1
        FROM generate_series(1::bigint, GREATEST(1, :P / 100)) g""")
    # Consultation cases: one per top-level comment of a closed consultation (ids after the proposals' cases).
    run("comment-case map", """
        CREATE TEMP TABLE comment_cases ON COMMIT DROP AS
        SELECT m.id AS comment_id, :P + row_number() OVER (ORDER BY m.id) AS case_id
        FROM comments m JOIN consultations c ON c.id = m.consultation_id
        WHERE c.cases_opened_at IS NOT NULL AND m.parent_id IS NULL""")
    run("consultation cases", """
        INSERT INTO cases (id, institution_id, channel, title, body, item_url, raised_by_id, raised_by_group_id, offline_submitter,
                           received_at, rule_code, due_on, state, is_private, submitter_hidden, extended_once, answered_at, position,
                           working_days_to_answer, answered_in_time, created_at)
        SELECT x.case_id, c.institution_id, 'consultation', 'Komentārs K-' || lpad(m.id::text, 6, '0') || ' par "' || left(c.title, 200) || '"',
               m.text, :base || '/consultations/' || c.id || '#comment-' || m.id, m.author_id,
               CASE WHEN m.show_name THEN m.group_id END, '', c.closes_at, 'consultation_summary', c.closes_at::date + 30, st.state,
               false, NOT m.show_name, false,
               CASE WHEN st.state = 'answered' THEN LEAST(c.closes_at + st.days * interval '1 day', :now - interval '1 hour') END,
               CASE WHEN st.state = 'answered' THEN (ARRAY['accepted','partly_accepted','not_accepted','noted'])[1 + m.id % 4] END,
               CASE WHEN st.state = 'answered' THEN (st.days * 5) / 7 END, CASE WHEN st.state = 'answered' THEN st.days <= 30 END,
               c.closes_at
        FROM comment_cases x JOIN comments m ON m.id = x.comment_id JOIN consultations c ON c.id = m.consultation_id,
             LATERAL (SELECT 1 + (m.id * 13) % 19 AS days,
                             CASE WHEN m.id % 50 = 0 THEN 'not_examined'
                                  WHEN c.id = 1 OR c.closes_at < :now - interval '45 days' OR m.id % 2 = 0 THEN 'answered'
                                  ELSE 'open' END AS state) st""")
    run("comments get their cases", """
        UPDATE comments SET case_id = x.case_id FROM comment_cases x WHERE comments.id = x.comment_id""")
    run("offline cases", f"""
        INSERT INTO cases (id, institution_id, channel, title, body, item_url, offline_source, offline_submitter, received_at,
                           rule_code, due_on, state, is_private, submitter_hidden, extended_once, forwarded_from_id, forwarded_at,
                           answered_at, position, working_days_to_answer, answered_in_time, created_at)
        SELECT base + g, inst, 'offline', 'Iesniegums par ' || lower((:titles)[1 + g % 12]), (:sentences)[1 + g % 12], '',
               (ARRAY['letter','email','in_person','phone'])[1 + g % 4], 'Iesniedzējs ' || g, received, 'submission_answer',
               received::date + CASE WHEN state = 'extended' THEN 60 ELSE 30 END, state, g % 7 = 0, false, state = 'extended',
               CASE WHEN state = 'forwarded' THEN 1 + (inst % :I) END, CASE WHEN state = 'forwarded' THEN received + interval '2 days' END,
               CASE WHEN state = 'answered' THEN LEAST(received + days * interval '1 day', :now - interval '1 hour') END,
               CASE WHEN state = 'answered' THEN 'answered' END, CASE WHEN state = 'answered' THEN (days * 5) / 7 END,
               CASE WHEN state = 'answered' THEN days <= 30 END, received
        FROM (SELECT g, (SELECT max(id) FROM cases) AS base, CASE WHEN g % 10 = 0 THEN 1 ELSE 1 + g % :I END AS inst,
                     :now - (1 + (g * 41) % 365) * interval '1 day' AS received, 1 + (g * 17) % 45 AS days,
                     {_case_state('(g * 3) % 20', '(1 + (g * 41) % 365)')} AS state
              FROM generate_series(1::bigint, GREATEST(0, :TOTAL - (SELECT count(*) FROM cases))) g) x""", TOTAL=s.cases)


def _responses(run):
    # The institution's staff member (user id = institution id) answers; forwards are recorded by the sender.
    run("responses: answers and decisions", f"""
        INSERT INTO responses (case_id, institution_id, author_id, kind, position, text, supersedes_id, target_institution_id,
                               effective_on, created_at, text_html, html_policy)
        SELECT *, {HTML('text')} FROM (
        SELECT c.id, COALESCE(c.forwarded_from_id, c.institution_id), COALESCE(c.forwarded_from_id, c.institution_id),
               CASE c.state WHEN 'answered' THEN 'answer' WHEN 'not_examined' THEN 'not_examined'
                            WHEN 'extended' THEN 'extension' ELSE 'forward' END,
               CASE WHEN c.state = 'answered' THEN c.position END,
               CASE c.state WHEN 'answered' THEN (:answers)[1 + c.id % 5]
                            WHEN 'not_examined' THEN 'Iesniegums nav izskatāms, jo tajā nav norādīts iesniedzēja vārds.'
                            WHEN 'extended' THEN 'Termiņš pagarināts, jo jautājums jāsaskaņo ar citām iestādēm.'
                            ELSE 'Pārsūtīts kompetentajai iestādei.' END AS text,
               NULL::bigint, CASE WHEN c.state = 'forwarded' THEN c.institution_id END,
               CASE WHEN c.state = 'extended' THEN c.due_on END,
               CASE c.state WHEN 'answered' THEN c.answered_at WHEN 'forwarded' THEN c.forwarded_at
                            ELSE LEAST(c.received_at + interval '6 days', :now - interval '2 hours') END
        FROM cases c WHERE c.state <> 'open'
        ORDER BY 10) x""")
    run("responses: corrections", f"""
        INSERT INTO responses (case_id, institution_id, author_id, kind, position, text, supersedes_id, created_at, text_html,
                               html_policy)
        SELECT r.case_id, r.institution_id, r.author_id, 'answer', r.position,
               'Labojums: ' || r.text || ' Precizēts atbildes pamatojums.', r.id, LEAST(r.created_at + interval '2 days', :now - interval '1 hour'),
               {HTML("'Labojums: ' || r.text || ' Precizēts atbildes pamatojums.'")}
        FROM responses r WHERE r.kind = 'answer' AND r.case_id % 20 = 3
        ORDER BY 8""")
    run("responses: implementations", f"""
        INSERT INTO responses (case_id, institution_id, author_id, kind, position, text, effective_on, created_at, text_html,
                               html_policy)
        SELECT c.id, c.institution_id, c.institution_id, 'implemented', NULL, 'Priekšlikums īstenots.', c.implemented_on,
               LEAST(c.implemented_on::timestamp + interval '12 hours', :now - interval '1 hour'), {HTML("'Priekšlikums īstenots.'")}
        FROM cases c WHERE c.implemented_on IS NOT NULL ORDER BY 8""")


def _supports(run, s: Sizes):
    # Proposal 1 collects BIGSUP supports; the others a skewed share each (a few popular, most with a handful),
    # about `supports` in all. Each (proposal, user) once: consecutive residents from a per-proposal offset.
    average = max(1.0, (s.supports - s.big_supports) / max(1, s.proposals - 1))
    run("supports", f"""
        INSERT INTO supports (proposal_id, user_id, notify, created_at)
        SELECT p.id, :I + 1 + (p.id::bigint * 7919 + k) % :R, k % 10 = 0, LEAST(p.submitted_at + k * interval '7 minutes', :now)
        FROM proposals p
        CROSS JOIN LATERAL generate_series(1, CASE WHEN p.id = 1 THEN :BIGSUP
                                                   ELSE LEAST(:R - 1, round(power({_u('p.id', 3)}, 3) * 4 * :avg)::int) END) k
        WHERE p.status = 'submitted' AND p.moderation = 'approved'""", avg=average)


def _counters_and_sequences(run):
    run("support counters", """
        UPDATE proposals SET support_count = s.n FROM (SELECT proposal_id, count(*) AS n FROM supports GROUP BY proposal_id) s
        WHERE proposals.id = s.proposal_id""")
    run("consultation counters", """
        UPDATE consultations SET comment_count = s.n, positions_waiting = s.waiting
        FROM (SELECT comments.consultation_id, count(*) AS n,
                     count(*) FILTER (WHERE comments.case_id IS NULL
                                      OR (cases.position IS NULL AND cases.state <> 'not_examined')) AS waiting
              FROM comments LEFT JOIN cases ON cases.id = comments.case_id
              WHERE comments.parent_id IS NULL AND comments.moderation = 'approved' GROUP BY comments.consultation_id) s
        WHERE consultations.id = s.consultation_id""")
    run("section counters", """
        UPDATE sections SET comment_count = s.n
        FROM (SELECT section_id, count(*) AS n FROM comments
              WHERE parent_id IS NULL AND section_id IS NOT NULL AND moderation = 'approved' GROUP BY section_id) s
        WHERE sections.id = s.section_id""")
    from participation.counters import LOG_LINES_SQL, RECOUNT_SQL

    for number, statement in enumerate(RECOUNT_SQL):
        run(f"list totals ({number + 1}/{len(RECOUNT_SQL)})", statement)
    run("response log lines", LOG_LINES_SQL)
    for table in ("institutions", "users", "groups", "consultations", "draft_versions", "sections", "proposals", "cases",
                  "feedback_sites", "feedback"):
        run(f"sequence of {table}", f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


FEEDBACK_SITE_KEY = "bench-site"
FEEDBACK_ORIGIN = "https://www.iestade-1.example"
FEEDBACK_PAGES = 200


def _feedback(run, s: Sizes):
    """Website feedback (issue 15): institution 1's site, FEEDBACK rows over 200 pages and 26 weeks, and the counters the
    figures read (per page and for the site "", per week, the words of the free text without the stop words)."""
    from participation.feedback.words import STOP_WORDS

    run("feedback site", f"""
        INSERT INTO feedback_sites (id, institution_id, key, name, origins, path_prefixes, question_helped, question_text,
                                    ask_email, languages, premoderation, created_by_id, created_at)
        VALUES (1, 1, '{FEEDBACK_SITE_KEY}', 'Iestādes vietne', '{FEEDBACK_ORIGIN}', '', '', '', true, 'lv,en', false, 1, :now)""")
    run("feedback", f"""
        INSERT INTO feedback (site_id, institution_id, page_url, helped, text, email, wants_answer, lang, state, publication,
                              author_id, nonce, counted, created_at, moderation, hidden_reason, highlighted, off_topic, text_html,
                              html_policy)
        SELECT *, CASE WHEN text = '' THEN '' ELSE '<p>' || text || '</p>' END, {POLICY} FROM (
        SELECT 1, 1, '{FEEDBACK_ORIGIN}/lapa/' || (floor({_u("g", 7)} * {_u("g", 8)} * {FEEDBACK_PAGES}))::int,
               {_u("g", 9)} < 0.6, CASE WHEN {_u("g", 10)} < 0.4 THEN (:sentences)[1 + g % 6] ELSE '' END AS text, '', false, 'lv',
               'received', 'private', 1, 'bench-' || g, true,
               :now - (floor({_u("g", 11)} * 182) || ' days')::interval, 'approved', '', false, false
        FROM generate_series(1, :F) AS g ORDER BY 14) x""", F=s.feedback)
    for page in ("page_url", "''"):
        run(f"feedback page counters ({page})", f"""
            INSERT INTO feedback_pages (site_id, page_url, responses, helped, answered_question, share)
            SELECT 1, {page}, count(*), count(*) FILTER (WHERE helped), count(*),
                   count(*) FILTER (WHERE helped) * 1000 / count(*)
            FROM feedback WHERE site_id = 1 GROUP BY 2""")
        run(f"feedback week counters ({page})", f"""
            INSERT INTO feedback_weeks (site_id, page_url, week_start, responses, helped, answered_question)
            SELECT 1, {page}, date_trunc('week', created_at AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Riga')::date, count(*),
                   count(*) FILTER (WHERE helped), count(*)
            FROM feedback WHERE site_id = 1 GROUP BY 2, 3""")
        run(f"feedback word counters ({page})", f"""
            INSERT INTO feedback_words (site_id, page_url, word, count)
            SELECT 1, {page}, w.word, count(*) FROM feedback f,
                   LATERAL regexp_split_to_table(lower(f.text), '[^[:alpha:]]+') AS w(word)
            WHERE f.site_id = 1 AND length(w.word) >= 3 AND NOT (w.word = ANY(CAST(:stop AS text[])))
            GROUP BY 2, 3""", stop=sorted(STOP_WORDS))


# The most-commented section of the large consultation; a finished closed consultation of about average size.
PICK_SQL = """
SELECT (SELECT id FROM sections WHERE version_id = 1 ORDER BY comment_count DESC, id LIMIT 1) AS section_id,
       (SELECT c.id FROM consultations c
        WHERE c.id > 1 AND c.cases_opened_at IS NOT NULL AND c.closes_at < :now - interval '45 days' AND c.comment_count > 0
        ORDER BY abs(c.comment_count - (SELECT avg(comment_count) FROM consultations WHERE id > 1 AND comment_count > 0)), c.id
        LIMIT 1) AS closed_id
"""
