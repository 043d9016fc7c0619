import InjectorCore

/// Why a host will not command a firmware (docs/protocol.md, "IdentifyResponse").
public enum IdentityMismatch: Equatable, Sendable, CustomStringConvertible {
    case protocolVersion(firmware: UInt8, host: UInt8)
    case configurationHash(firmware: UInt64, expected: UInt64)

    public var description: String {
        switch self {
        case .protocolVersion(let firmware, let host):
            "firmware speaks protocol version \(firmware), this host speaks \(host): update one of them"
        case .configurationHash(let firmware, let expected):
            "firmware runs configuration \(hex(firmware)), expected \(hex(expected)): load the same configuration on both"
        }
    }
}

private func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

/// Why a queued command was not answered.
public enum CommandFailure: Equatable, Sendable {
    /// Resent the maximum number of times without an answer.
    case undelivered
    /// The firmware answered "out of sequence" or "no session": it restarted.
    case sessionLost
    /// The link went silent before the command was answered.
    case linkLost
    /// The firmware found the argument at this Command payload offset out of range.
    case invalidArgument(field: UInt8)
}

/// The host's side of the session: identifies the firmware and refuses to command a
/// mismatched one, sends commands one at a time and resends them until answered,
/// accepts events in order and acknowledges them, and notices a silent firmware.
/// It carries host traffic only (a simulator talks to the firmware through a
/// `FirmwarePort`).
public struct HostEndpoint: Sendable {
    public enum State: Equatable, Sendable {
        case disconnected
        case identifying
        case connected(FirmwareIdentity)
        case refused(IdentityMismatch)
    }

    public enum Notice: Equatable, Sendable {
        case identified(FirmwareIdentity)
        case refused(IdentityMismatch)
        /// The firmware's answer to the command sent with `sequence`.
        case reply(CommandReply, sequence: SequenceNumber)
        case commandFailed(HostCommand, CommandFailure)
        case telemetry(TelemetryReport)
        /// The firmware's Status, answering the queryStatus sent with `sequence`.
        case status(StatusReport, answering: SequenceNumber)
        case event(ControllerEvent, sequence: SequenceNumber)
        /// No valid frame from the firmware for the link timeout; identifying again.
        case linkLost
    }

    public enum SendError: Error, Equatable, Sendable {
        case notConnected
        case queueFull
        case invalidArguments
    }

    public struct Counters: Equatable, Sendable {
        public var commandRetransmissions: UInt64 = 0
        public var staleReplies: UInt64 = 0
        /// "Busy" answers: the command stays outstanding and is resent on the retransmit timer.
        public var busyAnswers: UInt64 = 0
        public var duplicateEvents: UInt64 = 0
        public var eventsOutOfOrder: UInt64 = 0
        public var inboxOverflows: UInt64 = 0
        public var outboxOverflows: UInt64 = 0
        public var unexpectedMessages: UInt64 = 0
    }

    struct Outstanding: Sendable {
        var sequence: SequenceNumber
        var command: HostCommand
        var sentAt: Instant
        var retransmissions: Int
    }

    /// Frames waiting for the caller to write them. A poll adds at most a command (or
    /// its resend), an IdentifyRequest and a heartbeat; 32 holds many polls' worth.
    typealias Outbox = BoundedQueue<32, Frame>
    /// Notices waiting for the caller, who drains them after each read: 128 hold over
    /// 100 ms of telemetry at 1 kHz, so a caller late by a loaded machine's hiccup loses
    /// none (an event that finds it full is not taken: the firmware resends it).
    typealias Inbox = BoundedQueue<128, Notice>
    /// Commands queued behind the one awaiting its answer: an operator console sends one
    /// at a time; 8 bounds a script that types ahead (`send` refuses the ninth).
    typealias CommandQueue = BoundedQueue<8, HostCommand>
    public static var commandQueueCapacity: Int { CommandQueue.maximumCount }

    public let expectedConfigurationHash: UInt64
    public let timing: LinkTiming
    public private(set) var state = State.disconnected
    public private(set) var counters = Counters()
    public private(set) var firmwareLastHeard: Instant?

