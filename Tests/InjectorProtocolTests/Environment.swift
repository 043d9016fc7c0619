#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An environment variable, for test knobs (frame counts, seed directories).
func getenvString(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

struct ReadError: Error { var path: String }

/// A whole text file, read with stdio so the tests need no Foundation.
func readText(_ path: String) throws -> String {
    guard let file = fopen(path, "r") else { throw ReadError(path: path) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}
