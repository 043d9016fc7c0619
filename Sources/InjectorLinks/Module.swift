// InjectorLinks: see docs/architecture.md.
