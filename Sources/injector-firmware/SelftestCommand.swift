#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import InjectorCore
import InjectorFirmware
import InjectorHardware

/// `selftest`: `BoardSelftest` on the board file's hardware, asking on the terminal.
struct Selftest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a board: read every input and sensor, toggle each output only when confirmed, "
            + "enable the driver only after a typed yes.")
    @Option(help: "Board file (hardware/boards/*.yaml).") var board: String
    @Option(help: "Times each confirmed output is toggled (1–20).") var toggles = 3
    @Option(help: "Seconds each level of a toggle is held (0.01–5), long enough to see on a meter or LED.")
    var holdSeconds = 0.5
    @Option(help: "Seconds the driver stays enabled when confirmed (0.1–10).") var enableSeconds = 1.0

    func validate() throws {
        guard (1...20).contains(toggles) else { throw ValidationError("--toggles: 1–20, got \(toggles)") }
        guard (0.01...5).contains(holdSeconds) else { throw ValidationError("--hold-seconds: 0.01–5, got \(holdSeconds)") }
        guard (0.1...10).contains(enableSeconds) else {
            throw ValidationError("--enable-seconds: 0.1–10, got \(enableSeconds)")
        }
    }

    func run() throws {
        let configuration: BoardConfiguration
        do { configuration = try BoardConfigurationFile.load(path: board) } catch {
            print("error: \(error)")
            throw ExitCode(2)
        }
        let hardware: BoardHardware
        do { hardware = try BoardHardware.open(configuration, backgroundSampling: false) } catch {
            print("error: \(error)")
            throw ExitCode(3)
        }
        defer { hardware.shutDown() }
        print("libgpiod \(GPIOCalls.libraryVersion) (API v\(GPIOCalls.libgpiod.apiVersion()))")
        let selftest = BoardSelftest(
            toggles: toggles, holdSeconds: holdSeconds, enableSeconds: enableSeconds,
            ask: { question in
                print(question, terminator: "")
                fflush(nil)   // every output stream: the question reaches a pipe before the read
                return readLine()
            },
            say: { print($0) }, pause: { usleep($0) }, now: { SystemClock().now() })
        if selftest.run(hardware).failures > 0 { throw ExitCode(3) }
    }
}
