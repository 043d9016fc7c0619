import InjectorCore

/// One leak path: a channel from the needle tip's surroundings to a space outside the
/// body, closed until a trigger opens it, then open for good (cement that has found a
/// path keeps it).
///
/// Open, it carries Q = ((p_tip − p_exit) / (K·G))^(1/n), the power-law tube law of an
/// equivalent round channel of `channelDiameter` × `channelLength`. Any trigger opens it:
/// tip pressure above `opensAbovePressure`, the front at `opensAtFrontPosition`, or the
/// body holding `opensAtFilledVolume`.
public struct LeakPathParameters: Equatable, Sendable {
    /// Bore of the equivalent channel.
    public var channelDiameter: Millimeters
    public var channelLength: Millimeters
    /// Pressure in the space the path leads to (venous, epidural, intradiscal).
    public var exitPressure: Kilopascals
    /// Opens when the tip pressure exceeds this; `nil`: pressure does not open it.
    public var opensAbovePressure: Kilopascals?
    /// Opens when the front reaches this position (1: the posterior wall); `nil`: never by front.
    public var opensAtFrontPosition: Double?
    /// Opens when the body holds this much; `nil`: never by volume.
    public var opensAtFilledVolume: Microliters?
    /// The entry throat's limit (`LeakEntry`): when a trigger fires, the path opens only if
    /// the cement's yield stress is below this; otherwise the cement passes it by, for
    /// good (its yield stress only grows). `nil`: any cement enters.
    public var entryYieldStress: Kilopascals? = nil

    public init(channelDiameter: Millimeters, channelLength: Millimeters, exitPressure: Kilopascals,
                opensAbovePressure: Kilopascals? = nil, opensAtFrontPosition: Double? = nil,
                opensAtFilledVolume: Microliters? = nil) {
        precondition(channelDiameter.rawValue > 0 && channelLength.rawValue > 0, "a leak channel needs a size")
        self.channelDiameter = channelDiameter
        self.channelLength = channelLength
        self.exitPressure = exitPressure
        self.opensAbovePressure = opensAbovePressure
        self.opensAtFrontPosition = opensAtFrontPosition
        self.opensAtFilledVolume = opensAtFilledVolume
    }

    /// A path with no trigger: it never opens.
    public static let closed = LeakPathParameters(
        channelDiameter: Millimeters(1), channelLength: Millimeters(10), exitPressure: .zero)

    /// Whether any trigger has fired.
    public func opens(tipPressure: Kilopascals, frontPosition: Double, filled: Microliters) -> Bool {
        if let p = opensAbovePressure, tipPressure > p { return true }
        if let x = opensAtFrontPosition, frontPosition >= x { return true }
        if let v = opensAtFilledVolume, filled >= v { return true }
        return false
    }

    /// Whether any trigger is set (a path without one can never open).
    public var canOpen: Bool {
        opensAbovePressure != nil || opensAtFrontPosition != nil || opensAtFilledVolume != nil
    }
}

extension LeakPathParameters {
    /// Example paths for scenarios. All sizes are estimates, chosen so that an open path
    /// is a low-resistance branch: at clinical flow it needs about as much pressure as the
    /// nominal body (~40 kPa at 2 mL), so it takes a large share of the flow.
    ///
    /// Basivertebral veins: one 4 mm × 10 mm equivalent channel to venous pressure ≈ IVC,
    /// 1 kPa (brief: Spine 1981), opening above `threshold` at the tip.
    public static func vein(opensAbove threshold: Kilopascals) -> LeakPathParameters {
        LeakPathParameters(channelDiameter: Millimeters(4), channelLength: Millimeters(10),
                           exitPressure: Kilopascals(1), opensAbovePressure: threshold)
    }

    /// Posterior-wall defect: 4 mm × 5 mm into the epidural space (~1 kPa), opening when
    /// the front reaches the wall (case 1).
    public static let posteriorWallDefect = LeakPathParameters(
        channelDiameter: Millimeters(4), channelLength: Millimeters(5), exitPressure: Kilopascals(1),
        opensAtFrontPosition: 1)

    /// Needle tract through a broken medial pedicle wall: an annulus around the needle,
    /// as a 4 mm × 15 mm channel to the epidural space, opening once the body holds
    /// `volume` (case 2: early loss of resistance at low volume).
    public static func needleTract(opensAt volume: Microliters) -> LeakPathParameters {
        LeakPathParameters(channelDiameter: Millimeters(4), channelLength: Millimeters(15),
                           exitPressure: Kilopascals(1), opensAtFilledVolume: volume)
    }

    /// End-plate fracture into the disc: 3 mm × 5 mm against intradiscal pressure, about
    /// 100 kPa lying prone (estimate after Nachemson's in-vivo measurements).
    public static func endPlateFracture(opensAbove threshold: Kilopascals) -> LeakPathParameters {
        LeakPathParameters(channelDiameter: Millimeters(3), channelLength: Millimeters(5),
                           exitPressure: Kilopascals(100), opensAbovePressure: threshold)
    }

    /// A basivertebral or paravertebral vein the cement front meets once the body holds
    /// `volume`: the vein preset's channel, opening by volume.
    public static func basivertebralVein(opensAt volume: Microliters) -> LeakPathParameters {
        vein(opensAbove: .zero).opening(atFilledVolume: volume)
    }

    /// An epidural route (a basivertebral foramen, a posterior-wall defect) the cement
    /// around the tip reaches once the body holds `volume`, at ordinary volumes rather
    /// than only at the wall (Ryu et al.: 26.5 % of vertebrae). The posterior-wall
    /// defect's channel.
    public static func epiduralRoute(opensAt volume: Microliters) -> LeakPathParameters {
        posteriorWallDefect.opening(atFilledVolume: volume)
    }

    /// An end-plate crack the front meets once the body holds `volume`: the end-plate
    /// preset's channel, opening by volume.
    public static func endPlateCleft(opensAt volume: Microliters) -> LeakPathParameters {
        endPlateFracture(opensAbove: .zero).opening(atFilledVolume: volume)
    }

    /// The same channel with one trigger only: the body holding `volume`.
    func opening(atFilledVolume volume: Microliters) -> LeakPathParameters {
        var path = self
        path.opensAbovePressure = nil
        path.opensAtFrontPosition = nil
        path.opensAtFilledVolume = volume
        return path
    }
}
