#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One line on stderr (write(2): the C `stderr` global is not concurrency-safe in Swift 6).
func printError(_ text: String) {
    var bytes = Array((text + "\n").utf8)
    _ = Glibc.write(2, &bytes, bytes.count)
}

/// The session's link thread, apart from the view's.
func startThread(_ body: @escaping @Sendable () -> Void) {
    Thread { body() }.start()
}
