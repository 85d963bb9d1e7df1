"""What the open-data API and CSV files publish. Only public fields: never an email address."""
from __future__ import annotations

from flask import url_for

from engage.core.time import iso


def author_name(item) -> str | None:
    return item.author.display_name if item.author is not None else None


def round_summary(round_) -> dict:
    current = round_.current_phase
    return {
        "id": round_.id,
        "url": url_for("rounds.show", round_id=round_.id, _external=True),
        "default_locale": round_.default_locale,
        "texts": {t.locale: {"title": t.title, "summary": t.summary} for t in round_.texts},
        "organiser": round_.organiser,
        "district": round_.district,
        "status": round_.status,
        "current_phase": current.type if current else None,
        "published_at": iso(round_.published_at),
        "created_at": iso(round_.created_at),
        "updated_at": iso(round_.updated_at),
    }


def round_detail(round_, counts: dict) -> dict:
    data = round_summary(round_)
    data["texts"] = {t.locale: {"title": t.title, "summary": t.summary, "description": t.description} for t in round_.texts}
    data["topics"] = [{"id": t.id, "name": t.name} for t in round_.topics]
    data["phases"] = [
        {"type": p.type, "starts_at": iso(p.starts_at), "ends_at": iso(p.ends_at), "note": p.note} for p in round_.phases
    ]
    data["documents"] = [
        {
            "title": d.title,
            "url": d.url if not d.is_upload else url_for(
                "rounds.download_document", round_id=round_.id, document_id=d.id, _external=True),
            "content_type": d.content_type,
        }
        for d in round_.documents
    ]
    data["counts"] = counts
    data["proposals_url"] = url_for("api.round_proposals", round_id=round_.id, _external=True)
    return data


def proposal(item) -> dict:
    hidden = item.is_hidden
    return {
        "id": item.id,
        "url": url_for("proposals.show", proposal_id=item.id, _external=True),
        "round_id": item.round_id,
        "title": None if hidden else item.title,
        "body": None if hidden else item.body,
        "locale": item.locale,
        "topic": {"id": item.topic.id, "name": item.topic.name} if item.topic else None,
        "district": item.district,
        "state": item.state,
        "outcome": item.outcome,
        "hidden": hidden,
        "hidden_reason": item.hidden_reason if hidden else None,
        "author": None if hidden else author_name(item),
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "withdrawn_at": iso(item.withdrawn_at),
        "counts": {"supports": item.support_count, "comments": item.comment_count},
        "comments_url": url_for("api.proposal_comments", proposal_id=item.id, _external=True),
    }


def comment(item, *, proposal_hidden: bool = False) -> dict:
    """A comment; on a proposal hidden by moderation, its comments are hidden with it."""
    hidden = item.is_hidden or proposal_hidden
    removed = hidden or item.is_deleted
    anchor = f"#comment-{item.id}"
    page = (url_for("proposals.show", proposal_id=item.proposal_id, _external=True) if item.proposal_id
            else url_for("rounds.show", round_id=item.round_id, _external=True))
    return {
        "id": item.id,
        "url": page + anchor,
        "round_id": item.round_id,
        "proposal_id": item.proposal_id,
        "parent_id": item.parent_id,
        "depth": item.depth,
        "body": None if removed else item.body,
        "locale": item.locale,
        "stance": None if removed else item.stance,
        "official": item.is_official,
        "deleted": item.is_deleted,
        "hidden": hidden,
        "hidden_reason": item.hidden_reason if item.is_hidden else None,
        "author": None if removed else author_name(item),
        "created_at": iso(item.created_at),
        "edited_at": iso(item.edited_at),
    }


def organisation(org) -> dict:
    return {
        "id": org.id,
        "url": url_for("organisations.show", organisation_id=org.id, _external=True),
        "name": {"uk": org.name_uk, "en": org.name_en or None},
        "kind": org.kind,
        "edrpou": org.edrpou,
        "website": org.website or None,
        "contact_email": org.email or None,
        "areas": org.area_codes,
        "districts": org.district_codes,
        "description": org.description,
        "verified_at": iso(org.decided_at),
    }


def endorsement(item, title: str, target_url: str) -> dict:
    e = item
    return {
        "id": e.id,
        "target": f"{e.target_type}:{e.target_id}",
        "target_type": e.target_type,
        "target_id": e.target_id,
        "target_title": title,
        "target_url": target_url,
        "organisation": {"id": e.organisation_id, "name": {"uk": e.organisation.name_uk, "en": e.organisation.name_en or None},
                         "url": url_for("organisations.show", organisation_id=e.organisation_id, _external=True)},
        "signed_by": e.signed_by,
        "statement": e.statement or None,
        "endorsed_at": iso(e.created_at),
    }


def plan_summary(plan) -> dict:
    return {
        "id": plan.id,
        "url": url_for("plans.show", plan_id=plan.id, _external=True),
        "title": plan.title,
        "jurisdiction": plan.jurisdiction,
        "status": plan.status,
        "period": f"{plan.period_start:%m.%Y}-{plan.period_end:%m.%Y}",
        "default_locale": plan.default_locale,
        "published_at": iso(plan.published_at),
    }


def plan_detail(plan, day) -> dict:
    from engage.plans import services

    data = plan_summary(plan)
    partners = services.partners_by_commitment([c.id for c in plan.commitments])
    updates = services.updates_by_milestone(plan)
    data.update({
        "lead_institutions": plan.lead_institutions,
        "adoption_reference": plan.adoption_reference or None,
        "adopted_on": plan.adopted_on.isoformat() if plan.adopted_on else None,
        "monitoring_body": plan.monitoring_body,
        "monitoring_contact": plan.monitoring_contact or None,
        "round_ids": [link.round_id for link in plan.rounds if link.round.is_published],
        "commitments": [{
            "id": c.id, "number": c.number, "url": url_for("plans.commitment", commitment_id=c.id, _external=True),
            "title": c.title, "problem": c.problem, "objective": c.objective, "expected_results": c.expected_results,
            "ogp_values": c.ogp_values, "lead_institutions": c.lead_institutions, "partners": c.partners,
            "partner_organisation_ids": [o.id for o in partners.get(c.id, [])],
            "progress": services.commitment_progress(c),
            "milestones": [{
                "id": m.id, "number": m.number, "description": m.description, "responsible": m.responsible,
                "period": f"{m.start_month:%m.%Y}-{m.end_month:%m.%Y}", "indicator": m.indicator, "status": m.status,
                "overdue": services.is_overdue(m, day),
                "revised_at": m.revised_at.isoformat() if m.revised_at else None,
                "updates": updates.get(m.id, []),
            } for m in c.milestones],
        } for c in plan.commitments],
    })
    return data
