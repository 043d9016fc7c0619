import InjectorCore

/// What a plant's parameters fix for the whole run, worked out once in SI units so that
/// a step multiplies by K instead of recomputing geometry.
struct PlantConstants: Sendable {
    /// m³/Pa, and its inverse.
    let compliance: Double
    let inverseCompliance: Double
    /// Entrained air at atmospheric pressure (m³; 0: none) and that pressure (Pa).
    let airVolume: Double
    let atmosphere: Double
    let flowIndex: Double
    /// Raises to 1/n (built once: see `HalfIntegerPower`).
    let inverseIndex: HalfIntegerPower
    /// G of the needle in Δp = K·G·Qⁿ.
    let needleGeometry: Double
    /// G of each leak channel.
    let leakGeometry: LeakPaths<Double>
    /// m³.
    let deadVolume: Double
    /// Pa.
    let bodyBackPressure: Double
    /// Christopher–Middleman bed factor times (1/4π)ⁿ.
    let bodyFactor: Double
    let cavityRadius: Double
    /// r₀^(1−2n), and 1 − 2n, for the radial integral.
    let cavityTerm: Double
    let radialExponent: Double
    let porosity: Double
    /// r₀³ and 3/(4πφ): r_f³ = r₀³ + 3V/(4πφ).
    let cavityCube: Double
    let volumeToCube: Double
    /// (1 − 2n)/3: r_f^(1−2n) = (r_f³)^((1−2n)/3), one power instead of a cube root and a power.
    let cubedExponent: Double
    /// 1/τ of the consistency's growth, in 1/s.
    let growthRate: Double
    /// Each path's triggers as plain numbers, +∞ where a trigger is not set.
    let leakTriggers: LeakPaths<LeakTrigger>
    /// G's factor over 1 − 2n, so that the body's G is taken with a multiplication.
    let bodyFactorOverExponent: Double
    /// For the recorded state: 1/C in kPa/µL, and the front's geometry with 1/V_wall (per µL).
    let kilopascalsPerMicroliter: Double
    let front: CementFrontGeometry
    let inverseWallVolume: Double
    /// Each path's exit pressure (Pa) and 4·L/d, its yield pressure per pascal of yield stress.
    let leakExit: LeakPaths<Double>
    let yieldPressurePerStress: LeakPaths<Double>
    /// 1/K_c of the interdigitation factor 1 + K/K_c (0 when off).
    let inverseInterdigitation: Double
    /// Tip pressure (Pa) above which the bed fails (+∞ when it never does), and the share
    /// of the intact bed's resistance left after.
    let failurePressure: Double
    let failureShare: Double
    /// Each path's entry limit on the yield stress (Pa), +∞ when any cement enters.
    let entryYieldStress: LeakPaths<Double>
    /// The syringe's curing clock rate r(T_syringe) (`CuringRate`), worked out once.
    let curingRate: Double
    /// Whether the venous exit pressure moves (breathing or a Valsalva).
    let venousMoves: Bool

    /// Below this filled volume the body's resistance is taken at this volume (m³), so
    /// that the first drop out of the tip meets a finite resistance.
    static let seedVolume = 1e-9

    init(_ p: PlantParameters) {
        let n = p.cement.flowIndex
        compliance = p.syringe.compliance.compliance.rawValue * 1e-9 / 1e3
        inverseCompliance = 1 / compliance
        airVolume = p.syringe.compliance.entrainedAir.cubicMeters
        atmosphere = SyringeCompliance.atmosphere.pascals
        flowIndex = n
        inverseIndex = HalfIntegerPower(1 / n)
        needleGeometry = PowerLawTube.geometryFactor(bore: p.needle.bore, length: p.needle.length, flowIndex: n)
        leakGeometry = p.leaks.map {
            PowerLawTube.geometryFactor(bore: $0.channelDiameter, length: $0.channelLength, flowIndex: n)
        }
        deadVolume = p.needle.deadVolume.cubicMeters
        bodyBackPressure = p.body.backPressure.pascals
        bodyFactor = TrabecularDarcy.bedFactor(permeability: p.body.permeability, porosity: p.body.porosity,
                                               flowIndex: n) * Libm.pow(1 / (4 * Double.pi), n)
        cavityRadius = p.body.tipCavityRadius.meters
        radialExponent = 1 - 2 * n
        cavityTerm = Libm.pow(cavityRadius, radialExponent)
        porosity = p.body.porosity
        cavityCube = cavityRadius * cavityRadius * cavityRadius
        volumeToCube = 3 / (4 * Double.pi * porosity)
        cubedExponent = radialExponent / 3
        growthRate = 1 / p.cement.growthTimeConstant.seconds
        leakTriggers = p.leaks.map(LeakTrigger.init)
        bodyFactorOverExponent = bodyFactor / radialExponent
        kilopascalsPerMicroliter = 1 / p.syringe.compliance.compliance.rawValue
        front = p.body.front
        inverseWallVolume = 1 / p.body.front.volumeToPosteriorWall.rawValue
        leakExit = p.leaks.map { $0.exitPressure.pascals }
        yieldPressurePerStress = p.leaks.map(LeakEntry.yieldPressurePerStress)
        inverseInterdigitation = 1 / p.body.leakEntry.interdigitationConsistency.rawValue
        entryYieldStress = p.leaks.map { $0.entryYieldStress?.pascals ?? .infinity }
        failurePressure = p.body.failure?.pressure.pascals ?? .infinity
        failureShare = p.body.failure?.resistanceShare ?? 1
        curingRate = p.cement.curing.syringeRate
        venousMoves = p.venous.breathingAmplitude.rawValue != 0 || p.venous.valsalva != nil
    }

