#if canImport(Glibc)
import Glibc
#endif

/// Bytes per fread: a configuration or scenario file is a few kB, so one read takes it.
let textFileChunkBytes = 64 * 1024

/// Reads a whole text file with stdio, so this target needs no Foundation.
func readTextFile(_ path: String) throws(FileReadError) -> String {
    guard let file = fopen(path, "rb") else { throw FileReadError(path: path, code: errno) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: textFileChunkBytes)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count {
            if ferror(file) != 0 { throw FileReadError(path: path, code: errno) }
            break
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

struct FileReadError: Error, CustomStringConvertible {
    let path: String
    let code: Int32
    var description: String { "\(path): \(String(cString: strerror(code)))" }
}
