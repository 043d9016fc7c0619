import Testing
@testable import InjectorPlant

@Test func placeholder() { #expect(Bool(true)) }
