import Testing
@testable import InjectorCore

@Test func placeholder() { #expect(Bool(true)) }
