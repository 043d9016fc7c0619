import InjectorCore
import Testing

/// The configuration hash lives in the core now; it must be the function it was in
/// InjectorConfigFile, or every firmware in the field would be refused by new hosts.
@Suite struct ConfigurationFingerprintTests {
    /// Measured with the InjectorConfigFile implementation before the move (commit
    /// 694875e): `ConfigurationFingerprint.hash(InjectorConfiguration())`, which the
    /// shipped hardware/configs/lumbar-10ml-11g.yaml equals (`config-hash` printed the
    /// same 0xc65f65f133a53b1). A change to the configuration's fields changes it, and
    /// must: then update this value in the same commit and say why.
    /// Since: `ceilings.maxSessionVolume` (7 mL, the session ceiling of the volume
    /// ledger) joined the configuration, so its canonical text has one more line and the
    /// hash is 0xa662_7cde_c4f4_6a3e; the canonical-text test below checks the new line.
    /// Since: `syringe.maximumCompliance` (0.05 µL/kPa, the upper bound a stop's relief by
    /// volume must cover; issue 9, finding 4) joined the configuration and the default
    /// `release.stopBackoffVolume` rose from 150 to 175 µL to cover it (0.05 × 3.5 MPa),
    /// so the hash is 0x07d3_ecd7_687a_9d88.
    /// Since: `faults.resumeAllowanceAfterStop` (0 µL, what a resume may add after a
    /// posterior-quarter or leak stop; issue 9, finding 3) joined it: 0x81c4_0b1c_9f84_6136.
    /// Since: `faults.leakRecoveryFraction` (0.6) and `faults.leakRecoveryWindow` (10 s),
    /// the pressure recovery a resume after a leak must show (finding 3b): 0x4e03_fd5d_f54e_b79e.
    /// Since: `faults.occlusionStiffness` (10 kPa/µL), `faults.occlusionStiffnessWindow`
    /// (150 µL) and `faults.pressureStuckBand` (1 kPa), the offset-free occlusion check
    /// and the dither-tolerant stuck check (finding 5): 0x5631_2597_9059_d153.
    /// Since: `faults.leakRapidDropFraction` (0.02), `faults.leakRapidMinimumDrop` (15 kPa),
    /// `faults.leakRapidWindow` (40 ms) and `release.stopBackoffFlow` (200 µL/s), the rapid
    /// leak stage and the faster back-off after a stop (finding 6): 0xd850_20de_0c92_aeeb.
    /// Since: `syringeSizeSensorFitted` (false), `faults.deadVolumeTolerance` (0.1),
    /// `faults.plungerAreaTolerance` (0.06) and `faults.syringeBoreTolerance` (0.3 mm), the
    /// geometry cross-checks (finding 2): 0x80f9_3a33_cd8d_e566 alone, and with finding
    /// 6's keys 0x7f95_4e33_eed8_666e.
    static let defaultHashBeforeTheMove: UInt64 = 0x7f95_4e33_eed8_666e

    @Test func theDefaultConfigurationHashesAsItDidInTheConfigFileModule() {
        #expect(ConfigurationFingerprint.hash(InjectorConfiguration()) == Self.defaultHashBeforeTheMove)
    }

    @Test func anyChangedValueChangesTheHash() {
        var changed = InjectorConfiguration()
        changed.pressure.limit = Kilopascals(changed.pressure.limit.rawValue.nextDown)
        #expect(ConfigurationFingerprint.hash(changed) != Self.defaultHashBeforeTheMove)
        let text = ConfigurationFingerprint.canonicalText(InjectorConfiguration())
        #expect(text.contains("syringe.innerDiameter.rawValue=14.5\n"))
        #expect(text.contains("ceilings.maxSessionVolume.rawValue=7000.0\n"))
        #expect(text.contains("syringe.maximumCompliance.rawValue=0.05\n"))
    }
}
