"""With REDIS_URL, emails are queued through RQ after the commit; the outbox still guarantees one delivery."""
import uuid

import pytest

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_queue(app):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("RQ tests skipped: no Redis at 127.0.0.1:6379")
    saved = app.config["REDIS_URL"], app.config["RQ_QUEUE"]
    app.config["REDIS_URL"], app.config["RQ_QUEUE"] = REDIS_URL, f"engage-test-{uuid.uuid4().hex[:8]}"
    yield
    with app.app_context():
        from engage.core.outbox import mail_queue

        mail_queue().delete(delete_jobs=True)
    app.config["REDIS_URL"], app.config["RQ_QUEUE"] = saved


def test_answer_email_goes_through_rq_once(app, browser, create_round, create_user, create_proposal, outbox, redis_queue, runner):
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    author = create_user(email="olha@example.org")
    proposal_id = create_proposal(round_id, author)
    browser.sign_in(facilitator)
    browser.submit(f"/proposals/{proposal_id}/response",
                   {f"p{proposal_id}-outcome": "accepted", f"p{proposal_id}-reason": "Commitment 2."})
    with app.app_context():
        from engage.core.outbox import mail_queue

        assert mail_queue().count == 1  # queued after the request committed
    result = runner.invoke(args=["outbox", "rq-worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert len(outbox.to("olha@example.org")) == 1
    assert "sent 0" in runner.invoke(args=["outbox", "send"]).output  # nothing left, nothing twice
    assert len(outbox.to("olha@example.org")) == 1


def test_failed_request_queues_nothing(app, browser, create_round, create_user, create_proposal, redis_queue):
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    proposal_id = create_proposal(round_id, create_user())
    browser.sign_in(facilitator)
    refused = browser.submit(f"/proposals/{proposal_id}/response",
                             {f"p{proposal_id}-outcome": "accepted", f"p{proposal_id}-reason": ""})
    assert refused.status_code == 422
    with app.app_context():
        from engage.core.outbox import mail_queue

        assert mail_queue().count == 0


def test_without_redis_the_worker_refuses_politely(runner):
    result = runner.invoke(args=["outbox", "rq-worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output
