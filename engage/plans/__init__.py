"""Action plans in public: commitments, milestones, progress updates, reports, and the co-creation report."""
