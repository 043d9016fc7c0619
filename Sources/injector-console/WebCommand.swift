import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdWebSocket
import InjectorConsole
import Synchronization

struct Web: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the web dashboard on localhost: live plot, state, alarms, switches, events, a button per command.")

    @OptionGroup var session: SessionOptions
    @Option(help: "TCP port (1–65535).") var port = 8080
    @Option(help: "Address to listen on; the dashboard commands the injector, so keep it on this machine.")
    var address = "127.0.0.1"

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port: 1 – 65535, got \(port)") }
    }

    func run() async throws {
        let driver = try session.startDriver()
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: DashboardPage.html)))
        }
        router.ws("/ws") { inbound, outbound, _ in
            try await serveDashboard(driver, inbound: inbound, outbound: outbound)
        }
        let app = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
                              configuration: .init(address: .hostname(address, port: port)),
                              onServerRunning: { _ in
                                  print("dashboard http://\(address):\(port)/")
                                  fflush(nil)
                              })
        try await app.runService()
        driver.stop()
    }
}

/// One browser: the session's JSON every 100 ms (only samples and entries it has not
/// had), and its requests put through the session as the terminal's keys are.
func serveDashboard(_ driver: ConsoleDriver, inbound: WebSocketInboundStream,
                    outbound: WebSocketOutboundWriter) async throws {
    let feedback = FeedbackLine()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            var samplesFrom: UInt64 = 0, entriesFrom: UInt64 = 0
            while !Task.isCancelled {
                let s = driver.snapshot()
                let json = DashboardJSON.render(s, samplesFrom: samplesFrom, entriesFrom: entriesFrom,
                                                feedback: feedback.text)
                samplesFrom = s.history.nextIndex
                entriesFrom = s.log.nextIndex
                try await outbound.write(.text(json))
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        group.addTask {
            for try await message in inbound.messages(maxSize: 4096) {
                guard case .text(let text) = message else { continue }
                let answer = handleRequest(text, driver)
                feedback.text = answer
            }
        }
        // The browser went away (inbound ended) or a write failed: stop both.
        try await group.next()
        group.cancelAll()
    }
}

/// `{"request": id, "value": text}`, `{"confirm": true}` or `{"cancel": true}`; the
/// answer for the feedback line, also for what it cannot read.
func handleRequest(_ text: String, _ driver: ConsoleDriver) -> String {
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        return "request: not a JSON object"
    }
    if object["confirm"] as? Bool == true {
        return driver.perform { s, now in
            let label = s.pending?.action.label ?? "command"
            return s.confirm(at: now).feedback(label)
        }
    }
    if object["cancel"] as? Bool == true {
        driver.perform { s, _ in s.cancel() }
        return "cancelled: nothing sent"
    }
    guard let id = object["request"] as? String else { return "request: missing the action id" }
    guard let action = ConsoleAction(rawValue: id) else {
        return "request: '\(id)' is not an action; allowed: " + ConsoleAction.allCases.map(\.rawValue).joined(separator: ", ")
    }
    let value = (object["value"] as? String) ?? (object["value"] as? NSNumber).map { "\($0)" }
    return driver.perform { s, now in s.request(action, value: value, at: now).feedback(action.label) }
}

/// The answer to a browser's last request, shared by its two tasks.
final class FeedbackLine: Sendable {
    private let line = Mutex("")
    var text: String {
        get { line.withLock { $0 } }
        set { line.withLock { $0 = newValue } }
    }
}
