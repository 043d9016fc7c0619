// InjectorSimulation: see docs/architecture.md.
