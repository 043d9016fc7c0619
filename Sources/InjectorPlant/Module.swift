// InjectorPlant: see docs/architecture.md.
