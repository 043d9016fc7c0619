import InjectorCore
import InjectorPlant

/// One decimated sample of a run, for the CSV time series.
public struct TimeSeriesRow: Equatable, Sendable {
    /// Seconds after the scheduled start (negative while waiting and priming).
    public var time: Double
    public var state: InjectorState?
    public var stepRate: Double
    public var commandedFlow: Double
    public var pressureReading: Double
    public var syringePressure: Double
    public var tipPressure: Double
    public var needleFlow: Double
    public var displaced: Double
    public var intoBody: Double
    public var leaked: Double
    public var front: Double
    public var estimatedDelivered: Double
    public var cap: Double

    /// The schema shared with `injector-log decode`'s CSV where the meaning is the same
    /// (`time_from_start_s`, `state`, `pressure_kPa` as the controller read it,
    /// `delivered_uL` as it estimated it, `cap_uL`, `commanded_flow_uL_per_s`), so that
    /// `injector-log plot` draws a simulator run as it draws a capture; the plant's
    /// truth (syringe and tip pressure, displaced, into the body, leaked) beside it.
    public static let header =
        "time_from_start_s,state,step_rate_steps_per_s,commanded_flow_uL_per_s,pressure_kPa,syringe_pressure_kPa,tip_pressure_kPa,needle_flow_uL_per_s,displaced_uL,into_body_uL,leaked_uL,front,delivered_uL,cap_uL"

    public var csvLine: String {
        func f(_ x: Double) -> String { x.isNaN ? "" : String(x) }
        return [f(time), state.map(\.description) ?? "", f(stepRate), f(commandedFlow), f(pressureReading),
                f(syringePressure), f(tipPressure), f(needleFlow), f(displaced), f(intoBody), f(leaked),
                f(front), f(estimatedDelivered), f(cap)].joined(separator: ",")
    }
}

/// Records every `decimation`-th tick into storage reserved up front, so recording
/// never allocates inside the loop; past its capacity it stops recording and counts.
struct TimeSeriesRecorder {
    let decimation: Int
    private(set) var rows: [TimeSeriesRow] = []
    private(set) var dropped = 0
    private let capacity: Int
    private var countdown = 0

    /// `decimation` 0 records nothing.
    init(decimation: Int, capacity: Int) {
        self.decimation = decimation
        self.capacity = decimation > 0 ? capacity : 0
        rows.reserveCapacity(self.capacity)
    }

    var isRecording: Bool { decimation > 0 }

    /// Whether this tick is one to record.
    @inline(__always) mutating func due() -> Bool {
        guard decimation > 0 else { return false }
        if countdown > 0 { countdown -= 1; return false }
        countdown = decimation - 1
        return true
    }

    @inline(__always) mutating func append(_ row: TimeSeriesRow) {
        if rows.count < capacity { rows.append(row) } else { dropped += 1 }
    }

    static func row(time: Double, state: InjectorState?, stepRate: Double, commandedFlow: Double,
                    reading: Kilopascals, plant s: PlantState, estimated: Double, cap: Double) -> TimeSeriesRow {
        TimeSeriesRow(time: time, state: state, stepRate: stepRate, commandedFlow: commandedFlow,
                      pressureReading: reading.rawValue, syringePressure: s.syringePressure.rawValue,
                      tipPressure: s.tipPressure.rawValue, needleFlow: s.needleFlow.rawValue,
                      displaced: s.displacedVolume.rawValue, intoBody: s.deliveredToBody.rawValue,
                      leaked: s.leakedTotal.rawValue, front: s.frontPosition, estimatedDelivered: estimated, cap: cap)
    }
}
