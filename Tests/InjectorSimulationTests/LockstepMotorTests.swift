import InjectorCore
import Testing
@testable import InjectorSimulation

/// The lockstep runner's motor is the firmware's: the step generator in InjectorCore,
/// with its per-tick bound and the rule that a disabled driver issues nothing (the copy
/// the simulator once had ignored both).
@Suite struct LockstepMotorTests {
    func outputs(_ scenario: Scenario) throws -> ControllerOutputs {
        var controller = InjectionController(configuration: try scenario.controller.validated())
        return controller.step(ControllerInputs(now: .origin, stepPosition: .zero,
                                                pressure: SensorSample(value: .zero, sampledAt: .origin)))
    }

    @Test func aDisabledDriverMovesNothingInLockstep() throws {
        let scenario = try loadScenario("01-nominal.yaml")
        var out = try outputs(scenario)
        let period = scenario.controller.tickRate.period
        var steps = StepGenerator(maxStepRate: scenario.controller.drive.maxStepRate, tickRate: scenario.controller.tickRate)
        out.stepRate = StepsPerSecond(5_000)
        out.driver = .disabled
        for _ in 0..<100 { LockstepRunner.drive(&steps, out, over: period) }
        #expect(steps.position == .zero)
        out.driver = .enabled
        for _ in 0..<100 { LockstepRunner.drive(&steps, out, over: period) }
        #expect(steps.position == Steps(500))
    }

    @Test func aBurstBeyondTheDriveIsClippedInLockstep() throws {
        let scenario = try loadScenario("01-nominal.yaml")
        var out = try outputs(scenario)
        var steps = StepGenerator(maxStepRate: scenario.controller.drive.maxStepRate, tickRate: scenario.controller.tickRate)
        out.stepRate = StepsPerSecond(scenario.controller.drive.maxStepRate.rawValue * 10)
        out.driver = .enabled
        LockstepRunner.drive(&steps, out, over: scenario.controller.tickRate.period)
        #expect(steps.position == Steps(Int64(steps.maxStepsPerTick)))
        #expect(steps.stepsClipped > 0)
    }

    /// Over every default scenario the controller never asks for more than the drive
    /// gives (no step clipped) and its final guard never trips.
    @Test func noDefaultScenarioClipsStepsOrTripsTheGuard() throws {
        let files = try ScenarioLibrary.files(in: scenarioDirectory)
        #expect(files.count >= 17)
        for file in files {
            let outcome = try LockstepRunner.controller(try ScenarioFile.load(path: file)).outcome
            #expect(outcome.guardTrips == 0, "\(file): the final guard tripped \(outcome.guardTrips) times")
            #expect(outcome.stepsClipped == 0, "\(file): \(outcome.stepsClipped) steps clipped")
            #expect(outcome.ticks > 0)
        }
    }
}
