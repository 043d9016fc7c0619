import Testing
@testable import InjectorSimulation

@Test func placeholder() { #expect(Bool(true)) }
