import InjectorCore

/// The firmware's side of the host session: answers identify, applies each command
/// exactly once, delivers events reliably, sends heartbeats and notices a silent host.
/// It carries host traffic only; the simulation I/O has its own port (`SimulatorPort`),
/// and a shared link is split before either sees a frame (`TrafficLinks`).
///
/// Pure and allocation-free: the caller hands in decoded frames and `now`, drains
/// `nextOutgoing()` into its encoder and `nextNotice()` into the controller.
public struct FirmwareEndpoint: Sendable {
    public enum Notice: Equatable, Sendable {
        /// A host identified itself; a new command numbering starts.
        case sessionStarted
        /// A new command to apply; answer it with `reply(_:at:)`.
        case command(HostCommand)
        /// No valid frame from the host for the link timeout.
        case hostLinkLost
        case hostLinkRestored
    }

    /// Counters for the log and the heartbeat; none of these is expected in a healthy run.
    public struct Counters: Equatable, Sendable {
        public var duplicateCommands: UInt64 = 0
        public var outOfSequenceCommands: UInt64 = 0
        public var eventRetransmissions: UInt64 = 0
        public var eventDeliveryStalls: UInt64 = 0
        public var eventsOverflowed: UInt64 = 0
        public var outboxOverflows: UInt64 = 0
        public var inboxOverflows: UInt64 = 0
        public var unexpectedMessages: UInt64 = 0
        /// Commands answered "busy": the pipeline was full, or an earlier one was missing.
        public var busyCommands: UInt64 = 0
        /// Commands that got no answer at all because the Nak queue was full (the host's
        /// resend is answered later).
        public var unansweredCommands: UInt64 = 0
        /// Commands with an argument out of range, answered Nak cause 4.
        public var invalidCommands: UInt64 = 0
    }

    /// A command taken in order, waiting for the controller; or an invalid one, waiting
    /// its turn to be answered Nak cause 4 (answers go out in `seq` order).
    struct QueuedCommand: Sendable {
        var sequence: SequenceNumber
        var command: HostCommand?
        var invalid: InvalidCommand?
    }

    /// A Nak the session gives itself (busy, out of sequence, no session), waiting for
    /// room in the outbox.
    struct PendingNak: Sendable {
        var sequence: SequenceNumber
        var nak: CommandNak
    }

    /// An event waiting for the host's acknowledgement.
    struct PendingEvent: Sendable {
        var sequence: SequenceNumber
        var event: ControllerEvent
        var sent: Bool
    }

    /// Frames waiting for the caller to write them, drained every tick. One tick adds
    /// at most an answer, a telemetry frame, a heartbeat and the event window (8): 32
    /// holds three such ticks, so a caller that misses a flush loses nothing.
    typealias Outbox = BoundedQueue<32, Frame>
    /// Notices waiting for the caller, drained every tick. Commands reach it one at a
    /// time from the pipeline, so it holds one command and a few session notices; 16 is
    /// that several times over (a command that finds it full waits in the pipeline).
    typealias Inbox = BoundedQueue<16, Notice>
    /// Events kept until the host acknowledges them: eight ticks of the controller's
    /// fullest batch (`EventBatch.capacity`, 8), where a whole procedure raises a
    /// few dozen; a host silent for longer than that loses the newest (counted, and
    /// still in the firmware's own log).
    typealias EventQueue = BoundedQueue<64, PendingEvent>
    /// Commands received in order ahead of the controller, which takes one a tick: 16
    /// is 16 ms of a host typing ahead at 1 kHz. One more is answered "busy", never lost.
    typealias CommandPipeline = BoundedQueue<16, QueuedCommand>
    public static var commandPipelineCapacity: Int { CommandPipeline.maximumCount }
    /// Naks waiting for the outbox. The loop reads at most 8 × 4 096 bytes a tick
    /// (`TrafficLinks.maxReadsPerReceive` × `FrameChannel.readBufferSize`), 2 520 of the
    /// smallest (13-byte) Command frames: 4 096 answers a whole tick's burst and more.
    typealias NakQueue = BoundedQueue<4096, PendingNak>
    /// Outbox room kept free of queued Naks: a tick's answer, telemetry, heartbeat,
    /// status and the event window (8) always fit.
    static let outboxReserve = eventWindow + 4
    public static var eventQueueCapacity: Int { EventQueue.maximumCount }
    /// Events in flight before the oldest is acknowledged: a tick's whole batch
    /// (`EventBatch.capacity`) goes out at once; go-back-N resends them all.
    public static let eventWindow = 8