    private var outbox = Outbox()
    private var inbox = Inbox()
    private var frameSequence = SequenceNumber(0)
    private var identifyRequest: (sequence: SequenceNumber, sentAt: Instant)?
    private var queue = CommandQueue()
    private var outstanding: Outstanding?
    private var nextCommandSequence = SequenceNumber(1)
    private var expectedEvent = SequenceNumber(0)
    private var ackDue = false
    private var heartbeat: PeriodicSchedule

    public init(expectedConfigurationHash: UInt64, timing: LinkTiming = LinkTiming()) {
        self.expectedConfigurationHash = expectedConfigurationHash
        self.timing = timing
        heartbeat = PeriodicSchedule(period: timing.heartbeatPeriod)
    }

    public var isConnected: Bool { if case .connected = state { true } else { false } }
    /// Commands queued or awaiting an answer.
    public var pendingCommands: Int { queue.count + (outstanding == nil ? 0 : 1) }

    public mutating func nextOutgoing() -> Frame? { outbox.popFirst() }
    public mutating func nextNotice() -> Notice? { inbox.popFirst() }

    /// Starts (or restarts) a session: sends IdentifyRequest until answered.
    public mutating func connect(at now: Instant) {
        state = .identifying
        sendIdentifyRequest(at: now)
    }

    /// Queues a command. Refused unless connected to a matching firmware.
    public mutating func send(_ command: HostCommand, at now: Instant) throws(SendError) {
        guard isConnected else { throw .notConnected }
        guard CommandArguments.areValid(command) else { throw .invalidArguments }
        guard queue.append(command) else { throw .queueFull }
        if outstanding == nil { transmitNextCommand(at: now) }
    }

    // MARK: Receiving

    public mutating func receive(_ frame: Frame, at now: Instant) {
        guard frame.message.type.traffic == .host else {
            counters.unexpectedMessages += 1
            return
        }
        firmwareLastHeard = now
        switch frame.message {
        case .identifyResponse(let identity):
            receiveIdentity(identity, answering: frame.acknowledgement)
        case .ack(let code):
            complete(.accepted(code), answering: frame.acknowledgement, at: now)
        case .nak(let nak):
            switch nak.cause {
            case .refused(let refusal):
                complete(.refused(nak.command, refusal), answering: frame.acknowledgement, at: now)
            case .outOfSequence, .noSession:
                guard outstanding?.sequence == frame.acknowledgement else {
                    counters.staleReplies += 1
                    return
                }
                failAllCommands(.sessionLost)
                connect(at: now)
            case .invalidArgument(let field):
                fail(nak.command, .invalidArgument(field: field), answering: frame.acknowledgement, at: now)
            case .busy:
                // Resent on the retransmit timer, within the same bound as a lost command.
                if outstanding?.sequence == frame.acknowledgement { counters.busyAnswers += 1 }
                else { counters.staleReplies += 1 }
            }
        case .telemetry(let report):
            notify(.telemetry(report))
        case .event(let event):
            receiveEvent(event, sequence: frame.sequence)
        case .status(let status):
            notify(.status(status, answering: frame.acknowledgement))
        case .heartbeat:
            break
        case .identifyRequest, .command, .invalidCommand, .simSensors, .simActuators:
            counters.unexpectedMessages += 1
        }
    }

    private mutating func receiveIdentity(_ identity: FirmwareIdentity, answering request: SequenceNumber) {
        guard state == .identifying, identifyRequest?.sequence == request else {
            counters.staleReplies += 1
            return
        }
        identifyRequest = nil
        if identity.protocolVersion != WireFormat.protocolVersion {
            refuse(.protocolVersion(firmware: identity.protocolVersion, host: WireFormat.protocolVersion))
        } else if identity.configurationHash != expectedConfigurationHash {
            refuse(.configurationHash(firmware: identity.configurationHash, expected: expectedConfigurationHash))
        } else {
            state = .connected(identity)
            nextCommandSequence = SequenceNumber(1)
            expectedEvent = identity.firstEventSequence
            ackDue = true
            notify(.identified(identity))
        }
    }

    private mutating func refuse(_ mismatch: IdentityMismatch) {
        state = .refused(mismatch)
        notify(.refused(mismatch))
    }

    private mutating func complete(_ reply: CommandReply, answering sequence: SequenceNumber, at now: Instant) {
        guard let current = outstanding, current.sequence == sequence, current.command.code == reply.command else {
            counters.staleReplies += 1
            return
        }
        outstanding = nil
        notify(.reply(reply, sequence: sequence))
        transmitNextCommand(at: now)
    }

