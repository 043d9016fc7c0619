import Foundation
import InjectorCore
import InjectorFirmware
import InjectorLinks
import InjectorProtocol
import Testing

/// The volume ledger on disk (invariant 7): a restart resumes it; a corrupt file is
/// refused, never guessed; the control tick only publishes, a thread writes.
@Suite(.serialized) struct LedgerStoreTests {
    func temporaryPath() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("ledger").path
    }

    @Test func aMissingFileIsRefusedAndAWrittenOneReadsBack() throws {
        let path = temporaryPath()
        let store = LedgerStore(path: path)
        // A deleted ledger is not a new session: only new-session (allowMissing) starts one.
        #expect(throws: LedgerStore.LoadError.self) { try store.load() }
        let fresh = try store.load(allowMissing: true)
        #expect(fresh.isNew && fresh.ledger == VolumeLedger())
        let ledger = try #require(VolumeLedger(levelIndex: 2, levelPrimed: true, levelCommitted: Microliters(812.5),
                                               sessionCommitted: Microliters(3100)))
        store.writeNow(ledger)
        #expect(store.lastError == nil)
        let again = try LedgerStore(path: path).load()
        #expect(!again.isNew && again.ledger == ledger)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test func aCorruptFileIsRefusedAndLeftAsItIs() throws {
        let path = temporaryPath()
        try "injector-volume-ledger 1\nlevelIndex=1\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: LedgerStore.LoadError.self) { try LedgerStore(path: path).load() }
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("injector-volume-ledger 1"))
    }

    @Test func theWriterThreadPersistsWhatTheLoopPublishes() throws {
        let path = temporaryPath()
        let store = LedgerStore(path: path)
        store.start()
        let ledger = try #require(VolumeLedger(levelIndex: 1, levelPrimed: true, levelCommitted: Microliters(42),
                                               sessionCommitted: Microliters(42)))
        store.publish(ledger)
        var loaded: VolumeLedger?
        for _ in 0..<100 where loaded != ledger {
            usleep(10_000)
            loaded = try? LedgerStore(path: path).load().ledger
        }
        store.stop()
        #expect(loaded == ledger)
        #expect(store.writes >= 1 && store.failures == 0)
    }

    /// A firmware primed over hardware in the loop, stopped and started again from its
    /// ledger file: the second one refuses to prime the level again.
    @Test func aFirmwareRestartedFromItsLedgerRefusesToPrimeTheLevelAgain() throws {
        let configuration = try shippedConfiguration()
        let path = temporaryPath()
        let (first, peer) = try primedLoop(configuration, ledger: VolumeLedger(), store: LedgerStore(path: path))
        #expect(first.controller.ledger.levelPrimed)
        first.shutDown(at: Instant(nanoseconds: 100_000_000_000))
        withExtendedLifetime(peer) {}
        let restored = try LedgerStore(path: path).load()
        #expect(!restored.isNew && restored.ledger.levelPrimed)
        let (second, peer2) = try primedLoop(configuration, ledger: restored.ledger, store: LedgerStore(path: path),
                                             expectPrimed: false)
        #expect(second.controller.state == .idle)
        #expect(second.controller.ledger == restored.ledger)
        second.shutDown(at: Instant(nanoseconds: 100_000_000_000))
        withExtendedLifetime(peer2) {}
    }

    /// Runs a loop over a socket pair until it primed (or, if `expectPrimed` is false,
    /// until it answered `prime`, which it must refuse).
    func primedLoop(_ configuration: ValidatedConfiguration, ledger: VolumeLedger, store: LedgerStore,
                    expectPrimed: Bool = true) throws -> (FirmwareLoop, HostAndSimulator) {
        let (firmwareSide, hostSide) = try UnixSocketLink.pair()
        let io = SimulatedIO(port: SimulatorPort(), clock: .simulator, maxStepsPerTick: 30)
        let loop = FirmwareLoop(configuration: configuration, io: io,
                                links: TrafficLinks(shared: FrameChannel(link: firmwareSide)), simulator: io.port,
                                firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                                telemetryPeriod: .milliseconds(10), logger: FirmwareLoopTests.quiet,
                                ledger: ledger, ledgerStore: store)
        store.start()
        let peer = HostAndSimulator(link: hostSide, expectedHash: ConfigurationFingerprint.hash(configuration.configuration))
        var now = Instant(nanoseconds: 1_000_000_000)
        let tick = configuration.configuration.tickRate.period
        peer.host.connect(at: now)
        for i in 0..<20_000 {
            now = now + tick
            try peer.send(at: now)
            loop.tick(at: now)
            try peer.receive(at: now)
            if i == 5 { try peer.host.send(.prime, at: now) }
            if expectPrimed && loop.controller.state == .primed { break }
            if !expectPrimed && !peer.replies.isEmpty { break }
        }
        if expectPrimed { #expect(loop.controller.state == .primed) } else {
            #expect(peer.replies == [.refused(.prime, .levelAlreadyPrimed)])
        }
        return (loop, peer)
    }
}
