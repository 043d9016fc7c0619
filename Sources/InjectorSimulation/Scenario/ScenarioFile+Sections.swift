import InjectorConfigFile
import InjectorCore
import InjectorPlant

/// The people around the table, the link, the faults and the expectations.
extension ScenarioFile {
    /// Times of faults and link events are counted from the scheduled start, and may
    /// fall up to 10 min before it (priming) or an hour after it.
    static let eventTimes: ClosedRange<Double> = -600...3_600

    static func readResponse(_ m: inout StrictMapping, _ key: String) -> PauseResponse? {
        let expected = "one of: finish, wait, {resumeAfter: <time>}"
        guard let node = m.node(key) else { return nil }
        switch node.scalar {
        case "finish": return .finish
        case "wait": return .wait
        case .some(let other):
            m.reader.report(node.path, "\"\(other)\"", allowed: expected)
            return nil
        case nil:
            var r = node.mapping()
            defer { r.finish() }
            return r.interval("resumeAfter", in: 0...1_800, required: true).map { .resume(after: $0) }
        }
    }

    static func readOperator(_ m: inout StrictMapping, into o: inout OperatorPolicy) {
        if let t = m.interval("primeLead", in: 10...1_200) { o.primeLead = t }
        if let v = m.quantity("plannedVolume", .volume, in: 100...20_000) { o.plannedVolume = Microliters(v) }
        if let r = readResponse(&m, "onPosteriorQuarter") { o.onPosteriorQuarter = r }
        if let r = readResponse(&m, "onLeakSeen") { o.onLeakSeen = r }
        if let r = readResponse(&m, "onLeakSuspected") { o.onLeakSuspected = r }
        if let r = readResponse(&m, "onOcclusion") { o.onOcclusion = r }
        if let r = readResponse(&m, "onCementTooLiquid") { o.onCementTooLiquid = r }
        if let r = readResponse(&m, "onOtherPause") { o.onOtherPause = r }
        if let r = readResponse(&m, "onFault") { o.onFault = r }
        if let n = m.integer("maxResumes", in: 0...100) { o.maxResumes = n }
    }

    static func readObserver(_ m: inout StrictMapping, into o: inout ObserverPolicy) {
        if let b = m.bool("enabled") { o.enabled = b }
        if let t = m.interval("reactionDelay", in: 0...120) { o.reactionDelay = t }
        if let v = m.quantity("leakVisibleAbove", .volume, in: 1...5_000) { o.leakVisibleAbove = Microliters(v) }
        if let t = m.interval("pressDuration", in: 0.01...10) { o.pressDuration = t }
    }

    static func readBaseline(_ m: inout StrictMapping, into b: inout BaselinePolicy) {
        if let q = m.quantity("flow", .flow, in: 1...500) { b.flow = MicrolitersPerSecond(q) }
        if let v = m.quantity("plannedVolume", .volume, in: 100...20_000) { b.plannedVolume = Microliters(v) }
        if let r = m.bool("respondsToObserver") { b.respondsToObserver = r }
        if let t = m.interval("observerDelay", in: 0...120) { b.observerDelay = t }
    }

    static func readHost(_ m: inout StrictMapping, into h: inout HostLinkPlan) {
        if let t = m.interval("heartbeatPeriod", in: 0.001...5) { h.heartbeatPeriod = t }
        if let t = m.interval("lostAt", in: eventTimes) { h.lostAfterStart = t }
        if let t = m.interval("restoredAt", in: eventTimes) { h.restoredAfterStart = t }
    }

    /// `at` (required) and `until` (later, if given), after the scheduled start.
    static func window(_ m: inout StrictMapping) -> (Interval, Interval?)? {
        let at = m.interval("at", in: eventTimes, required: true)
        var until = m.interval("until", in: eventTimes)
        if let u = until, let at, u <= at {
            m.reader.report(m.field("until"), u.description, allowed: "later than at (\(at))")
            until = nil
        }
        return at.map { ($0, until) }
    }

