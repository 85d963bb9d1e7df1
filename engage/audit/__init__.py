"""The audit log: who did what privileged thing, to which object, when and from where."""
