"""Endorsements: a verified organisation stands behind a proposal, a commitment or an action plan."""
