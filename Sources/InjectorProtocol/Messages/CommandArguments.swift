import InjectorCore

/// The wire's sanity bounds on command arguments (docs/protocol.md, "Command"). The
/// controller checks the configured ceilings; these only keep nonsense off the wire.
public enum CommandArguments {
    /// Volumes (µL) and flows (µL/s) must be finite and in 0 … 1 000 000.
    public static let magnitudeRange: ClosedRange<Double> = 0...1_000_000
    /// Fractions are in 0 … 1.
    public static let fractionRange: ClosedRange<Double> = 0...1
    /// How long ago cement was mixed, in seconds: 0 … 1 hour.
    public static let mixedAgoRange: ClosedRange<Double> = 0...3_600

    /// The numbers a vertebral region may carry.
    public static func levelNumbers(_ region: VertebralLevel.Region) -> ClosedRange<UInt8> {
        switch region {
        case .cervical: 1...7
        case .thoracic: 1...12
        case .lumbar: 1...5
        case .sacral: 1...5
        }
    }

    /// Whether `command` can be put on the wire. A host checks this before queueing a
    /// command; encoding an invalid one is a programming error.
    public static func areValid(_ command: HostCommand) -> Bool { invalidField(command) == nil }

    public static func isValid(_ plan: ProcedurePlan) -> Bool { invalidField(plan) == nil }

    /// Offsets a Nak cause 4 may name: the argument bytes after the code.
    public static let fieldOffsets: ClosedRange<UInt8> = 1...36

    /// Where each configureProcedure field starts in the Command payload.
    public enum PlanField {
        public static let levelRegion: UInt8 = 1
        public static let levelNumber: UInt8 = 2
        public static let approach: UInt8 = 3
        public static let capacityKind: UInt8 = 4
        public static let capacityVolume: UInt8 = 5
        public static let anteriorFraction: UInt8 = 13
        public static let fillFractionLimit: UInt8 = 21
        public static let perPedicleCap: UInt8 = 29
    }

    /// The offset of the first argument of `command` outside its wire range, or `nil`
    /// if all are in range. Single-argument commands name offset 1.
    public static func invalidField(_ command: HostCommand) -> UInt8? {
        switch command {
        case .configureProcedure(let plan): invalidField(plan)
        case .setRate(let rate): magnitudeRange.contains(rate.rawValue) ? nil : 1
        case .tightenCap(let cap): magnitudeRange.contains(cap.rawValue) ? nil : 1
        case .cementMixedAgo(let ago): mixedAgoRange.contains(ago.seconds) ? nil : 1
        case .cementMixed, .prime, .arm, .disarm, .start, .pause, .resume, .stop,
             .release, .resetFault, .queryStatus: nil
        }
    }

    static func invalidField(_ plan: ProcedurePlan) -> UInt8? {
        if !levelNumbers(plan.level.region).contains(plan.level.number) { return PlanField.levelNumber }
        switch plan.anteriorCapacity {
        case .direct(let volume):
            if !magnitudeRange.contains(volume.rawValue) { return PlanField.capacityVolume }
        case .fromBody(let body, let fraction):
            if !magnitudeRange.contains(body.rawValue) { return PlanField.capacityVolume }
            if !fractionRange.contains(fraction) { return PlanField.anteriorFraction }
        }
        if !fractionRange.contains(plan.fillFractionLimit) { return PlanField.fillFractionLimit }
        if !magnitudeRange.contains(plan.perPedicleCap.rawValue) { return PlanField.perPedicleCap }
        return nil
    }

    /// The payload length (code byte included) for a command code.
    static func payloadLength(_ code: CommandCode) -> Int? {
        switch code {
        case .none: nil
        case .configureProcedure: 37
        case .resume, .stop: 2
        case .setRate, .tightenCap, .cementMixedAgo: 9
        case .cementMixed, .prime, .arm, .disarm, .start, .pause, .release, .resetFault, .queryStatus: 1
        }
    }
}
