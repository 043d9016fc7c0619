import InjectorCore
import InjectorLinks
import InjectorLogger
import InjectorProtocol

/// One process owns the device and serves several clients, as MAVProxy's `--out` does:
/// every byte the device sends goes to every client unchanged; every whole, valid frame
/// a client sends goes to the device (`ClientFramer`), so frames of two clients never
/// interleave. Both directions go into one capture, cut at frame boundaries: the
/// device's bytes up to its last delimiter, then each client frame as it is forwarded,
/// so the capture decodes as one stream (the message type tells the direction, except
/// for heartbeats, which both sides send; capture v2 will record it per chunk).
///
/// The router does not arbitrate sessions: the firmware has one host session, and the
/// last client to identify holds it (docs/logger.md, "Link router").
public final class LinkRouter {
    public struct Counters: Equatable, Sendable {
        public var bytesFromDevice: UInt64 = 0
        public var framesToDevice: [UInt64]
        /// Bytes a client did not take in time (it is not reading): dropped for it alone.
        public var bytesNotTaken: [UInt64]
        public var deviceFailures: UInt64 = 0
    }

    /// Device reads wait at most this long, so the client side is served every millisecond.
    static let deviceWait = Interval.milliseconds(1)
    static let reopenInterval = Interval.milliseconds(500)

    private var device: (any ByteLink)?
    private let openDevice: () throws(LinkError) -> any ByteLink
    private let clients: [any ByteLink]
    private var framers: [ClientFramer]
    private let capture: CaptureWriter?
    private let report: (String) -> Void
    private var deviceTail: [UInt8] = []
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    public private(set) var counters: Counters

    /// `open` opens the device (again after it failed); `clients` are the links served.
    public init(open: @escaping () throws(LinkError) -> any ByteLink, clients: [any ByteLink],
                capture: CaptureWriter?, report: @escaping (String) -> Void) {
        openDevice = open
        self.clients = clients
        framers = []
        for _ in clients { framers.append(ClientFramer()) }
        self.capture = capture
        self.report = report
        counters = Counters(framesToDevice: Array(repeating: 0, count: clients.count),
                            bytesNotTaken: Array(repeating: 0, count: clients.count))
    }

    deinit { buffer.deallocate() }

    /// Frames each client sent that were dropped (garbage, bad CRC, oversize).
    public func clientStatistics(_ i: Int) -> ReceiveStatistics { framers[i].statistics }

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
        for i in clients.indices { try fromClient(i) }
        try capture?.syncIfDue()
    }

    private func fromDevice(_ bytes: UnsafeRawBufferPointer) throws(CaptureError) {
        counters.bytesFromDevice += UInt64(bytes.count)
        for (i, client) in clients.enumerated() {
            do throws(LinkError) { try client.write(bytes, timeout: .zero) } catch {
                counters.bytesNotTaken[i] += UInt64(bytes.count)
            }
        }
        guard let capture else { return }
        // Up to the last delimiter now; the rest waits for its frame's end.
        deviceTail.append(contentsOf: bytes)
        if let last = deviceTail.lastIndex(of: WireFormat.delimiter) {
            try capture.append(Array(deviceTail[...last]))
            deviceTail.removeFirst(last + 1)
        }
    }

    private func fromClient(_ i: Int) throws(CaptureError) {
        let n: Int
        do throws(LinkError) { n = try clients[i].read(into: buffer, timeout: .zero) } catch { return }
        guard n > 0 else { return }
        var frames: [[UInt8]] = []
        framers[i].feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) { frames.append($0) }
        for frame in frames {
            counters.framesToDevice[i] += 1
            try capture?.append(frame)
            guard let link = device else { continue }
            do throws(LinkError) { try link.write(frame, timeout: .milliseconds(50)) } catch {
                deviceFailed(link, error)
            }
        }
    }

    private func openDeviceNoting() {
        do throws(LinkError) {
            device = try openDevice()
            report("device \(device!.name) open")
        } catch {
            if counters.deviceFailures == 0 { report("device: \(error); retrying every \(Self.reopenInterval)") }
            counters.deviceFailures += 1
        }
    }

    private func deviceFailed(_ link: any ByteLink, _ error: LinkError) {
        report("device lost: \(error); reopening")
        link.close()
        device = nil
        deviceTail.removeAll()
        counters.deviceFailures += 1
    }
}
