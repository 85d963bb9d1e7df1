"""The OpenAPI 3 description of the open-data API, served at /api/v1/openapi.json."""
from __future__ import annotations

from flask import current_app, url_for


def _page_of(ref: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "next", "previous"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": ref}},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer"},
            "next": {"type": ["string", "null"], "format": "uri", "description": "The next page, or null on the last."},
            "previous": {"type": ["string", "null"], "format": "uri"},
        },
    }


OUTCOMES = ["under_evaluation", "accepted", "partially_accepted", "merged", "not_accepted", "out_of_scope"]
STAMP = {"type": ["string", "null"], "format": "date-time", "description": "ISO 8601, UTC"}
PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]
TEXTS = {"type": "object", "description": "Texts by language code (uk, en, es).",
         "additionalProperties": {"type": "object", "properties": {
             "title": {"type": "string"}, "summary": {"type": "string"}, "description": {"type": "string"}}}}

SCHEMAS = {
    "RoundSummary": {
        "type": "object",
        "required": ["id", "url", "default_locale", "texts", "organiser", "district", "status", "current_phase",
                     "published_at", "created_at", "updated_at"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri", "description": "The round's page"},
            "default_locale": {"type": "string"},
            "texts": TEXTS,
            "organiser": {"type": "string"},
            "district": {"type": ["string", "null"], "description": "null: the whole city"},
            "status": {"type": "string", "enum": ["upcoming", "open", "closed"]},
            "current_phase": {"type": ["string", "null"], "enum": [
                "information", "call_for_proposals", "deliberation", "prioritisation", "drafting", "feedback",
                "closed", None]},
            "published_at": STAMP, "created_at": STAMP, "updated_at": STAMP,
        },
    },
    "Round": {
        "allOf": [{"$ref": "#/components/schemas/RoundSummary"}, {
            "type": "object",
            "required": ["topics", "phases", "documents", "counts", "proposals_url"],
            "properties": {
                "topics": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"}}}},
                "phases": {"type": "array", "items": {"type": "object", "properties": {
                    "type": {"type": "string"}, "starts_at": STAMP, "ends_at": STAMP, "note": {"type": "string"}}}},
                "documents": {"type": "array", "items": {"type": "object", "properties": {
                    "title": {"type": "string"}, "url": {"type": "string", "format": "uri"},
                    "content_type": {"type": ["string", "null"]}}}},
                "counts": {"type": "object", "properties": {
                    "proposals": {"type": "integer"}, "comments": {"type": "integer"},
                    "supports": {"type": "integer"}, "participants": {"type": "integer"}}},
                "proposals_url": {"type": "string", "format": "uri"},
            },
        }],
    },
    "Proposal": {
        "type": "object",
        "required": ["id", "url", "round_id", "title", "body", "locale", "topic", "district", "state", "outcome", "hidden",
                     "hidden_reason", "author", "created_at", "updated_at", "withdrawn_at", "counts", "comments_url"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri"},
            "round_id": {"type": "integer"},
            "title": {"type": ["string", "null"], "description": "null when hidden by moderation"},
            "body": {"type": ["string", "null"], "description": "Markdown; null when hidden by moderation"},
            "locale": {"type": "string"},
            "topic": {"type": ["object", "null"], "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
            "district": {"type": ["string", "null"]},
            "state": {"type": "string", "enum": ["published", "withdrawn"]},
            "outcome": {"type": ["string", "null"], "enum": [*OUTCOMES, None],
                        "description": "The answer in force; null until the organisers answer"},
            "hidden": {"type": "boolean"},
            "hidden_reason": {"type": ["string", "null"]},
            "author": {"type": ["string", "null"], "description": "The public display name"},
            "created_at": STAMP, "updated_at": STAMP, "withdrawn_at": STAMP,
            "counts": {"type": "object", "properties": {"supports": {"type": "integer"}, "comments": {"type": "integer"}}},
            "comments_url": {"type": "string", "format": "uri"},
        },
    },
    "Comment": {
        "type": "object",
        "required": ["id", "url", "round_id", "proposal_id", "parent_id", "depth", "body", "locale", "stance",
                     "official", "deleted", "hidden", "hidden_reason", "author", "created_at", "edited_at"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri"},
            "round_id": {"type": "integer"},
            "proposal_id": {"type": ["integer", "null"]},
            "parent_id": {"type": ["integer", "null"]},
            "depth": {"type": "integer", "minimum": 0, "maximum": 2},
            "body": {"type": ["string", "null"], "description": "null when deleted or hidden"},
            "locale": {"type": "string"},
            "stance": {"type": ["string", "null"], "enum": ["for", "against", "neutral", None]},
            "official": {"type": "boolean", "description": "Written by a facilitator of the round"},
            "deleted": {"type": "boolean"},
            "hidden": {"type": "boolean"},
            "hidden_reason": {"type": ["string", "null"]},
            "author": {"type": ["string", "null"]},
            "created_at": STAMP, "edited_at": STAMP,
        },
    },
    "Report": {
        "type": "object",
        "description": "The figures, and one page of the proposals of one outcome; the file at download_url holds them all.",
        "required": ["round_id", "url", "counts", "outcomes", "answered", "coverage", "median_days_to_final_answer",
                     "p90_days_to_final_answer", "sections", "surveys", "download_url", "outcome", "page", "per_page",
                     "total", "next", "previous", "proposals"],
        "properties": {
            "round_id": {"type": "integer"},
            "url": {"type": "string", "format": "uri", "description": "The report page"},
            "counts": {"type": "object", "properties": {
                "proposals": {"type": "integer"}, "comments": {"type": "integer"},
                "supports": {"type": "integer"}, "participants": {"type": "integer"},
                "survey_answers": {"type": "integer", "description": "People who answered the round's surveys"}}},
            "surveys": {"type": "array", "items": {"type": "object", "properties": {
                "survey_id": {"type": "integer"}, "title": {"type": "object"}, "respondents": {"type": "integer"},
                "results_url": {"type": "string", "format": "uri"}}}},
            "outcomes": {"type": "object", "description": "Proposals per outcome; not_answered: never answered",
                         "additionalProperties": {"type": "integer"}},
            "answered": {"type": "integer", "description": "Proposals with a final answer"},
            "coverage": {"type": ["number", "null"], "description": "answered / proposals; null without proposals"},
            "median_days_to_final_answer": {"type": ["number", "null"]},
            "p90_days_to_final_answer": {"type": ["number", "null"], "description": "Nearest-rank 90th percentile"},
            "sections": {"type": "object", "description": "By language: what_we_heard, what_we_changed (Markdown)"},
            "download_url": {"type": "string", "format": "uri",
                             "description": "Every proposal of the report as one JSON file (202 while it is written)"},
            "outcome": {"type": "string", "enum": [*OUTCOMES, "not_answered"],
                        "description": "The outcome whose proposals this page lists"},
            "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "total": {"type": "integer", "description": "Proposals with this outcome"},
            "next": {"type": ["string", "null"], "format": "uri"}, "previous": {"type": ["string", "null"], "format": "uri"},
            "proposals": {"type": "array", "items": {"type": "object", "properties": {
                "proposal_id": {"type": "integer"}, "url": {"type": "string", "format": "uri"},
                "title": {"type": ["string", "null"]}, "outcome": {"type": ["string", "null"]},
                "reason": {"type": ["string", "null"]}, "merged_into": {"type": ["integer", "null"]},
                "answered_by": {"type": ["string", "null"]}, "answered_at": STAMP, "submitted_at": STAMP,
                "days_to_final_answer": {"type": ["number", "null"]},
                "supports": {"type": "integer"}, "comments": {"type": "integer"}}}},
        },
    },
    "SurveyResults": {
        "type": "object",
        "description": "Figures of a survey's results. Nobody is named: no names, emails or account ids.",
        "required": ["survey_id", "round_id", "url", "title", "status", "respondents", "questions"],
        "properties": {
            "survey_id": {"type": "integer"},
            "round_id": {"type": "integer"},
            "url": {"type": "string", "format": "uri", "description": "The results page"},
            "title": {"type": "object", "description": "By language code", "additionalProperties": {"type": "string"}},
            "default_locale": {"type": "string"},
            "status": {"type": "string", "enum": ["upcoming", "open", "closed"]},
            "opens_at": STAMP, "closes_at": STAMP,
            "respondents": {"type": "integer"},
            "questions": {"type": "array", "items": {"type": "object", "required": ["id", "type", "answered"], "properties": {
                "id": {"type": "integer"}, "number": {"type": "integer"},
                "type": {"type": "string", "enum": ["single", "multiple", "scale", "text", "ranking"]},
                "required": {"type": "boolean"},
                "demographic": {"type": ["string", "null"], "enum": ["age", "gender", "occupation", "district", None]},
                "prompt": {"type": "object", "description": "By language code"},
                "answered": {"type": "integer", "description": "People who answered this question"},
                "skipped": {"type": "integer"},
                "options": {"type": "array", "description": "Choice and ranking questions", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "label": {"type": "object"}, "count": {"type": "integer"},
                    "percent": {"type": "number", "description": "Of the people who answered the question"},
                    "average_position": {"type": ["number", "null"], "description": "Ranking: 1 = first"},
                    "ranked_first": {"type": "integer"}}}},
                "other": {"type": "object", "properties": {"count": {"type": "integer"}, "percent": {"type": "number"}}},
                "max_choices": {"type": ["integer", "null"]},
                "scale_min": {"type": "integer"}, "scale_max": {"type": "integer"},
                "min_label": {"type": "object"}, "max_label": {"type": "object"},
                "mean": {"type": ["number", "null"]},
                "distribution": {"type": "array", "items": {"type": "object", "properties": {
                    "value": {"type": "integer"}, "count": {"type": "integer"}, "percent": {"type": "number"}}}},
                "texts": {"type": "array", "items": {"type": "string"},
                          "description": "The newest 100 free-text and “Other” answers not hidden by moderation"},
                "texts_total": {"type": "integer", "description": "All such answers"},
                "texts_url": {"type": "string", "format": "uri", "description": "All of them, page by page"},
            }}},
        },
    },
    "Text": {"type": "string", "description": "One free-text answer (no name, no date)"},
    "PlanSummary": {
        "type": "object",
        "required": ["id", "url", "title", "jurisdiction", "status", "period", "default_locale", "published_at"],
        "properties": {
            "id": {"type": "integer"}, "url": {"type": "string", "format": "uri"},
            "title": {"type": "object", "description": "By language code"},
            "jurisdiction": {"type": "object", "description": "By language code"},
            "status": {"type": "string", "enum": ["drafting", "adopted", "implementing", "completed"]},
            "period": {"type": "string", "description": "MM.YYYY-MM.YYYY"},
            "default_locale": {"type": "string"}, "published_at": STAMP,
        },
    },
    "Plan": {
        "allOf": [{"$ref": "#/components/schemas/PlanSummary"}, {
            "type": "object",
            "required": ["lead_institutions", "adoption_reference", "adopted_on", "monitoring_body", "monitoring_contact",
                         "round_ids", "commitments"],
            "properties": {
                "lead_institutions": {"type": "object"}, "adoption_reference": {"type": ["string", "null"]},
                "adopted_on": {"type": ["string", "null"], "format": "date"}, "monitoring_body": {"type": "object"},
                "monitoring_contact": {"type": ["string", "null"]},
                "round_ids": {"type": "array", "items": {"type": "integer"}},
                "commitments": {"type": "array", "items": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "number": {"type": "string"}, "url": {"type": "string", "format": "uri"},
                    "title": {"type": "object"}, "problem": {"type": "object"}, "objective": {"type": "object"},
                    "expected_results": {"type": "object"},
                    "ogp_values": {"type": "array", "items": {"type": "string", "enum": [
                        "access_to_information", "civic_participation", "public_accountability", "technology_innovation"]}},
                    "lead_institutions": {"type": "string"}, "partners": {"type": "string"},
                    "partner_organisation_ids": {"type": "array", "items": {"type": "integer"},
                                                 "description": "Verified organisations among the partners (see /organisations)"},
                    "progress": {"type": "integer", "description": "Percent of milestones completed (cancelled ones left out)"},
                    "milestones": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "integer"}, "number": {"type": "string"}, "description": {"type": "object"},
                        "responsible": {"type": "string"}, "period": {"type": "string"}, "indicator": {"type": "object"},
                        "status": {"type": "string", "enum": ["not_started", "in_progress", "completed", "delayed", "cancelled"]},
                        "overdue": {"type": "boolean"},
                        "revised_at": {"type": ["string", "null"], "format": "date-time",
                                       "description": "When its months, description or indicator last changed after publication"},
                        "updates": {"type": "array", "items": {"type": "object", "properties": {
                            "reported_on": {"type": "string", "format": "date"}, "text": {"type": "string"},
                            "locale": {"type": "string"}, "status": {"type": ["string", "null"]},
                            "evidence": {"type": "array", "items": {"type": "string", "format": "uri"}}}}},
                    }}},
                }}},
            },
        }],
    },
    "Organisation": {
        "type": "object",
        "required": ["id", "url", "name", "kind", "edrpou", "website", "contact_email", "areas", "districts",
                     "description", "verified_at"],
        "properties": {
            "id": {"type": "integer"},
            "url": {"type": "string", "format": "uri"},
            "name": {"type": "object", "properties": {"uk": {"type": "string"}, "en": {"type": ["string", "null"]}}},
            "kind": {"type": "string", "enum": ["ngo", "charity", "local_governments", "academic", "business", "international", "other"]},
            "edrpou": {"type": ["string", "null"], "description": "Ukrainian registration code (8 digits)"},
            "website": {"type": ["string", "null"]},
            "contact_email": {"type": ["string", "null"], "description": "The organisation's public contact address"},
            "areas": {"type": "array", "items": {"type": "string"}},
            "districts": {"type": "array", "items": {"type": "string"}},
            "description": {"type": "string"},
            "verified_at": STAMP,
        },
    },
    "Endorsement": {
        "type": "object",
        "required": ["id", "target", "target_type", "target_id", "target_title", "target_url", "organisation",
                     "signed_by", "statement", "endorsed_at"],
        "properties": {
            "id": {"type": "integer"},
            "target": {"type": "string", "description": "type:id, e.g. proposal:12"},
            "target_type": {"type": "string"},
            "target_id": {"type": "integer"},
            "target_title": {"type": ["string", "null"]},
            "target_url": {"type": ["string", "null"], "format": "uri"},
            "organisation": {"type": "object", "properties": {
                "id": {"type": "integer"}, "name": {"type": "object"}, "url": {"type": "string", "format": "uri"}}},
            "signed_by": {"type": "string", "description": "The person who signed for the organisation"},
            "statement": {"type": ["string", "null"]},
            "endorsed_at": STAMP,
        },
    },
    "Problem": {
        "type": "object", "description": "An error, as RFC 9457 problem details (application/problem+json)",
        "required": ["type", "title", "status", "detail", "code"],
        "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                       "detail": {"type": "string"},
                       "code": {"type": "string", "description": "A stable name: not_found, not_yet_public, ..."}},
    },
}


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


