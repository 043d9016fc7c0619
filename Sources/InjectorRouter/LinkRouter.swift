import InjectorCore
import InjectorLinks
import InjectorLogger
import InjectorProtocol

/// One process owns the device and serves several clients, as MAVProxy's `--out` does:
/// every byte the device sends goes to every client unchanged; every whole, valid frame
/// a client sends goes to the device (`ClientFramer`), so frames of two clients never
/// interleave. Both directions go into one capture, cut at frame boundaries: the
/// device's bytes up to its last delimiter, then each client frame as it is forwarded,
/// so the capture decodes as one stream; each chunk records its direction (capture v2),
/// so even the heartbeats, which both sides send, are told apart.
///
/// The router does not arbitrate sessions: the firmware has one host session, and the
/// last client to identify holds it (docs/logger.md, "Link router").
public final class LinkRouter {
    public struct Counters: Equatable, Sendable {
        public var bytesFromDevice: UInt64 = 0
        /// Per client, in the order they came (the `clients` first, then socket peers).
        public var framesToDevice: [UInt64] = []
        /// Bytes a client did not take in time (it is not reading): dropped for it alone.
        public var bytesNotTaken: [UInt64] = []
        public var deviceFailures: UInt64 = 0
    }

    /// One client link, its framer and its counts; a socket peer that hangs up is closed
    /// and kept for its counts.
    final class Client {
        let link: any ByteLink
        let framer = ClientFramer()
        let closesOnError: Bool
        var isOpen = true
        var framesToDevice: UInt64 = 0
        var bytesNotTaken: UInt64 = 0
        init(_ link: any ByteLink, closesOnError: Bool) {
            self.link = link
            self.closesOnError = closesOnError
        }
    }

    /// Device reads wait at most this long, so the client side is served every millisecond.
    static let deviceWait = Interval.milliseconds(1)
    static let reopenInterval = Interval.milliseconds(500)

    private var device: (any ByteLink)?
    private let openDevice: () throws(LinkError) -> any ByteLink
    private var clients: [Client]
    private let listeners: [UnixSocketListener]
    private let capture: CaptureWriter?
    private let report: (String) -> Void
    private var deviceTail: [UInt8] = []
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    private var deviceCounters = Counters()
    public var counters: Counters {
        var k = deviceCounters
        k.framesToDevice = clients.map(\.framesToDevice)
        k.bytesNotTaken = clients.map(\.bytesNotTaken)
        return k
    }

    /// `open` opens the device (again after it failed); `clients` are the links served,
    /// and every peer that connects to one of the `listeners` becomes one more.
    public init(open: @escaping () throws(LinkError) -> any ByteLink, clients: [any ByteLink],
                listeners: [UnixSocketListener] = [], capture: CaptureWriter?, report: @escaping (String) -> Void) {
        openDevice = open
        self.clients = clients.map { Client($0, closesOnError: false) }
        self.listeners = listeners
        self.capture = capture
        self.report = report
    }

    deinit { buffer.deallocate() }

    /// Frames each client sent that were dropped (garbage, bad CRC, oversize).
    public func clientStatistics(_ i: Int) -> ReceiveStatistics { clients[i].framer.statistics }

    /// Routes until `shouldStop` returns true; the capture is synced on the way out.
    public func run(shouldStop: () -> Bool) throws(CaptureError) {
        var nextOpen = monotonicInstant()
        while !shouldStop() {
            if device == nil {
                let now = monotonicInstant()
                if now >= nextOpen {
                    nextOpen = now + Self.reopenInterval
                    openDeviceNoting()
                }
            }
            try step()
        }
        try capture?.sync()
    }

    /// One pass: the device's bytes to every client, each client's frames to the device.
    public func step() throws(CaptureError) {
        if let link = device {
            var n = 0
            do throws(LinkError) { n = try link.read(into: buffer, timeout: Self.deviceWait) } catch {
                deviceFailed(link, error)
            }
            if n > 0 { try fromDevice(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
        } else {
            sleepBriefly(Self.deviceWait)
        }
        acceptPeers()
        for client in clients where client.isOpen { try fromClient(client) }
        try capture?.syncIfDue()
    }

    private func fromDevice(_ bytes: UnsafeRawBufferPointer) throws(CaptureError) {
        deviceCounters.bytesFromDevice += UInt64(bytes.count)
        for client in clients where client.isOpen {
            do throws(LinkError) { try client.link.write(bytes, timeout: .zero) } catch {
                client.bytesNotTaken += UInt64(bytes.count)
            }
        }
        guard let capture else { return }
        // Up to the last delimiter now; the rest waits for its frame's end.
        deviceTail.append(contentsOf: bytes)
        if let last = deviceTail.lastIndex(of: WireFormat.delimiter) {
            try capture.append(Array(deviceTail[...last]), direction: .fromFirmware)
            deviceTail.removeFirst(last + 1)
        }
    }

    private func fromClient(_ client: Client) throws(CaptureError) {
        let n: Int
        do throws(LinkError) { n = try client.link.read(into: buffer, timeout: .zero) } catch {
            if client.closesOnError {
                report("client \(client.link.name) gone: \(error)")
                client.link.close()
                client.isOpen = false
            }
            return
        }
        guard n > 0 else { return }
        var frames: [[UInt8]] = []
        client.framer.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) { frames.append($0) }
        for frame in frames {
            client.framesToDevice += 1
            try capture?.append(frame, direction: .toFirmware)
            guard let link = device else { continue }
            do throws(LinkError) { try link.write(frame, timeout: .milliseconds(50)) } catch {
                deviceFailed(link, error)
            }
        }
    }

    private func acceptPeers() {
        for listener in listeners {
            do throws(LinkError) {
                while let peer = try listener.acceptPending() {
                    clients.append(Client(peer, closesOnError: true))
                    report("client \(listener.path) connected (client \(clients.count))")
                }
            } catch {
                report("listener: \(error)")
            }
        }
    }

    private func openDeviceNoting() {
        do throws(LinkError) {
            device = try openDevice()
            report("device \(device!.name) open")
        } catch {
            if deviceCounters.deviceFailures == 0 { report("device: \(error); retrying every \(Self.reopenInterval)") }
            deviceCounters.deviceFailures += 1
        }
    }

    private func deviceFailed(_ link: any ByteLink, _ error: LinkError) {
        report("device lost: \(error); reopening")
        link.close()
        device = nil
        deviceTail.removeAll()
        deviceCounters.deviceFailures += 1
    }
}
