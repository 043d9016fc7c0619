import InjectorCore
import InjectorProtocol

/// What a link carries.
public enum LinkRole: Sendable, Equatable, CustomStringConvertible {
    /// The host protocol only.
    case host
    /// The simulation I/O only.
    case simulation
    /// Both: one link for the host session and the simulator.
    case shared

    func carries(_ traffic: Traffic) -> Bool {
        switch self {
        case .shared: true
        case .host: traffic == .host
        case .simulation: traffic == .simulation
        }
    }

    public var description: String {
        switch self {
        case .host: "host link"
        case .simulation: "sim link"
        case .shared: "shared link"
        }
    }
}

/// The links one side talks on, and the one place where frames are split by traffic
/// (`MessageType.traffic`, docs/protocol.md "Sharing a link").
///
/// The host session and the simulation I/O may share one link or use one each. Either
/// way a received frame goes to the handler of its traffic, or, when it came on a link
/// that does not carry that traffic, is counted and dropped; a frame to send goes to the
/// link that carries its traffic. So a host session never sees a SimSensors, and a
/// simulator port never sees a host frame.
public final class TrafficLinks {
    /// Counts of frames that came on a link that does not carry their traffic (dropped).
    public struct Misrouted: Equatable, Sendable {
        /// SimSensors/SimActuators on a host-only link (e.g. a host playing simulator
        /// while a separate sim link is in use).
        public var simulationOnHostLink: UInt64 = 0
        /// Host frames on a simulation-only link.
        public var hostOnSimulationLink: UInt64 = 0

        public init() {}
    }

    /// Reads of each link per call of `receive`, each of up to one read buffer (4 KiB)
    /// and none waiting. 8 × 4 KiB a 1 ms tick is some 30 MB/s, far beyond any serial
    /// link or pty here, so a healthy peer is always read empty; the bound keeps a peer
    /// that floods the link from holding a tick for longer than a few decodes.
    public static let maxReadsPerReceive = 8

    /// The link that carries the host session, if any.
    public let host: FrameChannel?
    /// The link that carries the simulation I/O, if any (`host` itself when shared).
    public let simulation: FrameChannel?
    public private(set) var misrouted = Misrouted()
    private let links: [(channel: FrameChannel, role: LinkRole)]

    /// Two links, or one shared (the same channel for both), or only one of them.
    public init(host: FrameChannel?, simulation: FrameChannel?) {
        self.host = host
        self.simulation = simulation
        switch (host, simulation) {
        case let (h?, s?) where h === s: links = [(h, .shared)]
        case let (h?, s?): links = [(h, .host), (s, .simulation)]
        case let (h?, nil): links = [(h, .host)]
        case let (nil, s?): links = [(s, .simulation)]
        case (nil, nil): links = []
        }
    }

    /// One link carrying both kinds of traffic.
    public convenience init(shared channel: FrameChannel) { self.init(host: channel, simulation: channel) }

    public var isShared: Bool { links.first?.role == .shared }

    /// Reads every link (bounded, never waiting) and hands each frame to the handler of
    /// its traffic; a read error ends that link's reads for this call and is reported
    /// with the link's role. Returns the bytes read.
    @discardableResult
    public func receive(host toHost: (Frame) -> Void, simulation toSimulation: (Frame) -> Void,
                        failed: (LinkError, LinkRole) -> Void) -> Int {
        var total = 0
        for (channel, role) in links {
            for _ in 0..<Self.maxReadsPerReceive {
                do throws(LinkError) {
                    let n = try channel.receive(timeout: .zero) { frame in
                        route(frame, arrivedOn: role, host: toHost, simulation: toSimulation)
                    }
                    if n == 0 { break }
                    total += n
                } catch {
                    failed(error, role)
                    break
                }
            }
        }
        return total
    }

    private func route(_ frame: Frame, arrivedOn role: LinkRole, host toHost: (Frame) -> Void,
                       simulation toSimulation: (Frame) -> Void) {
        let traffic = frame.message.type.traffic
        guard role.carries(traffic) else {
            switch traffic {
            case .host: misrouted.hostOnSimulationLink &+= 1
            case .simulation: misrouted.simulationOnHostLink &+= 1
            }
            return
        }
        switch traffic {
        case .host: toHost(frame)
        case .simulation: toSimulation(frame)
        }
    }

    /// Queues `frame` on the link that carries its traffic. `false` when no link does
    /// (the frame is dropped) or that link's write buffer is full (counted there).
    @discardableResult
    public func queue(_ frame: Frame) -> Bool {
        let channel = frame.message.type.traffic == .host ? host : simulation
        return channel?.queue(frame) ?? false
    }

    /// Writes each link's queued frames in one call, never waiting: a peer that does not
    /// read costs frames (it resynchronises at the next delimiter), never the caller's
    /// timing. Each failure is reported with the link's role.
    public func flush(failed: (LinkError, LinkRole) -> Void) {
        for (channel, role) in links {
            do throws(LinkError) { try channel.flush(timeout: .zero) } catch { failed(error, role) }
        }
    }
}
