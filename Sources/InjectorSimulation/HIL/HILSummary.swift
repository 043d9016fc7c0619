import Foundation
import InjectorCore
import InjectorLinks
import InjectorPlant
import InjectorProtocol

/// Why a served session ended.
public enum HILEnding: Equatable, Sendable, CustomStringConvertible {
    /// SIGINT/SIGTERM or the caller's stop flag.
    case stopRequested
    /// The `--seconds` limit.
    case durationReached
    /// The driven procedure is over and the tail has run.
    case procedureFinished
    /// The scenario's `maxDuration` after the scheduled start.
    case scenarioTimeUp
    /// A link failed for good (unplugged, closed); the message says which and why.
    case linkFailed(String)
    /// The driven host refused the firmware (another configuration hash or protocol
    /// version); the message names both sides' values.
    case firmwareRefused(IdentityMismatch)

    public var description: String {
        switch self {
        case .stopRequested: "stop requested"
        case .durationReached: "duration reached"
        case .procedureFinished: "procedure finished"
        case .scenarioTimeUp: "scenario time up"
        case .linkFailed(let message): "link failed: \(message)"
        case .firmwareRefused(let mismatch): "firmware refused: \(mismatch)"
        }
    }
}

/// Frames of each message type, counted.
public struct FrameCounts: Equatable, Sendable {
    /// One counter per value of the type byte (`MessageType` is a `UInt8`).
    private var counts = [UInt64](repeating: 0, count: Int(UInt8.max) + 1)
    public init() {}
    public subscript(type: MessageType) -> UInt64 { counts[Int(type.rawValue)] }
    mutating func add(_ type: MessageType, _ n: UInt64 = 1) { counts[Int(type.rawValue)] &+= n }
    public var total: UInt64 { counts.reduce(0, &+) }
    /// "sim-actuators 9 981, telemetry 998" (types seen only).
    public var text: String {
        let parts = MessageType.allCases.filter { self[$0] > 0 }.map { "\($0) \(self[$0])" }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}

/// What a hardware-in-the-loop session did: timing, traffic, the firmware's
/// liveness, and the plant's truth at the end.
public struct HILSummary: Sendable {
    public var scenario: String
    public var link: String
    public var hostLink: String?
    public var ending: HILEnding
    /// Wall-clock time served.
    public var duration: Interval
    /// Plant time at the first and last tick (scenario time: mixing at 0).
    public var plantStart: Instant
    public var plantEnd: Instant
    public var ticks: Int64
    /// Wake-ups more than one period late; ticks skipped after a stall; the worst lateness.
    public var lateTicks: Int64
    public var skippedTicks: Int64
    public var worstLateness: Interval

    public var framesIn = FrameCounts()
    public var framesOut = FrameCounts()
    /// Ticks whose frames the peer did not take (it is not reading): dropped, not retried.
    public var writesNotTaken: UInt64 = 0
    public var decoder = ReceiveStatistics()
    public var hostDecoder: ReceiveStatistics?
    public var readErrors: UInt64 = 0
    public var writeErrors: UInt64 = 0
    /// Frames that came on a link that does not carry their traffic (dropped).
    public var misrouted = TrafficLinks.Misrouted()

    public var actuatorsReceived: UInt64 = 0
    /// Plant time of the first SimActuators (`nil`: the firmware never answered).
    public var firstActuatorsAt: Instant?
    /// Silences of at least the stale timeout after the firmware had been heard.
    public var staleEpisodes: Int = 0
    public var longestSilence = Interval.zero
    /// Still silent at the end.
    public var staleAtEnd = false
    public var stepPosition = Steps.zero
    /// Step-count discontinuities rebased (a restarted firmware counts from 0 again).
    public var stepRebases: Int = 0
    public var peakStepRate = StepsPerSecond.zero
    public var driverEnabledTicks: Int64 = 0

    public var peakPressure = Kilopascals(0)
    public var finalPressure = Kilopascals(0)
    public var displaced = Microliters.zero
    /// Out of the needle: into the body plus leaked.
    public var delivered = Microliters.zero
    public var intoBody = Microliters.zero
    public var leaked = LeakPaths<Microliters>(repeating: .zero)
    public var front: Double = 0
    public var posteriorQuarterReachedAt: Instant?

