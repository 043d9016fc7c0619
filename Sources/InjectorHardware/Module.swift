// InjectorHardware: see docs/architecture.md.
