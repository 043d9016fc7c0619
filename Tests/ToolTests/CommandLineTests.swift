import Foundation
import InjectorToolSupport
import Testing

/// The command-line conventions every tool keeps (issue 11, item 7), tried on the built
/// tools as a person would run them.
@Suite struct CommandLineTests {
    static let tools = ["injector-log", "injector-sim", "injector-firmware", "injector-console", "injector-router"]
    let config = "hardware/configs/lumbar-10ml-11g.yaml"

    @Test(arguments: tools) func everyToolPrintsTheOneVersion(_ tool: String) throws {
        let r = try runTool(tool, ["--version"])
        #expect(r.status == 0)
        #expect(r.stdout == ToolVersion.text + "\n")
    }

    @Test(arguments: tools) func everyToolWritesACompletionScript(_ tool: String) throws {
        let r = try runTool(tool, ["--generate-completion-script", "bash"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("complete ") && r.stdout.contains(tool))
    }

    @Test func anUnknownLogLevelIsAUsageErrorThatListsTheLevels() throws {
        let r = try runTool("injector-firmware", ["run", "--config", config, "--sim-link", "pty", "--log-level", "bogus"])
        #expect(r.status == ToolExit.usage.rawValue)
        #expect(r.stderr.contains("--log-level must be one of trace, debug, info, notice, warning, error, critical; got 'bogus'"))
    }

    /// A missing output folder: one line naming the option and the folder, exit 5, and
    /// before any work is done.
    @Test(arguments: [
        ("injector-sim", ["run", "simulator/scenarios/01-nominal.yaml", "--json", "/nonexistent-injector/x.json"], "--json"),
        ("injector-sim", ["campaign", "run", "--runs", "1", "--json", "/nonexistent-injector/c.json"], "--json"),
        ("injector-sim", ["run", "--csv-dir", "/nonexistent-injector/a/b"], "--csv-dir"),
        ("injector-log", ["record", "/dev/null", "-o", "/nonexistent-injector/r.cap", "--seconds", "1"], "--output"),
        ("injector-firmware", ["run", "--config", "hardware/configs/lumbar-10ml-11g.yaml", "--sim-link", "pty",
                               "--ledger", "/nonexistent-injector/ledger"], "--ledger"),
    ])
    func aMissingOutputFolderIsOneClearLine(_ tool: String, _ arguments: [String], _ option: String) throws {
        let r = try runTool(tool, arguments)
        #expect(r.status == ToolExit.outputFailed.rawValue)
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.hasPrefix("error: \(option) /nonexistent-injector/"))
        #expect(r.stderr.contains("does not exist"))
    }

    @Test func decodeIntoAMissingFolderIsOneClearLine() throws {
        let capture = "/tmp/injector-cli-\(getpid()).cap"
        defer { unlink(capture) }
        try Data(Array("INJCAP02".utf8) + [64] + [UInt8](repeating: 0, count: 55)).write(to: URL(fileURLWithPath: capture))
        let r = try runTool("injector-log", ["decode", capture, "--prefix", "/nonexistent-injector/out"])
        #expect(r.status == ToolExit.outputFailed.rawValue && r.stderrLines.count == 1)
        #expect(r.stderr == "error: --prefix /nonexistent-injector/out: the folder /nonexistent-injector does not exist\n")
        let bad = try runTool("injector-log", ["summary", "/nonexistent-injector/x.cap"])
        #expect(bad.status == ToolExit.badInput.rawValue && bad.stderrLines.count == 1)
    }

    /// The campaign's progress bar redraws with `\r` on a terminal, and writes nothing
    /// into a file or pipe.
    @Test func progressIsDrawnOnlyOnATerminal() throws {
        let arguments = ["campaign", "run", "--runs", "2", "--jobs", "2", "--no-baseline"]
        let piped = try runTool("injector-sim", arguments)
        #expect(piped.status == 0 || piped.status == 1)
        #expect(!piped.stderr.contains("\r") && !piped.stderr.contains("[#"))
        #expect(piped.stdout.contains("Campaign: 2 runs"))
        let terminal = try runTool("injector-sim", arguments, stderrOnTerminal: true)
        #expect(terminal.stderr.contains("\r[") && terminal.stderr.contains("2/2 (100 %)"))
    }

    /// The firmware's log lines lead with the wall-clock time to the millisecond.
    @Test func logLinesHaveMillisecondTimestamps() throws {
        let r = try runTool("injector-firmware", ["run", "--config", config, "--sim-link", "pty", "--seconds", "0.2",
                                                  "--priority", "0", "--no-mlock"])
        #expect(r.status == 0)
        let stamped = try Regex(#"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trace|debug|info|notice|warning|error|critical) injector\.firmware: "#)
        #expect(r.stderrLines.count >= 3)
        for line in r.stderrLines { #expect(line.firstMatch(of: stamped) != nil, "\(line)") }
        #expect(r.stderr.contains("injector-firmware \(ToolVersion.text): configuration"))
    }

    /// A seed copied from a JSON summary, quotes and all, replays that run.
    @Test func replayTakesASeedAsTheJSONWritesIt() throws {
        let quoted = try runTool("injector-sim", ["replay", "--seed", "\"18446744073709551557\"", "--json", "/tmp/injector-cli-replay-\(getpid()).json"])
        defer { unlink("/tmp/injector-cli-replay-\(getpid()).json") }
        #expect(quoted.status == 0 || quoted.status == 1)
        let json = try String(contentsOfFile: "/tmp/injector-cli-replay-\(getpid()).json", encoding: .utf8)
        #expect(json.contains("\"seed\" : \""))
        let bad = try runTool("injector-sim", ["replay", "--seed", "12x"])
        #expect(bad.status == ToolExit.usage.rawValue)
    }
}
