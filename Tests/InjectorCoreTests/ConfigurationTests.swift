import Testing
@testable import InjectorCore

@Suite struct ConfigurationTests {
    @Test func defaultsAreValid() throws {
        let v = try InjectorConfiguration().validated()
        #expect(v.geometry.volumePerStep.rawValue > 0)
    }

    @Test func everyProblemIsReportedWithItsFieldAndRange() {
        var c = InjectorConfiguration()
        c.needle.bore = Millimeters(12)                 // out of range
        c.syringe.innerDiameter = Millimeters(-1)       // out of range
        c.procedure.fillFractionLimit = 0.9              // out of range
        c.rates.injectionFlow = MicrolitersPerSecond(500) // above the flow ceiling
        c.faults.hostLinkTimeout = .seconds(0)          // out of range
        c.cement.workingPhaseEnd = .seconds(60)          // before the working phase starts
        do {
            _ = try c.validated()
            Issue.record("an invalid configuration was accepted")
        } catch {
            let fields = Set(error.problems.map(\.field))
            #expect(fields.isSuperset(of: ["needle.bore", "syringe.innerDiameter", "procedure.fillFractionLimit",
                                           "rates.injectionFlow", "faults.hostLinkTimeout", "cement.workingPhaseEnd"]))
            let bore = error.problems.first { $0.field == "needle.bore" }!
            #expect(bore.value == "12 mm")
            #expect(bore.allowed == "0.5 … 5 mm")
            let flow = error.problems.first { $0.field == "rates.injectionFlow" }!
            #expect(flow.allowed == "1 … 200 µL/s")
            #expect(error.description.contains("needle.bore: 12 mm is not allowed; allowed: 0.5 … 5 mm"))
        }
    }

    @Test func notANumberIsNeverInRange() {
        var c = InjectorConfiguration()
        c.pressure.limit = Kilopascals(.nan)
        #expect(c.problems().contains { $0.field == "pressure.limit" })
    }

    @Test func driveMustReachTheFastestFlow() {
        var c = InjectorConfiguration()
        c.drive.maxStepRate = StepsPerSecond(100)
        let p = c.problems()
        #expect(p.count == 1)
        #expect(p.first?.field == "drive.maxStepRate")
    }

    @Test func procedurePlanIsCheckedAgainstCeilings() {
        var plan = ProcedurePlan.defaultLumbar
        plan.perPedicleCap = .milliliters(20)
        plan.anteriorCapacity = .fromBody(bodyVolume: .milliliters(30), anteriorFraction: 0.95)
        let fields = plan.problems(ceilings: HardwareCeilings()).map(\.field)
        #expect(fields == ["procedure.anteriorFraction", "procedure.perPedicleCap"])
    }

    @Test func vertebralLevelsParse() {
        #expect(VertebralLevel("L1")?.description == "L1")
        #expect(VertebralLevel("t12")?.description == "T12")
        #expect(VertebralLevel("L6") == nil)
        #expect(VertebralLevel("X1") == nil)
        #expect(VertebralLevel("") == nil)
    }
}
