#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import InjectorConsole

struct Terminal: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A full-screen terminal view (ANSI, redrawn in place), with a key per command; works over SSH.")

    @OptionGroup var session: SessionOptions
    @Option(help: "Screen refreshes per second (1–30).") var refresh = 10

    func validate() throws {
        guard (1...30).contains(refresh) else { throw ValidationError("--refresh: 1 – 30 per second, got \(refresh)") }
    }

    func run() throws {
        let driver = try session.startDriver()
        let terminal = RawTerminal()
        defer { terminal.restore() }
        var input = TerminalInput()
        var buffer = [UInt8](repeating: 0, count: 64)
        while !input.quit {
            let (width, height) = terminal.size()
            let frame = TerminalScreen.render(driver.snapshot(), input: input, width: width, height: height)
            terminal.write(frame)
            let n = terminal.read(into: &buffer, timeoutMilliseconds: Int32(1000 / refresh))
            for byte in buffer.prefix(n) {
                driver.perform { s, now in input.feed(byte, &s, at: now) }
            }
        }
        driver.stop()
    }
}

/// The controlling terminal in raw mode on the alternate screen, cursor hidden;
/// `restore` puts everything back (also on SIGINT/SIGTERM through the quit key path).
final class RawTerminal {
    private var saved = termios()
    private let isTerminal: Bool

    init() {
        isTerminal = isatty(0) == 1
        if isTerminal {
            tcgetattr(0, &saved)
            var raw = saved
            cfmakeraw(&raw)
            raw.c_oflag |= tcflag_t(OPOST | ONLCR)
            tcsetattr(0, TCSANOW, &raw)
        }
        write("\u{1B}[?1049h\u{1B}[?25l")
    }

    func restore() {
        write("\u{1B}[?25h\u{1B}[?1049l")
        if isTerminal { tcsetattr(0, TCSANOW, &saved) }
    }

    func size() -> (Int, Int) {
        var w = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 else { return (80, 24) }
        return (Int(w.ws_col), Int(w.ws_row))
    }

    func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue } else { return } }
                offset += n
            }
        }
    }

    /// Waits up to the timeout for keys; returns how many bytes were read.
    func read(into buffer: inout [UInt8], timeoutMilliseconds: Int32) -> Int {
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeoutMilliseconds) > 0 else { return 0 }
        let n = Glibc.read(0, &buffer, buffer.count)
        return max(0, n)
    }
}