    public let firmwareVersion: FirmwareVersion
    public let configurationHash: UInt64
    public let tickRate: Hertz
    public let timing: LinkTiming

    public private(set) var counters = Counters()
    /// When the host was last heard (any valid host frame); feeds
    /// `ControllerInputs.hostLastHeard`.
    public private(set) var hostLastHeard: Instant?
    public private(set) var hasSession = false
    public private(set) var isHostLinkUp = false

    private var outbox = Outbox()
    private var inbox = Inbox()
    private var frameSequence = SequenceNumber(0)
    /// The last command answered (Ack or Nak from the controller), and that answer.
    private var lastApplied = SequenceNumber(0)
    private var storedReply: Message?
    /// The last command taken into the pipeline; commands after `lastApplied` up to this
    /// one are with the controller or in `pipeline`.
    private var lastReceived = SequenceNumber(0)
    /// The command handed out by `nextNotice()` and not yet answered.
    private var awaiting: SequenceNumber?
    /// Set when a session restarts while the controller holds a command: its reply is dropped.
    private var orphanedReply = false
    private var pipeline = CommandPipeline()
    private var naks = NakQueue()
    private var events = EventQueue()
    private var nextEventSequence = SequenceNumber(1)
    private var inFlight = 0
    private var oldestSentAt: Instant?
    private var retransmissions = 0
    private var stalled = false
    private var heartbeat: PeriodicSchedule
    private var telemetry: PeriodicSchedule

    public init(firmwareVersion: FirmwareVersion, configurationHash: UInt64, tickRate: Hertz,
                timing: LinkTiming = LinkTiming()) {
        self.firmwareVersion = firmwareVersion
        self.configurationHash = configurationHash
        self.tickRate = tickRate
        self.timing = timing
        heartbeat = PeriodicSchedule(period: timing.heartbeatPeriod)
        telemetry = PeriodicSchedule(period: timing.telemetryPeriod)
    }

    /// Events queued and not yet acknowledged.
    public var unacknowledgedEvents: Int { events.count }

    public mutating func nextOutgoing() -> Frame? { outbox.popFirst() }
    public mutating func nextNotice() -> Notice? { inbox.popFirst() }

    // MARK: Receiving

    /// Handles one decoded frame from the host.
    public mutating func receive(_ frame: Frame, at now: Instant) {
        guard frame.message.type.traffic == .host else {
            // The simulator's frames say nothing about the host: they must not keep a
            // silent host's link alive, nor acknowledge its events.
            counters.unexpectedMessages += 1
            return
        }
        hostLastHeard = now
        if stalled { resumeEventDelivery() }
        if hasSession && !isHostLinkUp { notify(.hostLinkRestored) }
        isHostLinkUp = hasSession
        if hasSession, frame.message.type != .identifyRequest {
            acknowledgeEvents(through: frame.acknowledgement, at: now)
        }
        switch frame.message {
        case .identifyRequest:
            startSession(answering: frame.sequence)
        case .command(let command):
            receiveCommand(QueuedCommand(sequence: frame.sequence, command: command), code: command.code)
        case .invalidCommand(let invalid):
            receiveCommand(QueuedCommand(sequence: frame.sequence, invalid: invalid), code: invalid.code)
        case .heartbeat:
            break
        case .identifyResponse, .ack, .nak, .telemetry, .event, .status, .simSensors, .simActuators:
            counters.unexpectedMessages += 1
        }
    }

