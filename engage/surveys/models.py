"""Surveys of a round: questions with options, and the answers people give.

Facilitator-written texts are stored as ``{locale: text}`` dictionaries and read
with :func:`localized`, falling back to the survey's default language. One answer
(:class:`SurveyResponse`) holds one :class:`AnswerItem` per choice made, so that
results are counted by the database with GROUP BY, never by looping over answers.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text as sa_text
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.i18n import localized  # noqa: F401  (re-exported for the survey modules)
from engage.core.models import TimestampMixin
from engage.core.time import UTCDateTime, now
from engage.extensions import db
from engage.rounds.models import Round
from engage.core.cache import expires_at, invalidated_by


class Survey(TimestampMixin, db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    default_locale: Mapped[str] = mapped_column(String(8))
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    introduction: Mapped[dict] = mapped_column(JSON, default=dict)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # "live": anyone sees results while the survey runs; "after_close": only once it has closed.
    results_visibility: Mapped[str] = mapped_column(String(20), default="after_close")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # People who answered, kept with the tallies (engage.surveys.tallies).
    respondent_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    round: Mapped[Round] = relationship()
    questions: Mapped[list["Question"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", lazy="selectin", order_by="Question.position"
    )

    def text(self, field: str, locale: str) -> str:
        return localized(getattr(self, field), locale, self.default_locale)

    def title_in(self, locale: str) -> str:
        return self.text("title", locale)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status(self) -> str:
        """``upcoming``, ``open`` or ``closed``, from the clock."""
        moment = now()
        if moment < self.opens_at:
            return "upcoming"
        return "open" if moment < self.closes_at else "closed"

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class Question(db.Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    type: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    # age, gender, occupation or district for the questions of the demographic block.
    demographic: Mapped[str | None] = mapped_column(String(20))
    prompt: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    # Choice questions: an "Other" answer with its own text; a maximum of picks (multiple choice).
    allow_other: Mapped[bool] = mapped_column(Boolean, default=False)
    max_choices: Mapped[int | None] = mapped_column(Integer)
    # Scale questions: the range and the labels of its two ends.
    scale_min: Mapped[int | None] = mapped_column(Integer)
    scale_max: Mapped[int | None] = mapped_column(Integer)
    min_label: Mapped[dict] = mapped_column(JSON, default=dict)
    max_label: Mapped[dict] = mapped_column(JSON, default=dict)
    # Free text: a long (several lines) or short answer, and its length limit.
    long_text: Mapped[bool] = mapped_column(Boolean, default=False)
    max_length: Mapped[int | None] = mapped_column(Integer)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    options: Mapped[list["Option"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", lazy="selectin", order_by="Option.position"
    )

    def text(self, field: str, locale: str) -> str:
        return localized(getattr(self, field), locale, self.survey.default_locale)

    @property
    def is_choice(self) -> bool:
        return self.type in ("single", "multiple")


class Option(db.Model):
    __tablename__ = "survey_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[dict] = mapped_column(JSON, default=dict)
    # Stable keys of the demographic options (``prefer_not`` for "Prefer not to say").
    key: Mapped[str | None] = mapped_column(String(30))

    question: Mapped[Question] = relationship(back_populates="options")

    def label_in(self, locale: str) -> str:
        return localized(self.label, locale, self.question.survey.default_locale)


class SurveyResponse(db.Model):
    """One person's (or one browser's) answer to a survey. It names nobody in what is published."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "user_id", name="uq_survey_responses_survey_id_user_id"),
        UniqueConstraint("survey_id", "browser_key", name="uq_survey_responses_survey_id_browser_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    # A random identifier: the only one exports show.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Anonymous answers: a hash of the token in the browser's signed cookie.
    browser_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    items: Mapped[list["AnswerItem"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class AnswerItem(db.Model):
    """One choice within an answer.

    Single choice: the option (or no option and the "Other" text). Multiple choice: one row per
    option picked. Scale: ``value``. Free text: ``text``. Ranking: one row per option, ``value``
    its position (1 = first). A skipped optional question has no row.
    """

    __tablename__ = "survey_answer_items"
    __table_args__ = (
        Index("ix_survey_answer_items_counts", "question_id", "option_id", "value"),
        Index("ix_survey_answer_items_by_response", "question_id", "response_id", "option_id"),
        # The newest free-text (and "Other") answers of a question: a partial index, so that its order is
        # the list's even for a question with hardly any text (PostgreSQL does not take "option_id IS NULL"
        # as fixing the order of a wider index, and read the whole table backwards instead).
        Index("ix_survey_answer_items_texts", "question_id", "id",
              postgresql_where=sa_text("option_id IS NULL AND text IS NOT NULL"),
              sqlite_where=sa_text("option_id IS NULL AND text IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("survey_options.id", ondelete="CASCADE"))
    value: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)
    # Free-text answers can be hidden by moderation; hidden ones are not shown or exported.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(String(300))

    response: Mapped[SurveyResponse] = relationship(back_populates="items")

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None



class Tally(db.Model):
    """How many answers chose an option (or gave a scale value, a ranking position, an "Other" or a text).

    Kept up to date as answers are saved (engage.surveys.tallies), so results read a few rows instead
    of grouping every answer. ``option_key`` is the option's id or 0; ``value_key`` the value or -1.
    """

    __tablename__ = "survey_tallies"

    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True)
    option_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)


class QuestionTally(db.Model):
    """How many people answered a question."""

    __tablename__ = "survey_question_tallies"

    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True,
                                             autoincrement=False)
    answered: Mapped[int] = mapped_column(Integer, default=0)

@invalidated_by(Survey)
def _survey_tags(survey: Survey):
    yield f"round:{survey.round_id}"
    yield f"survey:{survey.id}"


@invalidated_by(Question)
def _question_tags(question: Question):
    yield f"survey:{question.survey_id}"


@invalidated_by(Option)
def _option_tags(option: Option):
    if option.question is not None:
        yield f"survey:{option.question.survey_id}"


@invalidated_by(SurveyResponse)
def _response_tags(response: SurveyResponse):
    # Every answer saved (re)writes its response row; its items need no tags of their own.
    yield f"survey:{response.survey_id}"


@event.listens_for(Survey, "load")
def _survey_turns(survey: Survey, context) -> None:
    expires_at(survey.opens_at, survey.closes_at)