    /// The firmware's last Telemetry, if any came (shared link or driven host link).
    public var firmware: TelemetryReport?
    public var commandsSent: Int = 0
    public var commandsAccepted: Int = 0
    public var commandsRefused: Int = 0
    public var commandsFailed: Int = 0
    public var eventsReceived: Int = 0
    public var identity: FirmwareIdentity?
    /// Why the driven host would not command the firmware, if it would not.
    public var refusal: IdentityMismatch?

    public var leakedTotal: Microliters { leaked.vein + leaked.epidural + leaked.needleTract + leaked.disc }

    /// The report printed at the end of `injector-sim serve`.
    public var text: String {
        func ul(_ v: Microliters) -> String { fixed(v.rawValue) + " µL" }
        func ms(_ i: Interval) -> String { fixed(i.milliseconds) + " ms" }
        func s(_ t: Instant) -> String { fixed(Double(t.nanoseconds) / 1e9) + " s" }
        func stats(_ d: ReceiveStatistics) -> String {
            "\(d.framesDecoded) decoded, \(d.framesDropped) dropped (crc \(d.checksumFailures), cobs/short \(d.badEncodings), "
                + "oversize \(d.oversizeFrames), version \(d.versionMismatches), type \(d.unknownTypes), "
                + "malformed \(d.malformedPayloads)), sequence gaps \(d.sequenceGaps)"
        }
        var lines: [String] = []
        lines.append("hardware in the loop: \(scenario) on \(link)" + (hostLink.map { ", host on \($0)" } ?? ""))
        lines.append("  ended:      \(ending) after \(fixed(duration.seconds)) s wall; plant \(s(plantStart)) → \(s(plantEnd)) (\(ticks) ticks)")
        lines.append("  pacing:     \(lateTicks) ticks woke > 1 period late, \(skippedTicks) skipped, worst lateness \(ms(worstLateness))")
        lines.append("  frames in:  \(framesIn.total): \(framesIn.text)")
        lines.append("  frames out: \(framesOut.total): \(framesOut.text); the peer did not take the writes of \(writesNotTaken) ticks")
        lines.append("  decoder:    \(stats(decoder))")
        if let hostDecoder { lines.append("  host link:  \(stats(hostDecoder))") }
        if readErrors + writeErrors > 0 { lines.append("  link errors: \(readErrors) read, \(writeErrors) write") }
        if misrouted != TrafficLinks.Misrouted() {
            lines.append("  misrouted:  \(misrouted.simulationOnHostLink) simulation frames on the host link, \(misrouted.hostOnSimulationLink) host frames on the sim link (dropped)")
        }
        let first = firstActuatorsAt.map { "first at \(s($0))" } ?? "never heard from the firmware"
        lines.append("  actuators:  \(actuatorsReceived) SimActuators, \(first); \(staleEpisodes) silences ≥ stale timeout, longest \(ms(longestSilence))"
                     + (staleAtEnd ? ", SILENT AT THE END" : ""))
        lines.append("              step position \(stepPosition.count), peak rate \(fixed(peakStepRate.rawValue)) steps/s, driver enabled \(driverEnabledTicks) ticks"
                     + (stepRebases > 0 ? ", \(stepRebases) step-count rebases" : ""))
        lines.append("  plant:      peak \(fixed(peakPressure.rawValue)) kPa, final \(fixed(finalPressure.rawValue)) kPa; displaced \(ul(displaced)), delivered \(ul(delivered)) (body \(ul(intoBody)))")
        lines.append("              leaked \(ul(leakedTotal)) (vein \(ul(leaked.vein)), epidural \(ul(leaked.epidural)), needle tract \(ul(leaked.needleTract)), disc \(ul(leaked.disc))); front \(fixed(front))"
                     + (posteriorQuarterReachedAt.map { ", posterior quarter at \(s($0))" } ?? ""))
        if let f = firmware {
            lines.append("  firmware:   \(f.state) (\(f.stateReason)), its delivered \(ul(f.delivered)) of cap \(ul(f.cap)), pressure \(fixed(f.pressure.rawValue)) kPa")
        }
        if let identity {
            lines.append("  identified: firmware \(identity.firmwareVersion), configuration 0x\(String(identity.configurationHash, radix: 16))")
        }
        if let refusal { lines.append("  refused:    \(refusal)") }
        if commandsSent > 0 || identity != nil {
            lines.append("  commands:   \(commandsSent) sent, \(commandsAccepted) accepted, \(commandsRefused) refused, \(commandsFailed) failed; \(eventsReceived) events")
        }
        return lines.joined(separator: "\n")
    }
}

/// `x` with `digits` decimals, for the HIL log and summary.
func fixed(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
