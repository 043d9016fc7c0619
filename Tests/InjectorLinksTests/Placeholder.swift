import Testing
@testable import InjectorLinks

@Test func placeholder() { #expect(Bool(true)) }