    private mutating func startSession(answering request: SequenceNumber) {
        hasSession = true
        isHostLinkUp = true
        lastApplied = SequenceNumber(0)
        lastReceived = SequenceNumber(0)
        if awaiting != nil { orphanedReply = true }
        awaiting = nil
        storedReply = nil
        pipeline.removeAll()
        // A new host resumes the event stream at the oldest unacknowledged event.
        for i in 0..<events.count { events[i].sent = false }
        inFlight = 0
        oldestSentAt = nil
        retransmissions = 0
        let identity = FirmwareIdentity(
            firmwareVersion: firmwareVersion, configurationHash: configurationHash, tickRate: tickRate,
            firstEventSequence: events.first?.sequence ?? nextEventSequence)
        enqueue(.identifyResponse(identity), acknowledging: request)
        notify(.sessionStarted)
    }

    private mutating func receiveCommand(_ queued: QueuedCommand, code: CommandCode) {
        let sequence = queued.sequence
        guard hasSession else { return refuse(code, .noSession, answering: sequence) }
        let pending = lastReceived.distance(after: lastApplied) ?? 0
        if let sinceAnswered = sequence.distance(after: lastApplied), sinceAnswered <= pending {
            // A retransmission: of the last answered (its answer was lost: send it again),
            // or of one still pending (its answer is coming). Apply nothing.
            counters.duplicateCommands += 1
            if sinceAnswered == 0, let storedReply { enqueue(storedReply, acknowledging: sequence, flags: .retransmission) }
            return
        }
        guard let ahead = sequence.distance(after: lastReceived) else {
            counters.outOfSequenceCommands += 1
            return refuse(code, .outOfSequence, answering: sequence)
        }
        // The next one with no room, or one past a gap (an earlier command lost or busy):
        // not taken; the host resends it (from the gap) later.
        guard ahead == 1, pipeline.append(queued) else {
            counters.busyCommands += 1
            return refuse(code, .busy, answering: sequence)
        }
        lastReceived = sequence
        handOutNextCommand()
    }

    /// Gives the controller the next queued command, if it holds none; answers the
    /// invalid ones ahead of it.
    private mutating func handOutNextCommand() {
        while awaiting == nil, !inbox.isFull, let next = pipeline.popFirst() {
            if let command = next.command {
                awaiting = next.sequence
                inbox.append(.command(command))
            } else if let invalid = next.invalid {
                counters.invalidCommands += 1
                answer(.nak(CommandNak(command: invalid.code, cause: .invalidArgument(field: invalid.field))),
                       sequence: next.sequence)
            }
        }
    }

    /// Sends an answer and keeps it for a retransmission of its command.
    private mutating func answer(_ message: Message, sequence: SequenceNumber) {
        lastApplied = sequence
        storedReply = message
        enqueue(message, acknowledging: sequence)
    }

    private mutating func refuse(_ code: CommandCode, _ cause: NakCause, answering sequence: SequenceNumber) {
        if !naks.append(PendingNak(sequence: sequence, nak: CommandNak(command: code, cause: cause))) {
            counters.unansweredCommands += 1
        }
    }

    /// Moves queued Naks into the outbox, keeping `outboxReserve` free.
    private mutating func sendNaks() {
        while !naks.isEmpty, outbox.count < Outbox.maximumCount - Self.outboxReserve, let pending = naks.popFirst() {
            enqueue(.nak(pending.nak), acknowledging: pending.sequence)
        }
    }

    /// The controller's answer to the command last handed out by `nextNotice()`.
    public mutating func reply(_ reply: CommandReply, at now: Instant) {
        guard let answered = awaiting else {
            precondition(orphanedReply, "reply without a command to answer")
            orphanedReply = false
            return
        }
        let message: Message
        switch reply {
        case .accepted(let code):
            message = .ack(code)
        case .refused(let code, let refusal):
            message = .nak(CommandNak(command: code, cause: .refused(refusal)))
        }
        awaiting = nil
        answer(message, sequence: answered)
        handOutNextCommand()
    }

    // MARK: Events

