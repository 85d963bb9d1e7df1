"""The multi-stakeholder forum: its mandate, members, balance and decisions."""
