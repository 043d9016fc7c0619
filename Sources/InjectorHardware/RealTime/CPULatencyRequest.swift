#if canImport(Glibc)
import Glibc
#endif

/// Keeps the CPUs out of deep idle states while the firmware runs, as cyclictest does:
/// a 0 µs request written to `/dev/cpu_dma_latency` holds for as long as the file
/// stays open (the kernel's PM QoS interface), and lapses when the process exits.
/// Waking a core from a deep C-state costs tens to hundreds of µs on a Pi, which a
/// 1 ms tick and its step deadlines cannot absorb.
public final class CPULatencyRequest: @unchecked Sendable {
    public static let defaultPath = "/dev/cpu_dma_latency"
    public let path: String
    private var descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    /// Opens `path` and writes `microseconds` as the 32-bit value the interface reads;
    /// returns the request and a step for the start-up log, or `nil` and why not.
    public static func hold(microseconds: Int32 = 0,
                            path: String = defaultPath) -> (CPULatencyRequest?, RealTimeSetup.Step) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            return (nil, RealTimeSetup.Step(name: "cpu_dma_latency", succeeded: false,
                                            detail: "\(path): \(systemMessage(code)); needs root or write access"))
        }
        var value = microseconds
        let written = withUnsafeBytes(of: &value) { write(fd, $0.baseAddress, $0.count) }
        guard written == MemoryLayout<Int32>.size else {
            let code = errno
            close(fd)
            return (nil, RealTimeSetup.Step(name: "cpu_dma_latency", succeeded: false,
                                            detail: "\(path): write: \(systemMessage(code))"))
        }
        return (CPULatencyRequest(path: path, descriptor: fd),
                RealTimeSetup.Step(name: "cpu_dma_latency", succeeded: true,
                                   detail: "\(microseconds) µs held while running"))
    }

    /// Gives the request back (the kernel drops it when the file closes).
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
