"""Build tooling that walks every app (the i18n inventory). Outside the layers: it may import
any app, and no app imports it."""
