import Testing
@testable import InjectorProtocol

@Test func placeholder() { #expect(Bool(true)) }