    /// `CementFrontGeometry.position(filled:)` for `filled` µL, multiplying by 1/V_wall
    /// (within an ulp of its division).
    @inline(__always) func frontPosition(filled: Double) -> Double {
        front.position(wallShare: filled * inverseWallVolume)
    }

    /// G of the body in Δp = K·G·Qⁿ with `filled` m³ in it.
    ///
    /// r_f^(1−2n) is taken as (r₀³ + 3V/(4πφ))^((1−2n)/3), which is
    /// `TrabecularDarcy.frontRadius` raised to 1 − 2n with one power instead of a cube root
    /// and a power; the two agree to a few units in the last place (about 1e-15 relative).
    @inline(__always) func bodyGeometry(filled: Double) -> Double {
        let volume = max(filled, Self.seedVolume)
        let cube = cavityCube + volume * volumeToCube
        if Swift.abs(radialExponent) < 1e-9 {
            // n = ½: the integral is log(r_f/r₀) = log(r_f³/r₀³)/3.
            return bodyFactor * Libm.log(cube / cavityCube) / 3
        }
        return bodyFactor * (Libm.pow(cube, cubedExponent) - cavityTerm) / radialExponent
    }
}

/// A leak path's triggers (`LeakPathParameters.opens`) without optionals: tip pressure
/// above `pressure` (kPa), front at or past `front`, body holding `filled` (µL) or more.
struct LeakTrigger: Sendable {
    let pressure: Double
    let front: Double
    let filled: Double

    init(_ path: LeakPathParameters) {
        pressure = path.opensAbovePressure?.rawValue ?? .infinity
        front = path.opensAtFrontPosition ?? .infinity
        filled = path.opensAtFilledVolume?.rawValue ?? .infinity
    }

    /// The same answer as `LeakPathParameters.opens(tipPressure:frontPosition:filled:)`.
    @inline(__always) func fires(tipPressure: Double, front x: Double, filled v: Double) -> Bool {
        pressure < tipPressure || x >= front || !(v < filled)
    }
}

/// G of the body along a run, as the filled volume V grows. With u = r_f³ = r₀³ + 3V/(4πφ)
/// and a = (1 − 2n)/3, G = factor · (uᵃ − r₀^(1−2n))/(1 − 2n). uᵃ costs a `pow`; while u
/// stays within `maximumShift` (relative) of the last exactly computed u₀, it is taken from
/// the second-order Taylor series uᵃ ≈ u₀ᵃ(1 + aδ + a(a−1)δ²/2), δ = (u − u₀)/u₀, whose
/// error is below |a(a−1)(a−2)|/6 · δ³ ≈ 2e-11 of uᵃ for n = 0.4 (about 1e-9 of G once the
/// difference uᵃ − r₀^(1−2n) is taken, at the smallest volumes where it cancels most). At
/// clinical flow the `pow` is then paid every few tens of steps instead of every step.
struct BodyGeometryTracker: Sendable {
    static let maximumShift = 1e-3
    private var filled = -1.0
    private var value = 0.0
    private var anchorCube = 0.0
    private var anchorPower = 0.0
    private var slope = 0.0
    private var curvature = 0.0

    /// G of the body with `filled` m³ in it.
    @inline(__always) mutating func geometry(filled volume: Double, _ c: PlantConstants) -> Double {
        guard volume != filled else { return value }
        filled = volume
        guard Swift.abs(c.radialExponent) >= 1e-9 else {
            value = c.bodyGeometry(filled: volume)
            return value
        }
        let cube = c.cavityCube + Swift.max(volume, PlantConstants.seedVolume) * c.volumeToCube
        let shift = cube - anchorCube
        if anchorCube > 0 && Swift.abs(shift) <= Self.maximumShift * anchorCube {
            let power = anchorPower + shift * (slope + shift * curvature)
            value = c.bodyFactorOverExponent * (power - c.cavityTerm)
        } else {
            let a = c.cubedExponent
            anchorCube = cube
            anchorPower = Libm.pow(cube, a)
            slope = a * anchorPower / cube
            curvature = a * (a - 1) / 2 * anchorPower / (cube * cube)
            value = c.bodyFactor * (anchorPower - c.cavityTerm) / c.radialExponent
        }
        return value
    }
}
