"""Action plans: what a person wrote for them as staff."""
from flask_babel import lazy_gettext as _l

from engage.plans.models import ActionPlan, CoCreationNote, ProgressReport, ProgressUpdate
from engage.privacy.registry import records

records(ActionPlan, ActionPlan.created_by_id, ("id", "title", "created_at"), name="plans_created",
        description=_l("Action plans you created."))
records(ProgressUpdate, ProgressUpdate.author_id, ("milestone_id", "reported_on", "text", "status", "created_at"),
        name="progress_updates", description=_l("Progress updates you wrote on milestones."))
records(ProgressReport, ProgressReport.author_id, ("plan_id", "title", "published_at"), name="progress_reports",
        description=_l("Progress reports you published."))
records(CoCreationNote, CoCreationNote.updated_by_id, ("plan_id", "key", "explanation", "references", "updated_at"),
        name="cocreation_notes", description=_l("Notes on the co-creation report you last edited."))