    static func sensorFault<V: Quantity>(_ m: inout StrictMapping, _ units: UnitTable, _ rateUnits: UnitTable,
                                         range: ClosedRange<Double>, make: (Double) -> V)
        -> FaultPlan.Timed<SensorFault<V>.Kind>? {
        let kinds = ["stuck", "drift", "dropout", "noiseBurst", "outOfRange"]
        let kind = m.choice("kind", kinds.map { ($0, $0) }, required: true)
        let times = window(&m)
        let top = range.upperBound
        let rate = m.quantity("rate", rateUnits, in: -top...top, required: kind == "drift")
        let sigma = m.quantity("sigma", units, in: 0...top, required: kind == "noiseBurst")
        let value = m.quantity("value", units, in: -top...top * 4, required: kind == "outOfRange")
        guard let kind, let (from, until) = times else { return nil }
        let k: SensorFault<V>.Kind
        switch (kind, rate, sigma, value) {
        case ("stuck", _, _, _): k = .stuck
        case ("dropout", _, _, _): k = .dropout
        case ("drift", let r?, _, _): k = .drift(perSecond: make(r))
        case ("noiseBurst", _, let s?, _): k = .noiseBurst(standardDeviation: make(s))
        case ("outOfRange", _, _, let v?): k = .outOfRange(make(v))
        default: return nil   // the kind's value was missing or out of range, and reported above
        }
        return FaultPlan.Timed(kind: k, from: from, until: until)
    }

    static func readFaults(_ m: inout StrictMapping, into f: inout FaultPlan) {
        section(&m, "pressure") { f.pressure = sensorFault(&$0, .pressure, .pressureRate, range: 0...10_000) { Kilopascals($0) } }
        section(&m, "pressureTwin") {
            f.pressureTwin = sensorFault(&$0, .pressure, .pressureRate, range: 0...10_000) { Kilopascals($0) }
        }
        section(&m, "position") { f.position = sensorFault(&$0, .volume, .volumeRate, range: 0...20_000) { Microliters($0) } }
        section(&m, "missedSteps") { p in
            let times = window(&p)
            let share = p.number("fraction", in: 0...1, required: true)
            if let (from, until) = times, let share { f.missedSteps = FaultPlan.Timed(kind: share, from: from, until: until) }
        }
        section(&m, "stuckInput") { p in
            let name = p.choice("switch", Switch.allCases.map { ($0.name, $0) }, required: true)
            let level = p.choice("level", [("active", Activation.active), ("inactive", .inactive)]) ?? .active
            if let (from, until) = window(&p), let name {
                f.stuckInput = FaultPlan.Timed(kind: .init(name: name, level: level), from: from, until: until)
            }
        }
    }

    /// Volumes an expectation may name: up to 30 mL, more than any vertebral body takes.
    static let expectedVolumes: ClosedRange<Double> = 0...30_000
    /// Stop times an expectation may name: up to 10 min.
    static let expectedStops: ClosedRange<Double> = 0...600

    static func readExpectations(_ m: inout StrictMapping) -> [Expectation] {
        var e: [Expectation] = []
        if let t = m.quantity("deliveredWithinCapTolerance", .volume, in: 0...5_000) {
            e.append(.deliveredWithinCap(tolerance: Microliters(t)))
        }
        if let v = m.quantity("deliveredAtMost", .volume, in: expectedVolumes) { e.append(.deliveredAtMost(Microliters(v))) }
        if let v = m.quantity("deliveredAtLeast", .volume, in: expectedVolumes) { e.append(.deliveredAtLeast(Microliters(v))) }
        if let v = m.quantity("leakedAtMost", .volume, in: expectedVolumes) { e.append(.leakedAtMost(Microliters(v))) }
        section(&m, "leakedOnPathAtMost") { per in
            for kind in LeakPathKind.allCases {
                if let v = per.quantity(caseName(kind), .volume, in: expectedVolumes) {
                    e.append(.leakedOnPathAtMost(kind, Microliters(v)))
                }
            }
        }
        if let t = m.interval("stopAfterPosteriorQuarterWithin", in: expectedStops) {
            e.append(.stopWithinAfterPosteriorQuarter(t))
        }
        if let t = m.interval("stopAfterLeakWithin", in: expectedStops) { e.append(.stopWithinAfterLeak(t)) }
        if let t = m.interval("stopAfterFaultWithin", in: expectedStops) { e.append(.stopWithinAfterFault(t)) }
        if let x = m.number("frontAtMost", in: 0...1) { e.append(.frontAtMost(x)) }
        if let p = m.quantity("peakPressureAtMost", .pressure, in: 0...100_000) { e.append(.peakPressureAtMost(Kilopascals(p))) }
        if let p = m.quantity("finalPressureBelow", .pressure, in: -100...100_000) {
            e.append(.pressureRelievedBelow(Kilopascals(p)))
        }
        if let s = m.choice("finalState", InjectorState.allCases.map { (caseName($0), $0) }) { e.append(.finalState(s)) }
        if let r = m.choice("stoppedFor", Reason.allCases.map { (caseName($0), $0) }) { e.append(.stoppedFor(r)) }
        if let b = m.bool("baselineFails"), b { e.append(.baselineFails) }
        return e
    }
}