    /// The outstanding command will never be accepted as sent: report it, go on.
    private mutating func fail(_ code: CommandCode, _ failure: CommandFailure, answering sequence: SequenceNumber,
                               at now: Instant) {
        guard let current = outstanding, current.sequence == sequence, current.command.code == code else {
            counters.staleReplies += 1
            return
        }
        outstanding = nil
        notify(.commandFailed(current.command, failure))
        transmitNextCommand(at: now)
    }

    private mutating func receiveEvent(_ event: ControllerEvent, sequence: SequenceNumber) {
        guard isConnected else { return }
        ackDue = true
        if sequence == expectedEvent {
            // Not taken if the caller is not draining notices; the firmware resends.
            guard !inbox.isFull else {
                counters.inboxOverflows += 1
                return
            }
            inbox.append(.event(event, sequence: sequence))
            expectedEvent = expectedEvent.next
        } else if expectedEvent.distance(after: sequence) != nil {
            counters.duplicateEvents += 1
        } else {
            counters.eventsOutOfOrder += 1
        }
    }

    // MARK: Sending

    /// Sends what is due: command retransmission, identify retries, heartbeats and
    /// event acknowledgements; checks the firmware link.
    public mutating func poll(at now: Instant) {
        if isConnected, let heard = firmwareLastHeard, now - heard >= timing.linkTimeout {
            failAllCommands(.linkLost)
            notify(.linkLost)
            connect(at: now)
            return
        }
        if state == .identifying, let request = identifyRequest, now - request.sentAt >= timing.heartbeatPeriod {
            sendIdentifyRequest(at: now)
        }
        if let current = outstanding, now - current.sentAt >= timing.retransmitTimeout {
            if current.retransmissions >= timing.maxRetransmissions {
                failAllCommands(.undelivered)
                connect(at: now)
                return
            }
            outstanding?.retransmissions += 1
            outstanding?.sentAt = now
            counters.commandRetransmissions += 1
            enqueueCommand(current.command, sequence: current.sequence, flags: .retransmission)
        }
        if isConnected, ackDue || heartbeat.isDue(at: now) {
            ackDue = false
            heartbeat.didSend(at: now)
            enqueue(.heartbeat(Heartbeat(time: now, framesDropped: framesDropped)))
        }
    }

    /// Stamps the decoder's drop count into outgoing heartbeats.
    public mutating func noteFramesDropped(_ count: UInt64) { framesDropped = UInt32(clamping: count) }
    private var framesDropped: UInt32 = 0

    private mutating func sendIdentifyRequest(at now: Instant) {
        identifyRequest = (frameSequence, now)
        enqueue(.identifyRequest)
    }

    private mutating func transmitNextCommand(at now: Instant) {
        guard outstanding == nil, isConnected, let command = queue.popFirst() else { return }
        let sequence = nextCommandSequence
        nextCommandSequence = sequence.next
        outstanding = Outstanding(sequence: sequence, command: command, sentAt: now, retransmissions: 0)
        enqueueCommand(command, sequence: sequence, flags: [])
    }

    private mutating func failAllCommands(_ failure: CommandFailure) {
        if let current = outstanding { notify(.commandFailed(current.command, failure)) }
        outstanding = nil
        while let command = queue.popFirst() { notify(.commandFailed(command, failure)) }
    }

    /// Commands are numbered by the reliable counter and carry the event acknowledgement.
    private mutating func enqueueCommand(_ command: HostCommand, sequence: SequenceNumber, flags: FrameFlags) {
        if !outbox.append(Frame(.command(command), sequence: sequence,
                                acknowledgement: expectedEvent.previous, flags: flags)) {
            counters.outboxOverflows += 1
        }
    }

    private mutating func enqueue(_ message: Message) {
        let ack = isConnected ? expectedEvent.previous : SequenceNumber(0)
        guard outbox.append(Frame(message, sequence: frameSequence, acknowledgement: ack)) else {
            counters.outboxOverflows += 1
            return
        }
        frameSequence = frameSequence.next
    }

    private mutating func notify(_ notice: Notice) {
        if !inbox.append(notice) { counters.inboxOverflows += 1 }
    }
}