# Every operation can answer these; 404 also to ids that are not there, 403 to results not yet public.
COMMON_ERRORS = {"405": _problem("Method not allowed (the Allow header lists the methods)"),
                 "429": _problem("Too many requests"), "default": _problem("Another error")}


def _get(summary: str, schema_ref: str, parameters=None, paged=False, forbidden: bool = False) -> dict:
    schema = _page_of(schema_ref) if paged else {"$ref": schema_ref}
    responses = {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
                 "404": _problem("Not found"), **COMMON_ERRORS}
    if forbidden:
        responses["403"] = _problem("Not public yet (code: not_yet_public)")
    return {"get": {"summary": summary, "parameters": parameters or [], "responses": responses}}


def _id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


PROPOSAL_FILTERS = [
    {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Words to find in titles and bodies"},
    {"name": "topic", "in": "query", "schema": {"type": "integer"}},
    {"name": "district", "in": "query", "schema": {"type": "string"}},
    {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["published", "withdrawn"]}},
    {"name": "outcome", "in": "query", "schema": {"type": "string", "enum": ["none", *OUTCOMES]},
     "description": "The answer in force; none: not yet answered"},
    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["newest", "supported", "commented", "random"]}},
    {"name": "seed", "in": "query", "schema": {"type": "integer"}, "description": "Keeps a random order stable"},
]


