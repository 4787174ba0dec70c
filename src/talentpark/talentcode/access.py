"""人才码 grants nothing yet: the key list (``/talentcode/keys.json``) is public on purpose, and
signing keys are kept by the system (``talentcode.keys``), seen read-only in the admin."""