    /// Queues an event for reliable delivery. Returns `false` (and counts it) when the
    /// queue is full; the firmware's own log still holds the event.
    @discardableResult
    public mutating func raise(_ event: ControllerEvent) -> Bool {
        guard events.append(PendingEvent(sequence: nextEventSequence, event: event, sent: false)) else {
            counters.eventsOverflowed += 1
            return false
        }
        nextEventSequence = nextEventSequence.next
        return true
    }

    private mutating func acknowledgeEvents(through ack: SequenceNumber, at now: Instant) {
        var progressed = false
        while inFlight > 0, let front = events.first, ack.distance(after: front.sequence) != nil {
            _ = events.popFirst()
            inFlight -= 1
            progressed = true
        }
        if progressed {
            retransmissions = 0
            oldestSentAt = inFlight > 0 ? now : nil
        }
    }

    /// Any frame from the host after a stall resends the in-flight events at once, with a
    /// fresh retransmission budget: a host that stopped reading for a while (and went on
    /// heartbeating its last acknowledgement) gets the stream back without identifying.
    private mutating func resumeEventDelivery() {
        stalled = false
        retransmissions = 0
        inFlight = 0
        oldestSentAt = nil
    }

    private mutating func sendEvents(at now: Instant) {
        guard hasSession, !stalled else { return }
        if inFlight > 0, let sentAt = oldestSentAt, now - sentAt >= timing.retransmitTimeout {
            guard retransmissions < timing.maxRetransmissions else {
                // Stop resending until the host is heard again (receive clears this).
                stalled = true
                counters.eventDeliveryStalls += 1
                return
            }
            retransmissions += 1
            counters.eventRetransmissions += 1
            inFlight = 0
        }
        while inFlight < Self.eventWindow, inFlight < events.count, !outbox.isFull {
            let pending = events[inFlight]
            outbox.append(Frame(.event(pending.event), sequence: pending.sequence, acknowledgement: lastApplied,
                                flags: pending.sent ? .retransmission : []))
            events[inFlight].sent = true
            if inFlight == 0 { oldestSentAt = now }
            inFlight += 1
        }
    }

    // MARK: Periodic traffic

    /// Sends what is due: heartbeat, events and their retransmissions; checks the host link.
    public mutating func poll(at now: Instant) {
        if hasSession, isHostLinkUp, let heard = hostLastHeard, now - heard >= timing.linkTimeout {
            isHostLinkUp = false
            notify(.hostLinkLost)
        }
        if heartbeat.isDue(at: now) {
            heartbeat.didSend(at: now)
            enqueue(.heartbeat(Heartbeat(time: now)), acknowledging: lastApplied)
        }
        sendEvents(at: now)
        handOutNextCommand()
        sendNaks()
    }

    /// Whether a telemetry frame is due on the configured period.
    public func isTelemetryDue(at now: Instant) -> Bool { telemetry.isDue(at: now) }

    public mutating func sendTelemetry(_ report: TelemetryReport, at now: Instant) {
        telemetry.didSend(at: now)
        enqueue(.telemetry(report), acknowledging: lastApplied)
    }

    /// The Status that follows the Ack of an accepted `queryStatus`; its `ack` is that
    /// command's `seq`. Sent once: a host that loses it queries again.
    public mutating func sendStatus(_ report: StatusReport, at now: Instant) {
        enqueue(.status(report), acknowledging: lastApplied)
    }

    /// Stamps the decoder's drop count into outgoing heartbeats (see `Heartbeat`).
    public mutating func noteFramesDropped(_ count: UInt64) { framesDropped = UInt32(clamping: count) }
    private var framesDropped: UInt32 = 0

    private mutating func enqueue(_ message: Message, acknowledging ack: SequenceNumber, flags: FrameFlags = []) {
        var message = message
        if case .heartbeat(var beat) = message {
            beat.framesDropped = framesDropped
            message = .heartbeat(beat)
        }
        guard outbox.append(Frame(message, sequence: frameSequence, acknowledgement: ack, flags: flags)) else {
            counters.outboxOverflows += 1
            return
        }
        frameSequence = frameSequence.next
    }

    private mutating func notify(_ notice: Notice) {
        if !inbox.append(notice) { counters.inboxOverflows += 1 }
    }
}
