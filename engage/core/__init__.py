"""What every feature shares: permissions, sanitising, pagination, time and locale helpers."""
