import InjectorCore

extension StepGenerator {
    /// Plans the coming tick's steps (the one rule set, in InjectorCore) and issues them
    /// as STEP/DIR pulses through `output`, counting only the steps whose pulse went out
    /// (a failed falling edge after a rising one counts: the driver stepped). The steps
    /// of one tick go out as a burst at the start of the tick, bounded by
    /// `maxStepsPerTick`. Returns the signed number of steps issued; throws after
    /// recording the ones that went out.
    @discardableResult
    public mutating func advance(rate: StepsPerSecond, over interval: Interval, driver: DriverEnable,
                                 output: some StepOutput) throws(HardwareError) -> Int {
        let planned = plan(rate: rate, over: interval, driver: driver)
        guard planned != 0 else { return 0 }
        let d: StepDirection = planned > 0 ? .forward : .backward
        let sign = planned > 0 ? 1 : -1
        do throws(HardwareError) {
            try output.setDirection(d)
        } catch {
            record(issued: 0, of: planned)
            throw error
        }
        for issued in 0..<abs(planned) {
            do throws(StepPulseError) {
                try output.pulse()
            } catch {
                record(issued: sign * (issued + (error.stepIssued ? 1 : 0)), of: planned)
                throw error.error
            }
        }
        record(issued: planned, of: planned)
        return planned
    }
}
