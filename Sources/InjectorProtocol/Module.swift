// InjectorProtocol: see docs/architecture.md.
