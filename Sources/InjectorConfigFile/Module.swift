// InjectorConfigFile: see docs/architecture.md.
