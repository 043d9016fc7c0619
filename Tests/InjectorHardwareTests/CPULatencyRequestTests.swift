#if canImport(Glibc)
import Glibc
#endif
import InjectorHardware
import Testing

/// The PM QoS request is the 32-bit value cyclictest writes, held while the file is open.
@Suite struct CPULatencyRequestTests {
    @Test func writesTheRequestAsFourBytesAndReleasesIt() throws {
        let dir = TemporaryDirectory()
        defer { dir.destroy() }
        dir.write("cpu_dma_latency", "")
        let path = dir.path + "/cpu_dma_latency"
        let (request, step) = CPULatencyRequest.hold(microseconds: 7, path: path)
        #expect(step.succeeded)
        #expect(step.detail == "7 µs held while running")
        let held = try #require(request)
        var stats = stat()
        #expect(stat(path, &stats) == 0 && stats.st_size == 4)
        let fd = open(path, O_RDONLY)
        var value: Int32 = -1
        #expect(withUnsafeMutableBytes(of: &value) { read(fd, $0.baseAddress, 4) } == 4)
        close(fd)
        #expect(value == 7)
        held.release()
        held.release()   // idempotent
    }

    @Test func aPathItCannotOpenIsAFailedStepNotAnError() {
        let (request, step) = CPULatencyRequest.hold(path: "/nonexistent/cpu_dma_latency")
        #expect(request == nil)
        #expect(!step.succeeded)
        #expect(step.detail.contains("No such file or directory"))
    }
}
