#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import InjectorCore
import InjectorHardware

/// `chips`: every GPIO chip with its label, line count and line names, and the IIO devices.
struct Chips: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List GPIO chips (label, lines, line names and consumers) and IIO devices.")
    @Option(help: "Only this chip (name or path); fails with exit 3 if it cannot be opened.") var chip: String?
    @Flag(help: "Print one line per GPIO line (offset, name, consumer).") var lines = false

    func run() throws {
        print("libgpiod \(GPIOCalls.libraryVersion) (API v\(GPIOCalls.libgpiod.apiVersion()))")
        let names = chip.map { [$0] } ?? GPIOChip.listChips()
        if names.isEmpty { print("GPIO chips: none") }
        var failed = false
        for name in names {
            do {
                let opened = try GPIOChip.open(name)
                let infos = (0..<UInt32(opened.lineCount)).map { try? opened.lineInfo($0) }
                let named = infos.compactMap { $0 }.filter { !$0.name.isEmpty }.count
                print("\(name) [\(opened.label)] \(opened.lineCount) lines, \(named) named")
                guard lines else { continue }
                for (offset, info) in infos.enumerated() {
                    guard let info else { print("  \(offset)\t?"); continue }
                    let name = info.name.isEmpty ? "unnamed" : info.name
                    print("  \(offset)\t\(name)\t" + (info.used ? "used by \"\(info.consumer)\"" : "unused"))
                }
            } catch {
                print("error: \(error)")
                failed = true
            }
        }
        let iio = IIOChannel.listDevices(root: "/sys/bus/iio/devices")
        print("IIO devices: " + (iio.isEmpty ? "none" : iio.joined(separator: ", ")))
        if failed { throw ExitCode(3) }
    }
}

/// `inputs`: requests the board's lines as the firmware does (outputs at their safe
/// defaults, ENABLE disabled), prints the switch table once, and gives them back.
/// Never enables the driver.
struct Inputs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the board's switches once (outputs held at their safe defaults) and print a table.")
    @Option(help: "Board file (hardware/boards/*.yaml).") var board: String
    @Option(help: "Hold the lines this many seconds before reading (for tests).") var holdSeconds = 0.0

    func run() throws {
        let boardConfiguration: BoardConfiguration
        do { boardConfiguration = try BoardConfigurationFile.load(path: board) } catch {
            print("error: \(error)")
            throw ExitCode(2)
        }
        let lines: BoardLines
        do { lines = try BoardLines.open(boardConfiguration) } catch {
            print("error: \(error)")
            throw ExitCode(3)
        }
        defer { lines.release(disabling: boardConfiguration.enablePolarity) }
        let debounce = lines.inputLines.first.map { $0.debounce } ?? .zero
        print("board \(boardConfiguration.name): \(lines.chip.name) [\(lines.chip.label)], libgpiod "
              + "\(GPIOCalls.libraryVersion) (API v\(GPIOCalls.libgpiod.apiVersion())), debounce \(debounce.nanoseconds / 1000) us")
        print(lines.nameCheck.description)
        if holdSeconds > 0 { usleep(UInt32(min(holdSeconds, 3600) * 1_000_000)) }
        let read = lines.switches.read()
        for (role, line) in zip(boardConfiguration.wiredSwitches, lines.inputLines) {
            let level = (try? line.read()).map { "\($0)" } ?? "read-failed"
            print("input \(role.name) line \(boardConfiguration.inputs[role]!.line) level \(level) \(read[role])")
        }
        if let fault = lines.driverFault, let spec = boardConfiguration.driverFault {
            let level = (try? fault.line.read()).map { "\($0)" } ?? "read-failed"
            print("input driverFault line \(spec.line) level \(level) \(fault.read().0)")
        }
        print("output ENABLE line \(boardConfiguration.enable) level \(lines.enable.lastSet) disabled "
              + "(\(boardConfiguration.enablePolarity))")
        print("read failures \(lines.switches.readFailures)")
    }
}
