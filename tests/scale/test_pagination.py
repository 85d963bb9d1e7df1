"""Deep pages (engage.core.pagination: the page's ids first, then the rows) against the whole list in order.

The rows are bulk-inserted with SQLAlchemy Core, with ties in every order a list offers, and the expected
order is computed here from the inserted values, not by the application.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from engage.extensions import db
from tests.conftest import T0
from tests.scale.conftest import PROPOSAL_LINK

PER_PAGE = 25  # the HTML list's page size (PER_PAGE)
COMMENT_LINK = re.compile(r'id="comment-(\d+)"')
OUTCOMES = [None, "accepted", "not_accepted", None, "under_evaluation", None, "partially_accepted"]


@dataclass
class Row:
    id: int
    created_at: object
    support_count: int
    comment_count: int
    topic_id: int | None
    outcome: str | None
    state: str
    searchable: bool


@pytest.fixture
def many(app, create_user, create_round):
    """A round of 137 proposals (a sixth page on the HTML list) and a smaller round beside it."""
    from engage.proposals.models import Proposal
    from engage.rounds import stats
    from engage.rounds.models import Round

    author = create_user(display_name="Bulk Author")
    round_id = create_round(topics=("Transparency", "Participation", "Mobility"))
    other = create_round(title="A round beside it")
    with app.app_context():
        topics = [t.id for t in db.session.get(Round, round_id).topics]
        values = []
        for n in range(137):
            values.append({
                "round_id": round_id, "author_id": author.id, "locale": "en", "district": None,
                "title": f"Proposal {n:03d}" + (" about a bicycle lane" if n % 4 == 1 else ""),
                "body": "A body long enough to be a proposal." + (" Bicycle parking too." if n % 9 == 0 else ""),
                # Groups of three share a moment, so the newest order needs its tie-breaker.
                "created_at": T0 + (n // 3) * timedelta(hours=1), "updated_at": T0,
                "support_count": (n * 7) % 11, "comment_count": (n * 5) % 4,
                "topic_id": topics[n % 3] if n % 5 else None, "outcome": OUTCOMES[n % len(OUTCOMES)],
                "state": "withdrawn" if n % 13 == 0 else "published",
            })
        db.session.execute(insert(Proposal), values)
        db.session.execute(insert(Proposal), [{**values[0], "round_id": other, "title": "In the other round"}])
        stats.rebuild()
        db.session.commit()
        rows = [Row(p.id, p.created_at, p.support_count, p.comment_count, p.topic_id, p.outcome, p.state,
                    "bicycle" in (p.title + p.body).lower())
                for p in db.session.scalars(select(Proposal).where(Proposal.round_id == round_id))]
    return {"round": round_id, "rows": rows, "topics": topics}


ORDERS = {
    "newest": lambda r: (-r.created_at.timestamp(), -r.id),
    "supported": lambda r: (-r.support_count, -r.id),
    "commented": lambda r: (-r.comment_count, -r.id),
}


def expected(rows, sort="newest", keep=lambda r: True) -> list[int]:
    return [r.id for r in sorted((r for r in rows if keep(r)), key=ORDERS[sort])]


def html_page(client, round_id, query, page) -> tuple[list[int], int]:
    response = client.get(f"/rounds/{round_id}/proposals?{query}&page={page}")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    found = re.search(r"(\d+) proposals? found", body)
    return [int(i) for i in PROPOSAL_LINK.findall(body)], int(found.group(1))


def html_walk(client, round_id, query, total) -> list[int]:
    """Every page of the list, checking each one holds exactly its slice and the count stays right."""
    seen = []
    pages = max(1, -(-total // PER_PAGE))
    for page in range(1, pages + 1):
        ids, shown_total = html_page(client, round_id, query, page)
        assert shown_total == total, (query, page)
        assert len(ids) == (PER_PAGE if page < pages else total - PER_PAGE * (pages - 1)), (query, page)
        seen += ids
    beyond, shown_total = html_page(client, round_id, query, pages + 1)
    assert beyond == [] and shown_total == total
    return seen


def api_walk(client, round_id, query, per_page) -> tuple[list[int], int]:
    url = f"/api/v1/rounds/{round_id}/proposals?{query}&per_page={per_page}"
    data = client.get(url).get_json()
    total, seen = data["total"], [p["id"] for p in data["items"]]
    while data["next"]:
        data = client.get(data["next"].split("localhost", 1)[1]).get_json()
        assert data["total"] == total
        seen += [p["id"] for p in data["items"]]
    return seen, total


FILTERS = [
    ("sort=newest", "newest", lambda r: True),
    ("sort=supported", "supported", lambda r: True),
    ("sort=commented", "commented", lambda r: True),
    ("sort=supported&outcome=none", "supported", lambda r: r.outcome is None),
    ("sort=newest&outcome=accepted", "newest", lambda r: r.outcome == "accepted"),
    ("sort=commented&state=withdrawn", "commented", lambda r: r.state == "withdrawn"),
    ("sort=newest&q=bicycle", "newest", lambda r: r.searchable),
    ("sort=supported&q=bicycle&outcome=none", "supported", lambda r: r.searchable and r.outcome is None),
]


@pytest.mark.parametrize("query, sort, keep", FILTERS, ids=[f[0] for f in FILTERS])
def test_every_page_of_the_list_holds_its_slice_of_the_whole_order(visitor, many, query, sort, keep):
    whole = expected(many["rows"], sort, keep)
    assert len(whole) > 0
    seen = html_walk(visitor, many["round"], query, len(whole))
    assert seen == whole
    api, total = api_walk(visitor, many["round"], query, per_page=10)
    assert total == len(whole) and api == whole
    # A deep page asked for directly holds the same slice.
    if len(whole) > 60:
        data = visitor.get(f"/api/v1/rounds/{many['round']}/proposals?{query}&per_page=10&page=6").get_json()
        assert [p["id"] for p in data["items"]] == whole[50:60]


def test_filtered_by_topic_every_page_holds_its_slice(visitor, many):
    topic = many["topics"][1]
    for sort in ("newest", "supported", "commented"):
        whole = expected(many["rows"], sort, lambda r: r.topic_id == topic)
        assert len(whole) > PER_PAGE
        assert html_walk(visitor, many["round"], f"sort={sort}&topic={topic}", len(whole)) == whole
        assert api_walk(visitor, many["round"], f"sort={sort}&topic={topic}", per_page=7) == (whole, len(whole))


def test_a_short_list_and_a_list_of_exactly_one_page_count_right(visitor, many, create_proposal, create_user):
    rows = many["rows"]
    # A page of exactly PER_PAGE: the count is not skipped, and there is no second page.
    exact = [r for r in rows if r.outcome == "accepted"]
    accepted = expected(rows, "newest", lambda r: r.outcome == "accepted")
    assert len(exact) < PER_PAGE
    ids, total = html_page(visitor, many["round"], "sort=newest&outcome=accepted", 1)
    assert ids == accepted and total == len(accepted)
    data = visitor.get(f"/api/v1/rounds/{many['round']}/proposals?outcome=accepted&per_page={len(accepted)}").get_json()
    assert data["total"] == len(accepted) and data["next"] is None
    data = visitor.get(f"/api/v1/rounds/{many['round']}/proposals?outcome=accepted&per_page={len(accepted) - 1}").get_json()
    assert data["total"] == len(accepted) and data["next"] is not None
    second = visitor.get(data["next"].split("localhost", 1)[1]).get_json()
    assert [p["id"] for p in data["items"] + second["items"]] == accepted and second["next"] is None
    # Page 2 of a list that fits on one page is empty, with the right count.
    data = visitor.get(f"/api/v1/rounds/{many['round']}/proposals?outcome=accepted&page=2").get_json()
    assert data["items"] == [] and data["total"] == len(accepted) and data["next"] is None


@pytest.mark.parametrize("seed", [0, 11, 900_000])
def test_random_with_a_seed_pages_through_every_proposal_once(visitor, many, seed):
    everyone = sorted(r.id for r in many["rows"])
    by_ten, total = api_walk(visitor, many["round"], f"sort=random&seed={seed}", per_page=10)
    by_seven, _ = api_walk(visitor, many["round"], f"sort=random&seed={seed}", per_page=7)
    assert total == len(everyone)
    assert sorted(by_ten) == everyone and len(set(by_ten)) == len(by_ten)
    assert by_seven == by_ten  # the same order whatever the page size
    deep = visitor.get(f"/api/v1/rounds/{many['round']}/proposals?sort=random&seed={seed}&per_page=10&page=9").get_json()
    assert [p["id"] for p in deep["items"]] == by_ten[80:90]


def test_the_shuffled_html_list_follows_the_visitors_seed(new_visitor, many):
    browser = new_visitor()
    first, total = html_page(browser, many["round"], "sort=random", 1)
    with browser.session_transaction() as session:
        seed = session["shuffle_seed"]
    order, _ = api_walk(new_visitor(), many["round"], f"sort=random&seed={seed}", per_page=100)
    assert first == order[:PER_PAGE] and total == len(many["rows"])
    seen = first
    for page in range(2, 7):
        seen += html_page(browser, many["round"], "sort=random", page)[0]
    assert seen == order and sorted(seen) == sorted(r.id for r in many["rows"])


@pytest.mark.parametrize("seed", [1, 54321, 900_000])
def test_random_is_a_shuffle(visitor, many, seed):
    order, _ = api_walk(visitor, many["round"], f"sort=random&seed={seed}", per_page=100)
    ids = sorted(order)
    rank = {pid: n for n, pid in enumerate(ids)}
    neighbours = sum(1 for a, b in itertools.pairwise(order) if rank[b] == rank[a] + 1)
    # A shuffle of 137 proposals keeps about one of them right after the one before it; allow ten.
    assert neighbours <= 10, f"{neighbours} of {len(order) - 1} proposals follow their predecessor in the shuffle"


# --- Comment threads ----------------------------------------------------------------------------


@pytest.fixture
def thread(app, create_user, create_round, create_proposal, clock):
    """A proposal with 65 top-level comments (four pages of 20), each with replies to two levels, and a round thread."""
    from engage.comments.models import Comment

    clock.to_phase("deliberation")
    author = create_user(display_name="Bulk Commenter")
    round_id = create_round()
    proposal_id = create_proposal(round_id, author)
    other_id = create_proposal(round_id, author, title="Another proposal with its own thread")
    with app.app_context():
        base = {"round_id": round_id, "proposal_id": proposal_id, "author_id": author.id, "locale": "en",
                "is_official": False, "created_at": T0, "updated_at": T0}
        roots = list(db.session.scalars(insert(Comment).returning(Comment.id), [
            {**base, "body": f"Top-level comment {n}", "depth": 0} for n in range(65)]))
        replies = list(db.session.scalars(insert(Comment).returning(Comment.id), [
            {**base, "body": f"Reply to {root}", "depth": 1, "parent_id": root, "root_id": root}
            for root in roots if root % 3]))
        parents = dict(db.session.execute(select(Comment.id, Comment.root_id).where(Comment.id.in_(replies))).all())
        deep = list(db.session.scalars(insert(Comment).returning(Comment.id), [
            {**base, "body": f"Reply to reply {reply}", "depth": 2, "parent_id": reply, "root_id": parents[reply]}
            for reply in replies[::2]]))
        db.session.execute(insert(Comment), [{**base, "proposal_id": other_id, "body": "Elsewhere", "depth": 0}] * 5)
        round_roots = list(db.session.scalars(insert(Comment).returning(Comment.id), [
            {**base, "proposal_id": None, "body": f"On the round {n}", "depth": 0} for n in range(45)]))
        db.session.commit()
        everything = dict(db.session.execute(select(Comment.id, Comment.root_id)
                                             .where(Comment.proposal_id == proposal_id)).all())
    return {"round": round_id, "proposal": proposal_id, "roots": sorted(roots), "replies": replies + deep,
            "all": everything, "round_roots": sorted(round_roots)}


def test_every_page_of_a_thread_holds_its_top_level_comments_and_their_replies(visitor, thread):
    size = 20
    seen_roots, seen_replies = [], []
    for page in range(1, 5):
        page_html = visitor.get(f"/proposals/{thread['proposal']}?page={page}").get_data(as_text=True)
        shown = [int(i) for i in COMMENT_LINK.findall(page_html)]
        roots = [c for c in shown if thread["all"][c] is None]
        assert roots == thread["roots"][(page - 1) * size: page * size], page
        replies = [c for c in shown if thread["all"][c] is not None]
        assert sorted(replies) == sorted(c for c, root in thread["all"].items() if root in roots), page
        seen_roots += roots
        seen_replies += replies
    assert seen_roots == thread["roots"] and sorted(seen_replies) == sorted(thread["replies"])
    beyond = visitor.get(f"/proposals/{thread['proposal']}?page=5").get_data(as_text=True)
    assert COMMENT_LINK.findall(beyond) == []
    # The round's own thread pages the same way, without the proposals' comments.
    seen = []
    for page in range(1, 4):
        page_html = visitor.get(f"/rounds/{thread['round']}?page={page}").get_data(as_text=True)
        seen += [int(i) for i in COMMENT_LINK.findall(page_html)]
    assert seen == thread["round_roots"]


def test_the_apis_pages_of_comments_hold_every_comment_once_in_order(visitor, thread):
    url = f"/api/v1/proposals/{thread['proposal']}/comments?per_page=30"
    data = visitor.get(url).get_json()
    seen, total = [c["id"] for c in data["items"]], data["total"]
    while data["next"]:
        data = visitor.get(data["next"].split("localhost", 1)[1]).get_json()
        seen += [c["id"] for c in data["items"]]
    assert seen == sorted(thread["all"]) and total == len(thread["all"])
    deep = visitor.get(f"/api/v1/proposals/{thread['proposal']}/comments?per_page=30&page=4").get_json()
    assert [c["id"] for c in deep["items"]] == sorted(thread["all"])[90:120]
