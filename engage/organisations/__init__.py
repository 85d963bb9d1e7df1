"""The register of civil society organisations: registration, representatives, verification."""
