import InjectorCore

/// The pressure the venous leak routes (basivertebral veins and the epidural venous
/// plexus behind the posterior wall) drain against, moving with breathing and with a
/// Valsalva manoeuvre:
///
///     p_v(t) = p_exit + A · sin(2π t / T) + (p_Valsalva − p_exit while a Valsalva lasts)
///
/// p_exit is the path's own exit pressure (≈ IVC pressure, 1 kPa; brief: Spine 1981).
/// A and T: ±0.4 kPa (±3 mmHg) over a 4 s breath (estimate: the swing of central venous
/// pressure in a prone, spontaneously breathing patient). Valsalva: up to about 12 kPa
/// (90 mmHg, brief: Spine 1981), held while it lasts.
public struct VenousPressure: Equatable, Sendable {
    public var breathingAmplitude: Kilopascals
    public var breathingPeriod: Interval
    /// A strain (cough, Valsalva) from `from` to `until`, in plant time.
    public var valsalva: ValsalvaManoeuvre?

    public init(breathingAmplitude: Kilopascals = Kilopascals(0.4), breathingPeriod: Interval = .seconds(4),
                valsalva: ValsalvaManoeuvre? = nil) {
        precondition(breathingPeriod.nanoseconds > 0, "a breath takes time")
        self.breathingAmplitude = breathingAmplitude
        self.breathingPeriod = breathingPeriod
        self.valsalva = valsalva
    }

    /// Still venous pressure: no breathing swing, no Valsalva.
    public static let still = VenousPressure(breathingAmplitude: .zero)

    /// p_v − p_exit at `elapsed` seconds after the plant's start, `exit` the path's exit pressure (Pa).
    @inline(__always) func offset(elapsed: Double, exit: Double) -> Double {
        breathing(elapsed: elapsed) + valsalva(elapsed: elapsed, exit: exit)
    }

    /// The breathing swing (Pa) at `elapsed` seconds.
    @inline(__always) func breathing(elapsed: Double) -> Double {
        let amplitude = breathingAmplitude.pascals
        return amplitude == 0 ? 0 : amplitude * Libm.sin(2 * Double.pi * elapsed / breathingPeriod.seconds)
    }

    /// What a Valsalva adds (Pa) above `exit` at `elapsed` seconds, 0 outside it.
    @inline(__always) func valsalva(elapsed: Double, exit: Double) -> Double {
        guard let v = valsalva, elapsed >= v.from.seconds, elapsed < v.until.seconds else { return 0 }
        return Swift.max(0, v.pressure.pascals - exit)
    }
}

/// A Valsalva manoeuvre: venous pressure held at `pressure` from `from` to `until`
/// after the plant's start.
public struct ValsalvaManoeuvre: Equatable, Sendable {
    public var from: Interval
    public var until: Interval
    public var pressure: Kilopascals

    public init(from: Interval, until: Interval, pressure: Kilopascals = Kilopascals(12)) {
        precondition(until > from, "a Valsalva ends after it begins")
        self.from = from
        self.until = until
        self.pressure = pressure
    }
}