def openapi_document() -> dict:
    config = current_app.config
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{config['SITE_NAME']} open data",
            "version": "1",
            "description": "Consultation rounds, proposals, comments, reports, survey results, organisations and endorsements, read-only. No personal data is published.",
            "license": {"name": config["OPEN_DATA_LICENCE"], "url": config["OPEN_DATA_LICENCE_URL"]},
        },
        "servers": [{"url": url_for("api.rounds_list", _external=True).rsplit("/rounds", 1)[0]}],
        "paths": {
            "/rounds": _get("Published consultation rounds", "#/components/schemas/RoundSummary", PAGING, paged=True),
            "/rounds/{round_id}": _get("One round", "#/components/schemas/Round", [_id("round_id")]),
            "/rounds/{round_id}/proposals": _get("Proposals of a round", "#/components/schemas/Proposal",
                                                 [_id("round_id"), *PROPOSAL_FILTERS, *PAGING], paged=True),
            "/rounds/{round_id}/report": _get("“How your input was used”: figures, sections and the answers, by outcome",
                                              "#/components/schemas/Report", [
                _id("round_id"),
                {"name": "outcome", "in": "query", "schema": {"type": "string", "enum": [*OUTCOMES, "not_answered"]},
                 "description": "Whose answers to list; default: the first outcome that has proposals"},
                *PAGING]),
            "/surveys/{survey_id}/results": _get("Results of a survey (once they are public)",
                                                 "#/components/schemas/SurveyResults", [_id("survey_id")],
                                                 forbidden=True),
            "/surveys/{survey_id}/questions/{question_id}/texts": _get(
                "Free-text answers of a question (once results are public), newest first",
                "#/components/schemas/Text", [_id("survey_id"), _id("question_id"), *PAGING], paged=True,
                forbidden=True),
            "/plans": _get("Published action plans", "#/components/schemas/PlanSummary", PAGING, paged=True),
            "/plans/{plan_id}": _get("One action plan with its commitments, milestones and progress updates",
                                     "#/components/schemas/Plan", [_id("plan_id")]),
            "/organisations": _get("Verified civil society organisations", "#/components/schemas/Organisation", [
                {"name": "q", "in": "query", "schema": {"type": "string"}, "description": "Name or EDRPOU code"},
                {"name": "kind", "in": "query", "schema": {"type": "string"}},
                {"name": "area", "in": "query", "schema": {"type": "string"}},
                {"name": "district", "in": "query", "schema": {"type": "string"}}, *PAGING], paged=True),
            "/endorsements": _get("Endorsements in force: all, of a target, or by an organisation",
                                  "#/components/schemas/Endorsement", [
                {"name": "target", "in": "query", "schema": {"type": "string"}, "description": "type:id, e.g. proposal:12"},
                {"name": "organisation", "in": "query", "schema": {"type": "integer"}}, *PAGING], paged=True),
            "/proposals/{proposal_id}": _get("One proposal", "#/components/schemas/Proposal", [_id("proposal_id")]),
            "/proposals/{proposal_id}/comments": _get("Comments on a proposal, oldest first",
                                                      "#/components/schemas/Comment", [_id("proposal_id"), *PAGING],
                                                      paged=True),
        },
        "components": {"schemas": SCHEMAS},
    }
